/**
 * The pod status the kubelet writes, computed from what its workers know: the phase as the
 * kubelet's getPhase decides it, and the conditions in the order the kubelet writes them
 * (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled) with their
 * reasons and messages. Conditions other components own (DisruptionTarget...) are kept.
 */
import type { ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/types';
import { rfc3339 } from '../client/event-recorder';
import { sameJson } from '../api/same-json';
import { beginArray, beginPrint, element, endArray } from './status-fingerprint';
import { rememberedTime, type ConditionMemo } from './condition-memo';

export type Phase = NonNullable<PodStatus['phase']>;

/** Succeeded or Failed: a phase a pod never leaves. */
export function isTerminalPhase(phase: string | undefined): phase is 'Succeeded' | 'Failed' {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** A container's status in the kubelet's terms, before it becomes API JSON. */
export interface ContainerView {
  name: string;
  kind: 'init' | 'sidecar' | 'main';
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  started: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  /** Ran and exited 0 (an init container that is done). */
  succeeded: boolean;
  /** Undefined while the container has none (the members are always there: one shape for all views). */
  containerID: string | undefined;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean; recursiveReadOnly?: string }[] | undefined;
}

export interface PodView {
  sandboxReady: boolean;
  /** All init containers done (regular ones exited 0, sidecars started). */
  initialized: boolean;
  /** The pod is terminal because it is being deleted and everything stopped. */
  terminal: boolean;
  /** An init container failed under restartPolicy Never. */
  initFailed: boolean;
  containers: ContainerView[];
}

/** The kubelet's getPhase. */
export function podPhase(pod: Pod, view: PodView): Phase {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (view.initFailed) return 'Failed';
  if (!view.initialized && !view.terminal) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of view.containers) {
    if (c.kind !== 'main') continue;
    if (c.state.running) running++;
    else if (c.state.terminated) { stopped++; if (c.state.terminated.exitCode === 0) succeeded++; }
    else if (c.lastState.terminated) { stopped++; if (view.terminal && c.lastState.terminated.exitCode === 0) succeeded++; }
    else waiting++;
  }
  if (view.terminal) return stopped > 0 && stopped === succeeded && waiting === 0 ? 'Succeeded' : 'Failed';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: ok ? 'True' : 'False', lastProbeTime: null };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

/**
 * What the conditions read of the containers, in one pass (a status is computed several times per
 * pod): init containers come first in the view, so the names fall in the order the kubelet lists
 * them (sidecars, then app containers).
 */
function containerProgress(view: PodView): { incomplete: string[]; unready: string[]; appStarted: boolean } {
  const incomplete: string[] = [];
  const unready: string[] = [];
  let appStarted = false;
  for (const c of view.containers) {
    if (c.kind === 'main') {
      if (c.state.running !== undefined || c.state.terminated !== undefined) appStarted = true;
      if (!c.ready) unready.push(c.name);
    } else {
      if (c.kind === 'init' ? !c.succeeded : !c.started) incomplete.push(c.name);
      if (c.kind === 'sidecar' && !c.ready) unready.push(c.name);
    }
  }
  return { incomplete, unready, appStarted };
}

/** The conditions as the kubelet computes them, before transition times. */
export function podConditions(pod: Pod, view: PodView, phase: Phase): PodCondition[] {
  const done = isTerminalPhase(phase);
  const { incomplete, unready, appStarted } = containerProgress(view);
  // GeneratePodInitializedCondition: True (reason PodCompleted) for a pod that succeeded; True once
  // an app container has run, whatever its sidecars do later; else False while an init container is
  // incomplete. So a pod that failed in init (an init container under restartPolicy Never, or its
  // activeDeadlineSeconds) was never initialized, and kubectl keeps showing Init:… for it.
  const isInitialized = phase === 'Succeeded' || appStarted || incomplete.length === 0;
  const initialized = condition('Initialized', isInitialized, 'ContainersNotInitialized', isInitialized ? undefined : `containers with incomplete status: [${incomplete.join(' ')}]`);
  if (phase === 'Succeeded') initialized.reason = 'PodCompleted';
  const containersReady = done
    ? condition('ContainersReady', false, 'PodCompleted')
    : condition('ContainersReady', unready.length === 0, 'ContainersNotReady', unready.length === 0 ? undefined : `containers with unready status: [${unready.join(' ')}]`);
  const ready = done || containersReady.status !== 'True' ? { ...containersReady, type: 'Ready' } : readinessGates(pod) ?? { ...containersReady, type: 'Ready' };
  const sandbox = condition('PodReadyToStartContainers', view.sandboxReady && !view.terminal);
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled') ?? { type: 'PodScheduled', status: 'True' as const, lastProbeTime: null };
  return [sandbox, initialized, ready, containersReady, { ...scheduled }];
}

