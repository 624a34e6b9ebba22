/**
 * A kubelet that starts finds its pods' containers still running in the container runtime (a
 * restarted kubelet, a restarted Kube Sim on the same data dir, a reloaded VS Code window): it keeps
 * reporting them instead of starting them again. The simulated runtime did not survive the process,
 * so what the previous kubelet wrote to pods/status stands in for what containerd would tell:
 *
 * - the sandbox: the pod IP (reserved again, so no new pod gets it);
 * - per container: restartCount, the running container's ID and startedAt (its process resumes,
 *   see Container.start), the terminated one and the last termination;
 * - the logs: a running container's as its resumed process replays them, an ended one's (`kubectl
 *   logs --previous`, or the log of a Completed container) replayed from its startedAt to its
 *   finishedAt (`replayedLog`), as a real node keeps the last dead container and its log file
 *   across a kubelet restart. Nothing is stored for it: the output is a function of the process
 *   and the clock (what a replay cannot give back is said at Container.start);
 * - the crash back-off it was in, so a crash-looping container keeps its delay;
 * - readiness and started as reported, so probes go on without a flap to not ready.
 *
 * A pod that was being deleted is stopped again with its whole deletionGracePeriodSeconds, counted
 * from this start, not with what deletionTimestamp leaves of it: kubelet 1.32 keeps no deadline of
 * its own (a new pod worker's calculateEffectiveGracePeriod starts from deletionGracePeriodSeconds,
 * and killContainer asks the runtime for a new SIGTERM and the full wait), so a restarted kubelet
 * gives a container that ignored the first SIGTERM its full grace period again.
 *
 * Nothing is pulled, created or started for what is adopted: no Pulling/Pulled/Created/Started.
 */
import type { ContainerState, ContainerStatus, Pod } from '../api/types';
import type { BackOffPolicy } from './behaviour';
import { resolveContainerConfig, expandReferences, type ConfigSource } from './container-config';
import { processEnv } from './runtime/env';
import type { Termination, TerminationReason } from './runtime/container';
import { catalogImage, type CatalogImage } from './runtime/catalog';
import { parseImageReference } from './runtime/image-ref';
import { effectiveArgv, startProcess } from './runtime/interpreter';
import { ContainerLog, previousNotFound } from './runtime/logs';

/** An ended container as the status reported it. */
export interface AdoptedExit {
  termination: Termination;
  id: string;
  startedAt: number;
}

export interface AdoptedContainer {
  restartCount: number;
  image: string;
  imageID: string;
  running?: { id: string; startedAt: number; ready: boolean; started: boolean };
  /** The container that ended last (state.terminated, or lastState's behind a running or waiting one). */
  last?: AdoptedExit;
  /** The one before it (lastState behind a terminated state). */
  prior?: AdoptedExit;
  /** The reason it was waiting for (CrashLoopBackOff, CreateContainerConfigError …). */
  waiting?: { reason: string; message?: string };
}

export interface AdoptedPod {
  /** Set when the sandbox was up (the status showed the pod IP). */
  podIP?: string;
  containers: Map<string, AdoptedContainer>;
}

/**
 * What a starting kubelet can adopt of `pod`: undefined when the previous kubelet had not got as far
 * as a sandbox (the pod is started as new).
 */
export function adoptablePod(pod: Pod): AdoptedPod | undefined {
  const status = pod.status;
  if (!status) return undefined;
  const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const ran = all.some((c) => c.state?.running || c.state?.terminated || c.lastState?.terminated);
  if (!status.podIP && !ran) return undefined;
  const containers = new Map<string, AdoptedContainer>();
  for (const c of all) containers.set(c.name, adoptedContainer(c));
  return { ...(status.podIP ? { podIP: status.podIP } : {}), containers };
}

function adoptedContainer(c: ContainerStatus): AdoptedContainer {
  const found: AdoptedContainer = { restartCount: c.restartCount ?? 0, image: c.image ?? '', imageID: c.imageID ?? '' };
  const state = c.state ?? {};
  const last = exitOf(c.lastState);
  if (state.running) {
    found.running = { id: containerId(c.containerID), startedAt: time(state.running.startedAt), ready: !!c.ready, started: c.started !== false };
    if (last) found.last = last;
  } else if (state.terminated) {
    found.last = exitOf(state)!;
    if (last) found.prior = last;
  } else {
    if (last) found.last = last;
    // Repeated until the kubelet's next sync says otherwise: no flap to ContainerCreating.
    if (state.waiting?.reason) found.waiting = { reason: state.waiting.reason, ...(state.waiting.message ? { message: state.waiting.message } : {}) };
  }
  return found;
}

