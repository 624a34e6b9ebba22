/**
 * `kubectl get pods` as kube-apiserver 1.32 prints it (printers.go printPod). The STATUS cell is the
 * part learners read most, so it follows printPod step by step:
 *  1. status.reason, else the phase; SchedulingGated when PodScheduled says so;
 *  2. the first init container that has not succeeded gives `Init:<reason>`, `Init:ExitCode:N`,
 *     `Init:Signal:N` or `Init:i/N` (a started sidecar counts as done);
 *  3. otherwise the containers, last to first: a waiting or terminated reason, `Signal:N`,
 *     `ExitCode:N`; `Completed` while another container still runs becomes Running or NotReady;
 *  4. a deleted pod is Terminating (Unknown when its node was lost), unless its phase is terminal.
 * RESTARTS adds `(<age of the last termination> ago)` when there were restarts.
 */
import type { ContainerStatus, Pod } from '../../api/types';
import type { TableConvertor } from '../registry/resource';
import { translateTimestampSince } from './age';
import { ageColumn, column, nameColumn } from './columns';
import { doc } from './descriptions';

const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

function isRestartableInit(pod: Pod, name: string): boolean {
  return pod.spec.initContainers?.find((c) => c.name === name)?.restartPolicy === 'Always';
}

function later(a: string, b: string | undefined): string {
  if (!b) return a;
  if (!a) return b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

export interface PodSummary {
  ready: string;
  status: string;
  restarts: number;
  /** The finish time of the most recent previous termination counted in `restarts` ('' if none). */
  lastRestart: string;
}

export function summarizePod(pod: Pod): PodSummary {
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = pod.spec.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';

  let reason: string = status.reason || status.phase || '';
  if (status.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  for (const c of pod.spec.initContainers ?? []) if (c.restartPolicy === 'Always') totalContainers++;

  let initializing = false;
  const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
  const initCount = pod.spec.initContainers?.length ?? 0;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
    const sidecar = isRestartableInit(pod, c.name);
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, c.lastState?.terminated?.finishedAt);
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
      else reason = `Init:${terminated.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = status.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  if (!initializing || initializedTrue) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, c.lastState?.terminated?.finishedAt);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';

  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts, lastRestart };
}

export function restartsCell(summary: PodSummary, now: number): string {
  if (summary.restarts !== 0 && summary.lastRestart) return `${summary.restarts} (${translateTimestampSince(summary.lastRestart, now)} ago)`;
  return String(summary.restarts);
}

function readinessGates(pod: Pod): string {
  const gates = (pod.spec.readinessGates as { conditionType: string }[] | undefined) ?? [];
  if (!gates.length) return '<none>';
  let trueConditions = 0;
  for (const gate of gates) {
    const condition = pod.status?.conditions?.find((c) => c.type === gate.conditionType);
    if (condition?.status === 'True') trueConditions++;
  }
  return `${trueConditions}/${gates.length}`;
}

export const podTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn(),
    column('IP', doc.podIP, { priority: 1 }),
    column('Node', doc.nodeName, { priority: 1 }),
    column('Nominated Node', doc.nominatedNodeName, { priority: 1 }),
    column('Readiness Gates', doc.readinessGates, { priority: 1 }),
  ],
  cells(object, now) {
    const pod = object as Pod;
    const summary = summarizePod(pod);
    return [
      pod.metadata.name ?? '',
      summary.ready,
      summary.status,
      restartsCell(summary, now),
      translateTimestampSince(pod.metadata.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || '<none>',
      pod.spec.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
};