/**
 * withTransitionTimes(podConditions(pod, view, phase), memo's remembered conditions, now), each
 * condition made once, with its members in the order withTransitionTimes writes them: what publish
 * hands over, computed twice per pod start (the two-step version made ten conditions and a
 * remembered condition per type each time).
 */
export function timedPodConditions(pod: Pod, view: PodView, phase: Phase, memo: ConditionMemo, now: number): PodCondition[] {
  const done = isTerminalPhase(phase);
  const { incomplete, unready, appStarted } = containerProgress(view);
  // As podConditions decides them (see there).
  const isInitialized = phase === 'Succeeded' || appStarted || incomplete.length === 0;
  const initializedReason = phase === 'Succeeded' ? 'PodCompleted' : isInitialized ? undefined : 'ContainersNotInitialized';
  const initialized = timed(memo, now, 'Initialized', isInitialized ? 'True' : 'False', initializedReason,
    isInitialized ? undefined : `containers with incomplete status: [${incomplete.join(' ')}]`);
  const containersOk = !done && unready.length === 0;
  const readyReason = done ? 'PodCompleted' : containersOk ? undefined : 'ContainersNotReady';
  const readyMessage = done || containersOk ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const containersReady = timed(memo, now, 'ContainersReady', containersOk ? 'True' : 'False', readyReason, readyMessage);
  const gate = containersOk ? readinessGates(pod) : undefined;
  const ready = gate
    ? timed(memo, now, 'Ready', gate.status, gate.reason, gate.message)
    : timed(memo, now, 'Ready', containersOk ? 'True' : 'False', readyReason, readyMessage);
  const sandbox = timed(memo, now, 'PodReadyToStartContainers', view.sandboxReady && !view.terminal ? 'True' : 'False', undefined, undefined);
  const found = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const scheduled = found
    ? timed(memo, now, found.type, found.status, found.reason, found.message, found.lastTransitionTime)
    : timed(memo, now, 'PodScheduled', 'True', undefined, undefined);
  return [sandbox, initialized, ready, containersReady, scheduled];
}

/** A condition as withTransitionTimes writes it; `own`: its own lastTransitionTime (the pod's PodScheduled). */
function timed(memo: ConditionMemo, now: number, type: string, status: PodCondition['status'], reason: string | undefined, message: string | undefined, own?: string): PodCondition {
  const out: PodCondition = { type, status, lastProbeTime: null, lastTransitionTime: rememberedTime(memo, type, status) ?? own ?? rfc3339(now) };
  if (reason) out.reason = reason;
  if (message) out.message = message;
  return out;
}

