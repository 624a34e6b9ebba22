/**
 * The Scheduler: an API client like any other (DESIGN.md). It lists and watches pods, nodes,
 * PriorityClasses and namespaces through informers, keeps the scheduler cache and the scheduling
 * queue, and runs kube-scheduler's loop:
 *
 *   pop a pod → scheduling cycle (synchronous: PreFilter … Score, select, assume, Reserve, Permit)
 *             → binding cycle (asynchronous: POST pods/binding, then the Scheduled event)
 *   no fit    → PostFilter (preemption) → FailedScheduling event, PodScheduled=False/Unschedulable,
 *               nominatedNodeName, back to the queue
 *
 * Every attempt is explained (explain/): the binding or the status write carries the explanation
 * annotations, so one write per attempt. Timers (back-off, the unschedulable pool) run on the
 * cluster clock. The loop yields to the event loop between pods so that watches keep flowing.
 */
import type { KubeObject, Node, Pod } from '../api/types';
import { sameJson } from '../api/same-json';
import { EventsV1Recorder, rfc3339 } from '../client/event-recorder';
import { NAMESPACES, NODES, PODS, type ApiClient, type GroupVersionResource, type ResourceClient } from '../client/client';
import { Informer } from '../client/informer';
import type { Clock } from '../clock';
import { SchedulerCache } from './cache/cache';
import type { PriorityClass } from './framework/api';
import { CycleState } from './framework/cycle-state';
import { fitErrorMessage } from './framework/fit-error';
import type { PostFilterResult, QueuedPodInfo } from './framework/interface';
import { PodInfo } from './framework/pod-info';
import { Framework } from './framework/runtime';
import { Code } from './framework/status';
import { buildExplanation, type AttemptFacts } from './explain/build';
import { explanationAnnotations, historyOf, sameOutcome } from './explain/annotations';
import { summarize } from './explain/summary';
import type { AttemptExplanation, PodSchedulingExplanation } from './explain/types';
import { BINDING_ANNOTATIONS_KEY } from './plugins/default-binder';
import { PREEMPTION_REASON, preemptionMessage } from './plugins/default-preemption';
import { defaultPlugins } from './plugins/registry';
import { SchedulingQueue } from './queue/scheduling-queue';
import type { ClusterEvent } from './queue/events';
import { SchedulingAlgorithm, seededRandom, statusesForPostFilter, type ScheduleResult } from './schedule-one';
import { patchPodStatus, conditionChanged, withTransitionTime } from './pod-status';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const PRIORITY_CLASSES: GroupVersionResource = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
/** kube-scheduler's ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface SchedulerOptions {
  /** Seeds tie-breaking and preemption's start offset (default: random). */
  seed?: number;
  /** 0 = adaptive, as kube-scheduler's default. */
  percentageOfNodesToScore?: number;
  /** Write explanation annotations (default true). */
  explain?: boolean;
  log?: (line: string) => void;
  /**
   * A pod informer of all pods that another component starts and stops (the controller manager's
   * shared one), read instead of a watch of the scheduler's own: each pod then costs one cache
   * entry and one delivery less. The scheduler only reads it: its writes (bindings, status,
   * preemptions, events) go through its own client, with its own identity, and so do the list and
   * watch of the pods it would make (kube-scheduler's, of the pods not finished), announced to the
   * API server's audit (Informer.addReader). Without it the scheduler lists and watches pods itself.
   */
  podInformer?: Informer<Pod>;
}

/** kube-scheduler's pod informer's field selector (newPodInformer): the pods not finished. */
export const SCHEDULER_POD_SELECTOR = 'status.phase!=Succeeded,status.phase!=Failed';

export interface SchedulerStats {
  attempts: number;
  scheduled: number;
  unschedulable: number;
  errors: number;
  preemptions: number;
}

