/**
 * The framework runtime: runs a profile's plugins at each extension point in order, stamps the
 * plugin name on the statuses they return, and honours Skip (kube-scheduler's
 * framework/runtime/framework.go). It is also the Handle plugins use to reach the snapshot and to
 * re-run filters during preemption.
 */
import type { CycleState } from './cycle-state';
import type { FilterPlugin, Handle, NodeScore, NodeToStatus, PluginSet, PostFilterResult } from './interface';
import type { NodeInfo } from './node-info';
import type { PodFacts, PodInfo } from './pod-info';
import { Snapshot } from './snapshot';
import { Code, Status } from './status';
import type { Pod } from '../../api/types';

export interface PreFilterOutcome {
  status: Status;
  /** Node names all PreFilter results agree on; undefined means every node. */
  nodeNames?: Set<string>;
  /** The plugin that rejected the pod, or that narrowed the node set. */
  plugins: Set<string>;
}

/** One Score plugin's results over the feasible nodes (same order as the nodes). */
export interface PluginScores {
  plugin: string;
  weight: number;
  raw: number[];
  /** After NormalizeScore (equal to raw for plugins without it), before the weight. */
  normalized: number[];
}

const NO_PODS: PodInfo[] = [];

export interface Nominator {
  nominatedPodsForNode(nodeName: string): PodInfo[];
}

export class Framework implements Handle {
  private current = new Snapshot([]);
  nominator: Nominator = { nominatedPodsForNode: () => NO_PODS };

  readonly plugins: PluginSet;

  /** `plugins` may be a factory: plugins that need the Handle (preemption, snapshot readers) get this framework. */
  constructor(plugins: PluginSet | ((handle: Handle) => PluginSet), readonly profileName = 'default-scheduler') {
    this.plugins = typeof plugins === 'function' ? plugins(this) : plugins;
  }

  setSnapshot(snapshot: Snapshot): void {
    this.current = snapshot;
  }

  snapshot(): Snapshot {
    return this.current;
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    return this.nominator.nominatedPodsForNode(nodeName);
  }