/** Ready=False while a readiness gate's condition is missing or not True (the kubelet's wording). */
function readinessGates(pod: Pod): PodCondition | undefined {
  const gates = (pod.spec.readinessGates as { conditionType: string }[] | undefined) ?? [];
  const messages: string[] = [];
  for (const gate of gates) {
    const c = pod.status?.conditions?.find((x) => x.type === gate.conditionType);
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (messages.length === 0) return undefined;
  return { type: 'Ready', status: 'False', lastProbeTime: null, reason: 'ReadinessGatesNotReady', message: messages.join(', ') };
}

/**
 * Carries lastTransitionTime over from the previous conditions when the status did not change.
 * `previous`: the conditions, or what is remembered of them by type (a ConditionMemo's).
 */
export function withTransitionTimes(
  next: PodCondition[],
  previous: PodCondition[] | ((type: string) => { status: string; lastTransitionTime?: string } | undefined) | undefined,
  now: number,
): PodCondition[] {
  return next.map((c) => {
    const old = typeof previous === 'function' ? previous(c.type) : lastOfType(previous, c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : c.lastTransitionTime ?? rfc3339(now);
    const out: PodCondition = { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  });
}

/** The last condition of `type` (a handful of conditions: a scan beats building a map each time). */
function lastOfType(conditions: PodCondition[] | undefined, type: string): PodCondition | undefined {
  if (!conditions) return undefined;
  for (let i = conditions.length - 1; i >= 0; i--) if (conditions[i]!.type === type) return conditions[i];
  return undefined;
}

/**
 * Whether two views of a container serialize alike: sameJson's answer without its walk. It holds
 * for views as the pod worker builds them (a state is `{}` or has exactly one of running
 * {startedAt}, waiting {reason, message?} and terminated as the worker writes it; containerID and
 * volumeMounts count as absent when undefined, as containerStatus leaves them out).
 */
export function sameView(a: ContainerView, b: ContainerView): boolean {
  return a.name === b.name && a.kind === b.kind && a.ready === b.ready && a.started === b.started && a.restartCount === b.restartCount
    && a.image === b.image && a.imageID === b.imageID && a.succeeded === b.succeeded && a.containerID === b.containerID
    && sameState(a.state, b.state) && sameState(a.lastState, b.lastState)
    && (a.volumeMounts === b.volumeMounts || sameJson(a.volumeMounts, b.volumeMounts));
}

/**
 * A fingerprint of what a container's status says (all of a view but `kind` and `succeeded`), the
 * same for a view and for the pod's status of the container written from it and read back, whatever
 * the order of their members: equal prints say what sameView would say of the two (a 48-bit hash:
 * see jsonFingerprint). A status without state or lastState never equals a view's print.
 */
export function statusPrint(s: ContainerView | ContainerStatus): number {
  // jsonFingerprint([name, ready, started, restartCount, image, imageID, containerID, state parts,
  // lastState parts, mounts]) element by element: no array is made (a print is made several times
  // a pod start).
  const mounts = s.volumeMounts as ContainerView['volumeMounts'];
  beginPrint();
  element(s.name); element(s.ready); element(s.started ?? null); element(s.restartCount); element(s.image); element(s.imageID); element(s.containerID ?? null);
  stateParts(s.state);
  stateParts(s.lastState);
  if (mounts?.length) {
    beginArray();
    for (const m of mounts) {
      beginArray();
      element(m.name); element(m.mountPath); element(m.readOnly ?? null); element(m.recursiveReadOnly ?? null);
      endArray();
    }
    endArray();
  } else element(null);
  return endArray();
}

/** The members of a state that sameState compares, in a fixed order, as an array's elements (null without a state). */
function stateParts(s: ContainerState | undefined): void {
  if (!s) return element(null);
  beginArray();
  if (s.running) { element('running'); element(s.running.startedAt ?? null); }
  else if (s.waiting) { element('waiting'); element(s.waiting.reason ?? null); element(s.waiting.message ?? null); }
  else if (s.terminated) {
    const t = s.terminated;
    element('terminated'); element(t.exitCode); element(t.reason ?? null); element(t.startedAt ?? null); element(t.finishedAt ?? null); element(t.containerID ?? null); element(t.message ?? null); element(t.signal ?? null);
  }
  endArray();
}

function sameState(a: ContainerState, b: ContainerState): boolean {
  if (a.running) return !!b.running && a.running.startedAt === b.running.startedAt;
  if (a.waiting) return !!b.waiting && a.waiting.reason === b.waiting.reason && a.waiting.message === b.waiting.message;
  if (a.terminated) {
    const x = a.terminated;
    const y = b.terminated;
    return !!y && x.exitCode === y.exitCode && x.reason === y.reason && x.startedAt === y.startedAt && x.finishedAt === y.finishedAt
      && x.containerID === y.containerID && x.message === y.message && x.signal === y.signal;
  }
  return !b.running && !b.waiting && !b.terminated;
}

export function containerStatus(view: ContainerView): ContainerStatus {
  const status: ContainerStatus = {
    name: view.name,
    state: view.state,
    lastState: view.lastState,
    ready: view.ready,
    restartCount: view.restartCount,
    image: view.image,
    imageID: view.imageID,
    started: view.started,
  };
  if (view.containerID) status.containerID = view.containerID;
  if (view.volumeMounts && view.volumeMounts.length > 0) status.volumeMounts = view.volumeMounts;
  return status;
}


/** BestEffort, Burstable or Guaranteed, from requests and limits (the API server sets it at create). */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const limit = limits[r];
      const request = requests[r] ?? limit;
      if (!limit || request !== limit) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