export class Scheduler {
  readonly cache: SchedulerCache;
  readonly framework: Framework;
  readonly queue: SchedulingQueue;
  readonly algorithm: SchedulingAlgorithm;
  readonly stats: SchedulerStats = { attempts: 0, scheduled: 0, unschedulable: 0, errors: 0, preemptions: 0 };
  private readonly rand: () => number;
  private readonly recorder: EventsV1Recorder;
  private readonly informers: Informer<KubeObject>[] = [];
  private podInformer: Informer<Pod> | undefined;
  /** The shared pod informer given (SchedulerOptions.podInformer), and how to take the handlers off it again. */
  private readonly sharedPods: Informer<Pod> | undefined;
  private removePodHandlers: (() => void) | undefined;
  /** The scheduler's client of pods as a reader of the shared pod informer (see SchedulerOptions.podInformer). */
  private podReader: ResourceClient<Pod> | undefined;
  private priorityClasses: Informer<PriorityClass & KubeObject> | undefined;
  private namespaces: Informer<KubeObject> | undefined;
  private readonly bindings = new Set<Promise<void>>();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly explain: boolean;
  private readonly log: (line: string) => void;

  constructor(private readonly client: ApiClient, private readonly clock: Clock, options: SchedulerOptions = {}) {
    this.rand = options.seed !== undefined ? seededRandom(options.seed) : Math.random;
    this.explain = options.explain ?? true;
    this.log = options.log ?? (() => undefined);
    this.sharedPods = options.podInformer;
    this.cache = new SchedulerCache(clock);
    this.framework = new Framework((handle) => defaultPlugins(handle, { client, rand: this.rand }), DEFAULT_SCHEDULER_NAME);
    this.queue = new SchedulingQueue(clock, this.framework.plugins.queueSort, (pod) => this.framework.runPreEnqueuePlugins(pod));
    this.framework.nominator = this.queue;
    this.algorithm = new SchedulingAlgorithm(this.framework, this.rand, options.percentageOfNodesToScore ?? 0);
    this.recorder = new EventsV1Recorder(client, clock, DEFAULT_SCHEDULER_NAME, `${DEFAULT_SCHEDULER_NAME}-kube-sim`);
  }

  /** Starts the informers, waits for their first lists, and starts the scheduling loop. */
  async start(): Promise<this> {
    this.priorityClasses = new Informer<PriorityClass & KubeObject>(this.client.resource(PRIORITY_CLASSES), {}, this.clock);
    this.namespaces = new Informer<KubeObject>(this.client.resource(NAMESPACES), {}, this.clock);
    const nodes = new Informer<Node>(this.client.resource(NODES), {}, this.clock);
    const pods = (this.podInformer = this.sharedPods ?? new Informer<Pod>(this.client.resource(PODS), {}, this.clock));
    this.cache.namespaceLabels = (ns) => this.namespaces?.get(ns)?.metadata.labels;
    nodes.addHandlers({
      onAdd: (n) => { this.cache.addNode(n); this.move('NodeAdd'); },
      onUpdate: (o, n) => { this.cache.updateNode(n); if (nodeSchedulingChanged(o, n)) this.move('NodeUpdate'); },
      onDelete: (n) => this.cache.removeNode(n),
    });
    const podHandlers = {
      onAdd: (p: Pod) => this.onPodAdd(p),
      onUpdate: (o: Pod, p: Pod) => this.onPodUpdate(o, p),
      onDelete: (p: Pod) => this.onPodDelete(p),
    };
    const own = [this.priorityClasses, this.namespaces, nodes] as Informer<KubeObject>[];
    if (!this.sharedPods) {
      this.removePodHandlers = pods.addHandlers(podHandlers);
      own.push(pods as unknown as Informer<KubeObject>);
    }
    this.informers.push(...own);
    // PriorityClasses first, so pods get their priority; nodes before pods, so pods find their nodes.
    for (const inf of own) { inf.start(); await inf.waitForSync(); }
    if (this.sharedPods) {
      // Its owner starts it: the pods it holds already are replayed as adds, the rest come as listed.
      this.removePodHandlers = pods.addHandlers(podHandlers);
      pods.addReader((this.podReader = this.client.resource<Pod>(PODS)), SCHEDULER_POD_SELECTOR);
      await pods.waitForSync();
    }
    this.running = true;
    this.loopDone = this.loop();
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.close();
    for (const inf of this.informers) inf.stop();
    this.removePodHandlers?.();
    this.removePodHandlers = undefined;
    if (this.podReader) this.sharedPods?.removeReader(this.podReader);
    this.podReader = undefined;
    await this.loopDone;
    await Promise.allSettled([...this.bindings]);
  }

