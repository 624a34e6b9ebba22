/**
 * What the running cluster says about the field under the cursor (issue 7, live hovers), as Markdown
 * to append to the schema explanation:
 *  - resources.requests (cpu, memory): on which nodes the pod's requests fit, and what each has free;
 *  - nodeSelector, affinity, tolerations: which nodes match, and which taint blocks which node;
 *  - image: whether the simulated registry knows it, its size, and which nodes have it cached;
 *  - metadata.name of a pod that exists: its phase, node, restarts and last event.
 * Plain Node: it reads a ClusterSnapshot and the document; nothing here waits on the cluster.
 */
import type { Document } from 'yaml';
import type { Node, Pod, PodSpec } from '../../cluster/api/types';
import { catalogImage } from '../../cluster/kubelet/runtime/catalog';
import { parseImageReference } from '../../cluster/kubelet/runtime/image-ref';
import { explainAt, type Explanation } from '../../schema/explain/explain';
import { parseText } from '../../schema/explain/parsed-text';
import { loadFieldIndex, type FieldIndex } from '../../schema/field-index';
import { formatCpu, formatMemory, nodeFits, podRequests } from './node-fit';
import { getIn, podSpecPath, withinPodSpec } from './pod-template';
import type { ClusterSnapshot, CoreEvent } from './snapshot';

const objects = new WeakMap<Document, unknown>();

/** The live part of the hover at `offset`, or undefined when the cluster has nothing to add there. */
export function liveHoverAt(text: string, offset: number, snapshot: ClusterSnapshot, index: FieldIndex = loadFieldIndex()): string | undefined {
  const explanation = explainAt(text, offset, index);
  if (explanation === undefined) return undefined;
  const doc = parseText(text).documents[explanation.document];
  let object = objects.get(doc);
  if (object === undefined) {
    object = doc.toJS() as unknown;
    objects.set(doc, object);
  }
  return liveHover(explanation, object, snapshot);
}

export function liveHover(e: Explanation, object: unknown, snapshot: ClusterSnapshot): string | undefined {
  const kind = e.gvk.kind;
  if (e.fieldPath === 'metadata.name' && kind === 'Pod') return livePod(object, snapshot);
  const rel = withinPodSpec(kind, e.segments);
  const specPath = podSpecPath(kind);
  if (rel === undefined || specPath === undefined) return undefined;
  const spec = getIn(object, specPath) as PodSpec | undefined;
  if (!spec || typeof spec !== 'object') return undefined;
  const top = rel[0];
  if ((top === 'containers' || top === 'initContainers') && rel[2] === 'resources' && rel[3] === 'requests') return requestsHover(spec, snapshot, rel[4]);
  if ((top === 'containers' || top === 'initContainers') && rel[2] === 'image' && rel.length === 3) {
    const image = getIn(spec, rel);
    return typeof image === 'string' ? imageHover(image, snapshot.nodes) : undefined;
  }
  if (top === 'nodeSelector' || top === 'affinity' || top === 'tolerations') return placementHover(spec, snapshot);
  return undefined;
}

function requestsHover(spec: PodSpec, snapshot: ClusterSnapshot, resource: unknown): string | undefined {
  if (snapshot.nodes.length === 0) return '**Cluster:** no nodes.';
  const asked = podRequests(spec);
  const fits = nodeFits(spec, snapshot.nodes, snapshot.pods);
  const showCpu = resource !== 'memory';
  const showMemory = resource !== 'cpu';
  const want: string[] = [];
  if (showCpu) want.push(`cpu ${formatCpu(asked.cpu)}`);
  if (showMemory) want.push(`memory ${formatMemory(asked.memory)}`);
  const fitting = fits.filter((f) => (!showCpu || f.fitsCpu) && (!showMemory || f.fitsMemory));
  const lines = [`**Cluster:** the pod requests ${want.join(', ')}; it fits on ${fitting.length} of ${fits.length} nodes.`, ''];
  lines.push(`| node | ${showCpu ? 'free cpu | ' : ''}${showMemory ? 'free memory | ' : ''}fits |`);
  lines.push(`|---|${showCpu ? '---|' : ''}${showMemory ? '---|' : ''}---|`);
  for (const f of fits) {
    const ok = (!showCpu || f.fitsCpu) && (!showMemory || f.fitsMemory);
    lines.push(`| ${f.node} | ${showCpu ? `${formatCpu(f.freeCpu)} | ` : ''}${showMemory ? `${formatMemory(f.freeMemory)} | ` : ''}${ok ? 'yes' : 'no'} |`);
  }
  return lines.join('\n');
}