function exitOf(state: ContainerState | undefined): AdoptedExit | undefined {
  const t = state?.terminated;
  if (!t) return undefined;
  const termination: Termination = { exitCode: t.exitCode, reason: (t.reason ?? (t.exitCode === 0 ? 'Completed' : 'Error')) as TerminationReason, finishedAt: time(t.finishedAt) };
  if (t.message) termination.message = t.message;
  return { termination, id: containerId(t.containerID), startedAt: time(t.startedAt) };
}

const containerId = (id: string | undefined): string => (id ?? '').replace(/^[a-z]+:\/\//, '');
const time = (text: string | undefined | null): number => (text ? Date.parse(text) : 0);

/**
 * The crash back-off a container with `restartCount` restarts is in: the kubelet doubled it at each
 * restart after the first (10 s, 20 s, 40 s … 5 min). Undefined when it never restarted.
 */
export function crashBackOffMs(policy: BackOffPolicy, restartCount: number): number | undefined {
  if (restartCount < 1) return undefined;
  return Math.min(policy.initialMs * 2 ** Math.min(restartCount - 1, 30), policy.maxMs);
}

/** What a resumed container's process is: the argv and environment it was started with. */
export interface ResumedProcess {
  image: CatalogImage;
  argv: string[];
  env: Readonly<Record<string, string>>;
  files: Map<string, string>;
}

/**
 * The process of a running container, resolved again from the pod spec. A ConfigMap or Secret that
 * is gone since leaves the process without what it gave (the container had it at its start; the
 * replay cannot know it any more).
 */
export async function resumedProcess(pod: Pod, spec: Pod['spec']['containers'][number], source: ConfigSource): Promise<ResumedProcess | undefined> {
  const ref = parseImageReference(spec.image ?? '');
  const image = ref && catalogImage(ref.repository);
  if (!image) return undefined;
  const config = await resolveContainerConfig(pod, spec, image.env ?? {}, source).catch(() => undefined);
  const env = config?.ok ? config.env : { ...(image.env ?? {}) };
  const files = config?.ok ? config.files : new Map<string, string>();
  const vars = processEnv(env, pod.metadata.name ?? '');
  const expand = (list?: string[]) => list?.map((s) => expandReferences(s, vars));
  return { image, argv: effectiveArgv(image, expand(spec.command), expand(spec.args)), env, files };
}

/** Effects an ended container's replay plays at most (a loop that printed for days is cut there). */
const LOG_REPLAY_STEPS = 100_000;

/**
 * The log an ended container left: its process run again from `startedAt`, its output at the times
 * it had, up to `finishedAt` (a process killed, or OOMKilled, had printed no more). Ended: nothing
 * to follow. Empty for a process that cannot start (StartError printed nothing either).
 */
export function replayedLog(process: ResumedProcess, hostname: string, startedAt: number, finishedAt: number): ContainerLog {
  const log = new ContainerLog();
  let at = startedAt;
  const started = startProcess(process.argv, { image: process.image, env: process.env, files: new Map(process.files), hostname, now: () => at });
  if ('process' in started) {
    try {
      for (let steps = 0; steps < LOG_REPLAY_STEPS; steps++) {
        const next = started.process.next();
        if (next.done) break;
        const effect = next.value;
        if (effect.type === 'out') log.append(at, effect.text);
        else if (effect.type === 'serve') break;
        else if (effect.type === 'sleep') at += effect.ms;
        if (at > finishedAt) break;
      }
    } catch {
      // The process crashed (exit 139): its output ends there.
    }
  }
  log.end();
  return log;
}

/**
 * The log of a container of a pod that had finished (Succeeded or Failed) before this kubelet
 * started: such a pod gets no worker, but its dead containers are still on the node, as the
 * runtime keeps them until the pod is deleted. Replayed from the status (`previous`: the one before
 * the last, lastState); undefined when the status shows no container of that name that ran.
 */
export async function finishedPodLog(pod: Pod, container: string, previous: boolean, source: ConfigSource): Promise<ContainerLog | undefined> {
  const spec = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === container);
  const found = spec && adoptablePod(pod)?.containers.get(container);
  if (!spec || !found?.last) return undefined;
  const exit = previous ? found.prior : found.last;
  if (!exit) throw previousNotFound(container, pod.metadata.name ?? '');
  const process = await resumedProcess(pod, spec, source);
  if (!process) {
    const log = new ContainerLog();
    log.end();
    return log;
  }
  return replayedLog(process, pod.metadata.name ?? '', exit.startedAt, exit.termination.finishedAt);
}