  /** Resolves once every binding and write in flight has settled (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  // ---- informer handlers ----------------------------------------------------------------------

  private responsible(pod: Pod): boolean {
    return (pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME && !pod.metadata.deletionTimestamp
      && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';
  }

  private onPodAdd(pod: Pod): void {
    pod = this.withPriority(pod);
    if (terminated(pod)) return;
    if (pod.spec.nodeName) {
      this.cache.addPod(pod);
      this.move('AssignedPodAdd');
    } else if (this.responsible(pod)) this.queue.add(pod);
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    pod = this.withPriority(pod);
    // Finished pods free their node (kube-scheduler's informer leaves out Succeeded and Failed pods).
    if (terminated(pod)) { if (!terminated(old)) this.onPodDelete(old); return; }
    if (pod.spec.nodeName) {
      if (!old.spec.nodeName) this.queue.delete(pod);
      this.cache.updatePod(pod);
      if (!old.spec.nodeName) this.move('AssignedPodAdd');
      else if (assignedPodChanged(old, pod)) this.move('AssignedPodUpdate');
      return;
    }
    if (!this.responsible(pod)) { this.queue.delete(pod); return; }
    if (this.queue.has(pod)) this.queue.update(pod);
    else this.queue.add(pod);
  }

  private onPodDelete(pod: Pod): void {
    if (pod.spec.nodeName) {
      this.cache.removePod(pod);
      this.move('AssignedPodDelete');
    } else this.queue.delete(pod);
  }

  private move(event: ClusterEvent): void {
    this.queue.moveAllToActiveOrBackoffQueue(event);
  }

  /** spec.priority as the Priority admission plugin would set it, when the server did not. */
  private withPriority(pod: Pod): Pod {
    if (pod.spec.priority !== undefined) return pod;
    const name = pod.spec.priorityClassName;
    const pc = name ? this.priorityClasses?.get(name) : this.priorityClasses?.list().find((p) => p.globalDefault);
    if (!pc) return pod;
    return { ...pod, spec: { ...pod.spec, priority: pc.value } };
  }

  // ---- the scheduling loop --------------------------------------------------------------------