function placementHover(spec: PodSpec, snapshot: ClusterSnapshot): string {
  if (snapshot.nodes.length === 0) return '**Cluster:** no nodes.';
  const fits = nodeFits(spec, snapshot.nodes, snapshot.pods);
  const open = fits.filter((f) => f.matchesAffinity && f.blockingTaint === undefined && !f.unschedulable);
  const lines = [`**Cluster:** ${open.length} of ${fits.length} nodes match the selector and affinity and have no untolerated taint.`, ''];
  lines.push('| node | selector/affinity | blocked by |', '|---|---|---|');
  for (const f of fits) {
    const blocked: string[] = [];
    if (f.blockingTaint) blocked.push(`taint \`${f.blockingTaint.key}${f.blockingTaint.value ? `=${f.blockingTaint.value}` : ''}:${f.blockingTaint.effect}\``);
    if (f.unschedulable) blocked.push('cordoned');
    lines.push(`| ${f.node} | ${f.matchesAffinity ? 'matches' : "doesn't match"} | ${blocked.join(', ') || '—'} |`);
  }
  return lines.join('\n');
}

function imageHover(image: string, nodes: readonly Node[]): string {
  const ref = parseImageReference(image);
  if (ref === undefined) return `**Cluster:** \`${image}\` is not a valid image reference; the kubelet would report InvalidImageName.`;
  const known = catalogImage(ref.repository);
  if (known === undefined) return `**Cluster:** the simulated registry does not have \`${ref.repository}\`; the pod would fail with ErrImagePull.`;
  if (!ref.digest && !known.tags.includes(ref.tag)) {
    return `**Cluster:** \`${ref.repository}\` has no tag \`${ref.tag}\` (tags: ${known.tags.map((t) => `\`${t}\``).join(', ')}); the pod would fail with ErrImagePull.`;
  }
  const names = new Set([ref.fullName, `${ref.repository}:${ref.tag}`]);
  const cached = nodes.filter((n) => (n.status?.images ?? []).some((i) => i.names.some((name) => names.has(name)))).map((n) => n.metadata.name ?? '');
  const where = cached.length > 0 ? `cached on ${cached.join(', ')}` : 'cached on no node yet (the first pod pulls it)';
  return `**Cluster:** \`${ref.fullName}\` is in the registry, ${formatMemory(known.sizeBytes)} compressed; ${where}.`;
}

function livePod(object: unknown, snapshot: ClusterSnapshot): string | undefined {
  const metadata = (getIn(object, ['metadata']) ?? {}) as { name?: string; namespace?: string };
  if (!metadata.name) return undefined;
  const namespace = metadata.namespace ?? 'default';
  const pod = snapshot.pods.find((p) => p.metadata.name === metadata.name && (p.metadata.namespace ?? 'default') === namespace);
  if (pod === undefined) return `**Cluster:** no pod \`${namespace}/${metadata.name}\` yet.`;
  const restarts = (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const waiting = (pod.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find((r) => r);
  const phase = pod.metadata.deletionTimestamp ? 'Terminating' : waiting ?? pod.status?.phase ?? 'Pending';
  const lines = [`**Cluster:** pod \`${namespace}/${metadata.name}\` is **${phase}** on ${pod.spec.nodeName ? `\`${pod.spec.nodeName}\`` : 'no node yet'}, ${restarts} restart${restarts === 1 ? '' : 's'}.`];
  const event = lastEvent(snapshot.events, pod);
  if (event) lines.push('', `Last event: ${event.type ?? 'Normal'} **${event.reason ?? ''}**: ${event.message ?? ''}`);
  return lines.join('\n');
}

function lastEvent(events: readonly CoreEvent[], pod: Pod): CoreEvent | undefined {
  let best: CoreEvent | undefined;
  let bestTime = '';
  for (const e of events) {
    const o = e.involvedObject;
    if (o?.kind !== 'Pod' || o.name !== pod.metadata.name || (o.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) continue;
    const time = e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';
    if (best === undefined || time >= bestTime) {
      best = e;
      bestTime = time;
    }
  }
  return best;
}
