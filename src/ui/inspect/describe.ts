/**
 * `kubectl describe` for the kinds the tree shows (Pod, Node), in kubectl 1.32's layout: labelled
 * fields aligned in a column, nested blocks indented by two, Events as a table at the end.
 * Plain Node (no vscode).
 */
import type { Container, ContainerStatus, Node, Pod } from '../../cluster/api/types';
import { humanDuration } from '../../cluster/apiserver/printers/age';
import { podStatusText } from '../tree/nodes/pod-status';
import { textTable } from './text-table';
import type { CoreEvent } from '../tree/nodes/events-node';

function map(m: Record<string, string> | undefined, sep = '='): string[] {
  const entries = Object.entries(m ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}${sep}${v}`) : ['<none>'];
}

function multi(label: string, values: string[], width: number): string[] {
  return values.map((v, i) => (i === 0 ? `${(label + ':').padEnd(width)}${v}` : `${''.padEnd(width)}${v}`));
}

export function describeTime(iso: string | undefined): string {
  if (!iso) return '<unknown>';
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

function containerState(state: ContainerStatus['state'] | undefined, indent: string): string[] {
  if (state?.running) return [`${indent}State:          Running`, `${indent}  Started:      ${describeTime(state.running.startedAt)}`];
  if (state?.terminated) {
    const t = state.terminated;
    return [`${indent}State:          Terminated`, `${indent}  Reason:       ${t.reason ?? ''}`, `${indent}  Exit Code:    ${t.exitCode}`, `${indent}  Started:      ${describeTime(t.startedAt)}`, `${indent}  Finished:     ${describeTime(t.finishedAt)}`];
  }
  if (state?.waiting) return [`${indent}State:          Waiting`, `${indent}  Reason:       ${state.waiting.reason ?? ''}`];
  return [`${indent}State:          Waiting`];
}

function describeContainer(c: Container, s: ContainerStatus | undefined): string {
  const i = '    ';
  const lines = [`  ${c.name}:`];
  lines.push(`${i}Container ID:   ${s?.containerID ?? ''}`.trimEnd());
  lines.push(`${i}Image:          ${c.image ?? ''}`);
  lines.push(`${i}Image ID:       ${s?.imageID ?? ''}`.trimEnd());
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`);
  lines.push(`${i}Port:           ${ports.join(', ') || '<none>'}`);
  lines.push(`${i}Host Port:      ${(c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ') || '<none>'}`);
  if (c.command?.length) lines.push(`${i}Command:`, ...c.command.map((a) => `${i}  ${a}`));
  if (c.args?.length) lines.push(`${i}Args:`, ...c.args.map((a) => `${i}  ${a}`));
  lines.push(...containerState(s?.state, i));
  if (s?.lastState?.terminated) {
    const t = s.lastState.terminated;
    lines.push(`${i}Last State:     Terminated`, `${i}  Reason:       ${t.reason ?? ''}`, `${i}  Exit Code:    ${t.exitCode}`, `${i}  Started:      ${describeTime(t.startedAt)}`, `${i}  Finished:     ${describeTime(t.finishedAt)}`);
  }
  lines.push(`${i}Ready:          ${s?.ready ? 'True' : 'False'}`);
  lines.push(`${i}Restart Count:  ${s?.restartCount ?? 0}`);
  const limits = c.resources?.limits;
  const requests = c.resources?.requests;
  if (limits && Object.keys(limits).length) lines.push(`${i}Limits:`, ...Object.entries(limits).map(([k, v]) => `${i}  ${k}:  ${v}`));
  if (requests && Object.keys(requests).length) lines.push(`${i}Requests:`, ...Object.entries(requests).map(([k, v]) => `${i}  ${k}:  ${v}`));
  const env = ((c.env ?? []) as { name: string; value?: string; valueFrom?: unknown }[]).map((e) => `${i}  ${e.name}:  ${e.value ?? (e.valueFrom ? '<set from a reference>' : '')}`);
  lines.push(env.length ? `${i}Environment:` : `${i}Environment:    <none>`, ...env);
  const mounts = ((c.volumeMounts ?? []) as { name: string; mountPath: string; readOnly?: boolean }[]).map((m) => `${i}  ${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})`);
  lines.push(mounts.length ? `${i}Mounts:` : `${i}Mounts:         <none>`, ...mounts);
  return lines.join('\n');
}

export function eventsTable(events: CoreEvent[], now: number): string {
  if (!events.length) return 'Events:                      <none>';
  const rows = [['Type', 'Reason', 'Age', 'From', 'Message'], ['----', '------', '----', '----', '-------']];
  for (const e of events) {
    const last = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
    const age = last ? humanDuration(now - Date.parse(last)) : '<unknown>';
    const count = e.count && e.count > 1 ? ` (x${e.count} over ${humanDuration(now - Date.parse(e.firstTimestamp ?? last ?? ''))})` : '';
    rows.push([e.type ?? 'Normal', e.reason ?? '', age + count, e.source?.component ?? e.reportingComponent ?? '', e.message ?? '']);
  }
  return `Events:\n${textTable(rows, '  ')}`;
}