  runPreEnqueuePlugins(pod: Pod): Status {
    for (const p of this.plugins.preEnqueue) {
      const s = p.preEnqueue(pod);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runPreFilterPlugins(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): PreFilterOutcome {
    let nodeNames: Set<string> | undefined;
    const plugins = new Set<string>();
    for (const p of this.plugins.preFilter) {
      const { status, result } = p.preFilter(state, pod, nodes);
      if (status.isSkip()) {
        state.skipFilterPlugins.add(p.name);
        state.activeFilterPlugins = undefined;
        continue;
      }
      if (!status.isSuccess()) {
        plugins.add(p.name);
        const code = status.isRejected() ? status.code : Code.Error;
        return { status: new Status(code, status.reasons).withPlugin(p.name), plugins };
      }
      if (result?.nodeNames) {
        plugins.add(p.name);
        nodeNames = nodeNames ? intersect(nodeNames, result.nodeNames) : new Set(result.nodeNames);
        if (nodeNames.size === 0) {
          const msg = `node(s) didn't satisfy plugin(s) [${[...plugins].sort().join(' ')}] simultaneously`;
          return { status: Status.unresolvable(msg).withPlugin(p.name), plugins };
        }
      }
    }
    const outcome: PreFilterOutcome = { status: Status.success(), plugins };
    if (nodeNames) outcome.nodeNames = nodeNames;
    return outcome;
  }

  /** Filter plugins in order; the first that rejects decides (its reasons are the node's). */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    // Called for every evaluated node: no closure here (one capturing a parameter makes V8
    // allocate a context on every call, whichever branch runs).
    const active = (state.activeFilterPlugins as FilterPlugin[] | undefined) ?? this.activeFilterPlugins(state);
    for (let i = 0; i < active.length; i++) {
      const p = active[i]!;
      const s = p.filter(state, pod, node);
      if (!s.isSuccess()) {
        if (!s.isRejected()) return new Status(Code.Error, s.reasons).withPlugin(p.name);
        return s.withPlugin(p.name);
      }
    }
    return Status.success();
  }

  private activeFilterPlugins(state: CycleState): FilterPlugin[] {
    const active = this.plugins.filter.filter((p) => !state.skipFilterPlugins.has(p.name));
    state.activeFilterPlugins = active;
    return active;
  }

  /**
   * kube-scheduler's RunFilterPluginsWithNominatedPods: if pods of equal or higher priority are
   * nominated to this node, the pod must fit with them there too (they will come back for it);
   * and it must fit without them (they may not come).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const candidates = this.nominatedPodsForNode(node.name);
    const nominated = candidates.length === 0 ? candidates : nominatedBefore(candidates, pod);
    if (nominated.length > 0) {
      const withNominated = node.clone();
      const stateWith = state.clone();
      for (const p of nominated) {
        withNominated.addPod(p);
        this.runPreFilterExtensionAddPod(stateWith, pod, p, withNominated);
      }
      const s = this.runFilterPlugins(stateWith, pod, withNominated);
      if (!s.isSuccess()) return s;
    }
    return this.runFilterPlugins(state, pod, node);
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodFacts, node: NodeInfo): Status {
    for (const p of this.plugins.preFilter) {
      if (!p.addPod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.addPod(state, pod, toAdd, node);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodFacts, node: NodeInfo): Status {
    for (const p of this.plugins.preFilter) {
      if (!p.removePod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.removePod(state, pod, toRemove, node);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runPostFilterPlugins(state: CycleState, pod: PodInfo, statuses: NodeToStatus): { status: Status; result?: PostFilterResult } {
    let last: Status = Status.unschedulable();
    for (const p of this.plugins.postFilter) {
      const out = p.postFilter(state, pod, statuses);
      if (out.status.isSuccess()) return { status: out.status, ...(out.result ? { result: out.result } : {}) };
      last = out.status.withPlugin(p.name);
      if (!out.status.isRejected()) return { status: last };
    }
    return { status: last };
  }

  runPreScorePlugins(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status {
    for (const p of this.plugins.preScore) {
      const s = p.preScore(state, pod, nodes);
      if (s.isSkip()) { state.skipScorePlugins.add(p.name); continue; }
      if (!s.isSuccess()) return new Status(Code.Error, s.reasons).withPlugin(p.name);
    }
    return Status.success();
  }

  /** Score, NormalizeScore; the weight is applied by the caller when summing (kept apart for explanations). */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): PluginScores[] {
    const out: PluginScores[] = [];
    const n = nodes.length;
    // Plugin by plugin (not node by node): each loop calls one plugin's score, which V8 inlines.
    for (const { plugin, weight } of this.plugins.score) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      const raw = new Array<number>(n);
      for (let i = 0; i < n; i++) raw[i] = plugin.score(state, pod, nodes[i]!);
      let normalized = raw;
      if (plugin.normalizeScore) {
        const scores = this.nodeScores(nodes);
        for (let i = 0; i < n; i++) scores[i]!.score = raw[i]!;
        plugin.normalizeScore(state, pod, scores);
        normalized = new Array<number>(n);
        for (let i = 0; i < n; i++) normalized[i] = scores[i]!.score;
      }
      out.push({ plugin: plugin.name, weight, raw, normalized });
    }
    return out;
  }

  /**
   * NodeScore entries for NormalizeScore, reused from cycle to cycle (hundreds per plugin per
   * cycle otherwise): plugins change the scores in place and keep no reference.
   */
  private readonly scratch: NodeScore[] = [];

  private nodeScores(nodes: NodeInfo[]): NodeScore[] {
    const scores = this.scratch;
    for (let i = 0; i < nodes.length; i++) {
      if (i < scores.length) scores[i]!.name = nodes[i]!.name;
      else scores.push({ name: nodes[i]!.name, score: 0 });
    }
    scores.length = nodes.length;
    return scores;
  }

  runReservePlugins(state: CycleState, pod: PodInfo, nodeName: string): Status {
    for (const p of this.plugins.reserve) {
      const s = p.reserve(state, pod, nodeName);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runUnreservePlugins(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (const p of [...this.plugins.reserve].reverse()) p.unreserve(state, pod, nodeName);
  }

  /** Permit: Wait is reported with the longest timeout; the scheduler holds the pod that long. */
  runPermitPlugins(state: CycleState, pod: PodInfo, nodeName: string): { status: Status; timeoutMs: number } {
    let wait = 0;
    let waiting = '';
    for (const p of this.plugins.permit) {
      const { status, timeoutMs } = p.permit(state, pod, nodeName);
      if (status.code === Code.Wait) { if ((timeoutMs ?? 0) >= wait) { wait = timeoutMs ?? 0; waiting = p.name; } continue; }
      if (!status.isSuccess()) return { status: status.withPlugin(p.name), timeoutMs: 0 };
    }
    return { status: waiting ? new Status(Code.Wait).withPlugin(waiting) : Status.success(), timeoutMs: wait };
  }

  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.plugins.bind) {
      const s = await p.bind(state, pod, nodeName);
      if (s.isSkip()) continue;
      return s.withPlugin(p.name);
    }
    return Status.error('no bind plugin bound the pod');
  }
}

/** The nominated pods the incoming pod must leave room for: others of equal or higher priority. */
function nominatedBefore(candidates: PodInfo[], pod: PodInfo): PodInfo[] {
  return candidates.filter((p) => p.uid !== pod.uid && p.priority >= pod.priority);
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}