  private async loop(): Promise<void> {
    let sinceYield = 0;
    while (this.running) {
      const qp = await this.queue.pop();
      if (!qp || !this.running) return;
      try {
        this.scheduleOne(qp);
      } catch (err) {
        this.log(`scheduler: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        this.queue.requeue(qp, this.queue.schedulingCycle, false);
      }
      if (++sinceYield >= 20) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }

  /** One scheduling cycle for one pod (synchronous); starts its binding cycle. */
  scheduleOne(qp: QueuedPodInfo): void {
    const pod = qp.podInfo.pod;
    const live = this.podInformer?.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (!live || live.spec.nodeName || live.metadata.uid !== pod.metadata.uid || this.cache.isAssumed(pod)) {
      this.queue.done(pod);
      return;
    }
    const cycle = this.queue.schedulingCycle;
    this.stats.attempts++;
    const state = new CycleState();
    const snapshot = this.cache.snapshot();
    if (snapshot.nodes.length === 0) {
      this.stats.errors++;
      this.fail(qp, cycle, NO_NODES_AVAILABLE, 'SchedulerError', false, undefined, undefined, state);
      return;
    }
    const result = this.algorithm.schedulePod(state, qp.podInfo, snapshot);
    if (!result.suggestedHost) return this.handleFitError(qp, cycle, state, result);
    const host = result.suggestedHost;
    this.cache.assumePod(qp.podInfo, host);
    this.queue.deleteNominatedPod(pod);
    const reserve = this.framework.runReservePlugins(state, qp.podInfo, host);
    const permit = reserve.isSuccess() ? this.framework.runPermitPlugins(state, qp.podInfo, host) : { status: reserve, timeoutMs: 0 };
    if (permit.status.code === Code.Wait) {
      // No default plugin allows a waiting pod, so a Wait ends as kube-scheduler's timeout does.
      this.track(this.clock.sleep(permit.timeoutMs).then(() => {
        this.framework.runUnreservePlugins(state, qp.podInfo, host);
        this.cache.forgetPod(pod);
        this.fail(qp, cycle, `rejected due to timeout after waiting ${permit.timeoutMs / 1000}s at plugin ${permit.status.plugin}`, 'Unschedulable', true, undefined, undefined, state);
      }));
      return;
    }
    if (!permit.status.isSuccess()) {
      this.framework.runUnreservePlugins(state, qp.podInfo, host);
      this.cache.forgetPod(pod);
      this.stats.errors++;
      this.fail(qp, cycle, permit.status.message(), permit.status.isRejected() ? 'Unschedulable' : 'SchedulerError', permit.status.isRejected(), undefined, undefined, state);
      return;
    }
    const message = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${host}`;
    if (this.explain) {
      const explanation = this.explanationOf(qp, state, result, { outcome: 'Scheduled', message });
      state.write(BINDING_ANNOTATIONS_KEY, explanationAnnotations(explanation));
    }
    this.track(this.bindingCycle(qp, cycle, state, host, message));
  }

  private async bindingCycle(qp: QueuedPodInfo, cycle: number, state: CycleState, host: string, message: string): Promise<void> {
    const pod = qp.podInfo.pod;
    const status = await this.framework.runBindPlugins(state, pod, host);
    if (status.isSuccess()) {
      this.cache.finishBinding(pod);
      this.queue.done(pod);
      this.stats.scheduled++;
      this.recorder.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', message);
      return;
    }
    this.framework.runUnreservePlugins(state, qp.podInfo, host);
    this.cache.forgetPod(pod);
    this.stats.errors++;
    const msg = `running Bind plugin "${status.plugin}": ${status.message()}`;
    this.fail(qp, cycle, msg, 'SchedulerError', false, undefined, undefined, state);
  }

  private handleFitError(qp: QueuedPodInfo, cycle: number, state: CycleState, result: ScheduleResult): void {
    const d = result.diagnosis;
    const pf = this.framework.runPostFilterPlugins(state, qp.podInfo, statusesForPostFilter(result, this.cache.snapshot()));
    d.postFilterMsg = pf.status.isSuccess() ? '' : pf.status.message();
    const message = fitErrorMessage(result.numAllNodes, d);
    this.stats.unschedulable++;
    let nominated: PostFilterResult | undefined;
    if (pf.status.isSuccess() && pf.result) {
      nominated = pf.result;
      this.stats.preemptions++;
      this.track(this.preempt(qp.podInfo, pf.result));
    }
    this.fail(qp, cycle, message, 'Unschedulable', true, nominated, result, state);
  }

  /**
   * Deletes the victims (DisruptionTarget first, then a graceful delete and a Preempted event).
   * The cache knows victims by their facts only; each is read from the pod informer, and one that
   * is gone (or replaced by a pod of the same name) is left alone, as its writes would fail.
   */
  private async preempt(preemptor: PodInfo, r: PostFilterResult): Promise<void> {
    const now = rfc3339(this.clock.now());
    await Promise.allSettled(r.victims.map(async (v) => {
      const victim = this.podInformer?.get(v.key);
      if (!victim || (victim.metadata.uid ?? v.key) !== v.uid) { this.log(`scheduler: preempting ${v.key}: the pod is gone`); return; }
      try {
        await patchPodStatus(this.client, victim, { condition: { type: 'DisruptionTarget', status: 'True', reason: PREEMPTION_REASON, message: preemptionMessage(DEFAULT_SCHEDULER_NAME), lastProbeTime: null, lastTransitionTime: now } });
      } catch (err) { this.log(`scheduler: preemption condition on ${v.key}: ${String(err)}`); }
      try {
        await this.client.resource(PODS).delete(victim.metadata.name ?? '', { namespace: victim.metadata.namespace ?? 'default', preconditions: { uid: victim.metadata.uid ?? '' } });
      } catch (err) { this.log(`scheduler: preempting ${v.key}: ${String(err)}`); return; }
      this.recorder.eventf(victim, preemptor.pod, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${preemptor.pod.metadata.uid} on node ${r.nominatedNodeName}`);
    }));
    for (const p of r.clearNominations) {
      this.queue.deleteNominatedPod(p.pod);
      try { await patchPodStatus(this.client, p.pod, { nominatedNodeName: null }); } catch { /* the pod may be gone */ }
    }
  }

  /** FailedScheduling: event, PodScheduled=False, nominated node, explanation; back to the queue. */
  private fail(qp: QueuedPodInfo, cycle: number, message: string, reason: 'Unschedulable' | 'SchedulerError', unschedulable: boolean, nominated: PostFilterResult | undefined, result: ScheduleResult | undefined, state: CycleState): void {
    const pod = qp.podInfo.pod;
    qp.unschedulablePlugins = result ? new Set(result.diagnosis.unschedulablePlugins) : new Set();
    if (nominated) this.queue.addNominatedPod(qp.podInfo, nominated.nominatedNodeName);
    this.queue.requeue(qp, cycle, unschedulable);
    this.recorder.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', message);
    const condition = withTransitionTime(pod, { type: 'PodScheduled', status: 'False', reason, message }, rfc3339(this.clock.now()));
    let annotations: Record<string, string> | undefined;
    if (this.explain && result) {
      const facts = nominated
        ? { outcome: 'Nominated' as const, message, nominatedNode: nominated.nominatedNodeName, victims: nominated.victims.map((v) => v.key) }
        : { outcome: 'Unschedulable' as const, message };
      annotations = explanationAnnotations(this.explanationOf(qp, state, result, facts));
    } else if (this.explain) {
      annotations = explanationAnnotations(this.errorExplanation(qp, message));
    }
    const nominatedNodeName = nominated ? nominated.nominatedNodeName : undefined;
    // kube-scheduler leaves a pod alone when a retry fails the same way (no MODIFIED for watchers,
    // no new row in `kubectl get pods -w`). So does the explanation: an attempt with the outcome
    // already on the pod is not written, and the pod keeps the first attempt of that outcome.
    if (annotations && sameOutcome(pod.metadata.annotations, annotations)) annotations = undefined;
    if (!annotations && !conditionChanged(pod, condition) && nominatedNodeName === undefined) return;
    this.track(patchPodStatus(this.client, pod, { condition, ...(nominatedNodeName !== undefined ? { nominatedNodeName } : {}), ...(annotations ? { annotations } : {}) })
      .catch((err) => this.log(`scheduler: updating ${qp.podInfo.key}: ${String(err)}`)));
  }

  private explanationOf(qp: QueuedPodInfo, state: CycleState, result: ScheduleResult, f: Omit<AttemptFacts, 'attempt' | 'time'>): PodSchedulingExplanation {
    const facts: AttemptFacts = { ...f, attempt: qp.attempts, time: rfc3339(this.clock.now()) };
    const latest = buildExplanation(this.framework, state, qp.podInfo, this.cache.snapshot(), result, facts);
    return this.wrap(qp.podInfo.pod, latest);
  }

  private errorExplanation(qp: QueuedPodInfo, message: string): PodSchedulingExplanation {
    const latest: AttemptExplanation = {
      attempt: qp.attempts, time: rfc3339(this.clock.now()), outcome: 'Error', message, numAllNodes: this.cache.nodeCount, numEvaluated: 0, numFeasible: 0,
      skippedFilters: [], skippedScores: [], filterHistogram: [], nodes: [], truncated: false, podRequests: {},
    };
    return this.wrap(qp.podInfo.pod, latest);
  }

  private wrap(pod: Pod, latest: AttemptExplanation): PodSchedulingExplanation {
    const history = historyOf(pod.metadata.annotations);
    history.push({ attempt: latest.attempt, time: latest.time, outcome: latest.outcome, ...(latest.selectedNode ? { selectedNode: latest.selectedNode } : {}), message: latest.message });
    return { latest, history, summary: summarize(latest, pod) };
  }

  private track(p: Promise<void>): void {
    this.bindings.add(p);
    void p.finally(() => this.bindings.delete(p));
  }

  // ---- dry run --------------------------------------------------------------------------------

  /**
   * Where would this pod go, and why? Runs the scheduling algorithm (and preemption's dry run) on
   * the current cache without changing anything: no assume, no binding, no deletes, and the
   * round-robin position of the real scheduler is untouched.
   */
  explainPlacement(pod: Pod): PodSchedulingExplanation {
    const p = this.withPriority(pod);
    const info = new PodInfo(p);
    const algorithm = new SchedulingAlgorithm(this.framework, seededRandom(1), this.algorithm.percentageOfNodesToScore);
    algorithm.nextStartNodeIndex = this.algorithm.nextStartNodeIndex;
    const state = new CycleState();
    const snapshot = this.cache.snapshot();
    const time = rfc3339(this.clock.now());
    if (snapshot.nodes.length === 0) {
      const latest: AttemptExplanation = { attempt: 1, time, outcome: 'Error', message: NO_NODES_AVAILABLE, numAllNodes: 0, numEvaluated: 0, numFeasible: 0, skippedFilters: [], skippedScores: [], filterHistogram: [], nodes: [], truncated: false, podRequests: {} };
      return { latest, history: [], summary: summarize(latest, p) };
    }
    const gate = this.framework.runPreEnqueuePlugins(p);
    const result = algorithm.schedulePod(state, info, snapshot);
    let facts: AttemptFacts;
    if (result.suggestedHost) {
      facts = { attempt: 1, time, outcome: 'Scheduled', message: `Successfully assigned ${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? p.metadata.generateName ?? ''} to ${result.suggestedHost}` };
    } else {
      const pf = this.framework.runPostFilterPlugins(state, info, statusesForPostFilter(result, snapshot));
      result.diagnosis.postFilterMsg = pf.status.isSuccess() ? '' : pf.status.message();
      const message = fitErrorMessage(result.numAllNodes, result.diagnosis);
      facts = pf.status.isSuccess() && pf.result
        ? { attempt: 1, time, outcome: 'Nominated', message, nominatedNode: pf.result.nominatedNodeName, victims: pf.result.victims.map((v) => v.key) }
        : { attempt: 1, time, outcome: 'Unschedulable', message };
    }
    const latest = buildExplanation(this.framework, state, info, snapshot, result, facts);
    let summary = summarize(latest, p);
    if (!gate.isSuccess() && gate.code !== Code.Success) summary = `Scheduling gates would hold the pod first (${gate.message()}). Once they are removed: ${summary}`;
    return { latest, history: [], summary };
  }
}

function terminated(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Changes of a bound pod that can matter to other pods (labels for affinity/spread, termination); not status updates. */
function assignedPodChanged(o: Pod, n: Pod): boolean {
  return o.metadata.deletionTimestamp !== n.metadata.deletionTimestamp || !sameText(o.metadata.labels ?? {}, n.metadata.labels ?? {});
}

/** Node changes that can matter to scheduling (not heartbeats or condition timestamps). */
function nodeSchedulingChanged(o: Node, n: Node): boolean {
  return !sameText(o.spec, n.spec) || !sameText(o.metadata.labels, n.metadata.labels) || !sameText(o.status?.allocatable, n.status?.allocatable) || !sameText(o.status?.images, n.status?.images);
}

/**
 * Whether two values (members of an array) serialize to the same JSON text, as comparing their
 * JSON.stringify did, without making the text when they are the same object or compare equal
 * member by member (a status write keeps its object's spec and labels; every pod status and node
 * heartbeat comes here). Only values sameJson cannot vouch for are serialized.
 */
function sameText(a: unknown, b: unknown): boolean {
  return a === b || sameJson(a, b) || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}