export function describePod(pod: Pod, events: CoreEvent[], now: number): string {
  const m = pod.metadata;
  const s = pod.status ?? {};
  const W = 18;
  const out: string[] = [];
  const field = (label: string, value: string) => out.push(`${(label + ':').padEnd(W)}${value}`.trimEnd());
  field('Name', m.name ?? '');
  field('Namespace', m.namespace ?? '');
  field('Priority', String(pod.spec.priority ?? 0));
  field('Service Account', String(pod.spec.serviceAccountName ?? 'default'));
  field('Node', pod.spec.nodeName ? `${pod.spec.nodeName}/${s.hostIP ?? ''}` : '<none>');
  field('Start Time', s.startTime ? describeTime(s.startTime) : '<none>');
  out.push(...multi('Labels', map(m.labels), W));
  out.push(...multi('Annotations', map(m.annotations, ': '), W));
  out.push(`${'Status:'.padEnd(W)}${m.deletionTimestamp ? 'Terminating' : s.phase ?? 'Pending'}`);
  if (s.reason) out.push(`${'Reason:'.padEnd(W)}${s.reason}`);
  if (s.message) out.push(`${'Message:'.padEnd(W)}${s.message}`);
  out.push(`${'IP:'.padEnd(W)}${s.podIP ?? ''}`.trimEnd());
  out.push(`IPs:${(s.podIPs ?? []).length ? '' : `${''.padEnd(W - 4)}<none>`}`);
  for (const ip of s.podIPs ?? []) out.push(`  IP:  ${ip.ip}`);
  const init = pod.spec.initContainers ?? [];
  if (init.length) {
    out.push('Init Containers:');
    for (const c of init) out.push(describeContainer(c, s.initContainerStatuses?.find((x) => x.name === c.name)));
  }
  out.push('Containers:');
  for (const c of pod.spec.containers ?? []) out.push(describeContainer(c, s.containerStatuses?.find((x) => x.name === c.name)));
  const conditions = s.conditions ?? [];
  if (conditions.length) out.push('Conditions:', textTable([['Type', 'Status'], ...conditions.map((c) => [c.type, c.status])], '  '));
  const volumes = (pod.spec.volumes ?? []) as { name: string }[];
  out.push(volumes.length ? 'Volumes:' : 'Volumes:                     <none>');
  for (const v of volumes) out.push(`  ${v.name}:`, `    Type:  ${Object.keys(v).filter((k) => k !== 'name')[0] ?? 'unknown'}`);
  const W2 = 29;
  out.push(`${'QoS Class:'.padEnd(W2)}${s.qosClass ?? 'BestEffort'}`);
  out.push(...multi('Node-Selectors', map(pod.spec.nodeSelector), W2));
  const tolerations = (pod.spec.tolerations ?? []).map((t) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}${t.operator === 'Exists' ? ' op=Exists' : ''}${t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : ''}`);
  out.push(...multi('Tolerations', tolerations.length ? tolerations : ['<none>'], W2));
  out.push(eventsTable(events, now));
  return out.join('\n') + '\n';
}

export function describeNode(node: Node, pods: readonly Pod[], events: CoreEvent[], now: number): string {
  const m = node.metadata;
  const s = node.status ?? {};
  const W = 20;
  const out: string[] = [];
  out.push(`${'Name:'.padEnd(W)}${m.name ?? ''}`);
  const roles = Object.keys(m.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.split('/')[1]);
  out.push(`${'Roles:'.padEnd(W)}${roles.join(',') || '<none>'}`);
  out.push(...multi('Labels', map(m.labels), W));
  out.push(...multi('Annotations', map(m.annotations, ': '), W));
  out.push(`${'CreationTimestamp:'.padEnd(W)}${describeTime(m.creationTimestamp ?? undefined)}`);
  const taints = (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  out.push(...multi('Taints', taints.length ? taints : ['<none>'], W));
  out.push(`${'Unschedulable:'.padEnd(W)}${node.spec?.unschedulable ? 'true' : 'false'}`);
  out.push('Conditions:', textTable([
    ['Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message'],
    ['----', '------', '-----------------', '------------------', '------', '-------'],
    ...(s.conditions ?? []).map((c) => [c.type, c.status, describeTime(c.lastHeartbeatTime), describeTime(c.lastTransitionTime), c.reason ?? '', c.message ?? '']),
  ], '  '));
  out.push('Addresses:', ...(s.addresses ?? []).map((a) => `  ${a.type}:  ${a.address}`));
  out.push('Capacity:', ...Object.entries(s.capacity ?? {}).map(([k, v]) => `  ${k}:  ${v}`));
  out.push('Allocatable:', ...Object.entries(s.allocatable ?? {}).map(([k, v]) => `  ${k}:  ${v}`));
  const info = s.nodeInfo;
  if (info) {
    out.push('System Info:', textTable(Object.entries(info).map(([k, v]) => [`${k.replace(/^./, (c) => c.toUpperCase()).replace(/([A-Z])/g, ' $1').trim()}:`, String(v)]), '  '));
  }
  out.push(`${'PodCIDR:'.padEnd(W)}${node.spec?.podCIDR ?? ''}`);
  out.push(`Non-terminated Pods:          (${pods.length} in total)`);
  out.push(textTable([
    ['Namespace', 'Name', 'Status', 'Age'],
    ['---------', '----', '------', '---'],
    ...pods.map((p) => [p.metadata.namespace ?? '', p.metadata.name ?? '', podStatusText(p), humanDuration(now - Date.parse(p.metadata.creationTimestamp ?? ''))]),
  ], '  '));
  out.push(eventsTable(events, now));
  return out.join('\n') + '\n';
}
