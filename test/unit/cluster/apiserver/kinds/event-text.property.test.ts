import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../../../../src/cluster/cluster';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import { StatusError } from '../../../../../src/cluster/api/errors';
import { EVENTS, NAMESPACES, type ResourceClient } from '../../../../../src/cluster/client/client';
import { events } from '../../../../../src/cluster/apiserver/registry/kinds/events';
import { createdEventText } from '../../../../../src/cluster/apiserver/registry/kinds/event-text';
import { seededRandom } from '../../../../../src/cluster/scheduler/schedule-one';
import { startCluster } from '../fixture';

const KUBELET_AGENT = 'kubelet/v1.32.4 (linux/amd64) kubernetes/kube-sim';
const REASONS = ['Pulling', 'Pulled', 'Created', 'Started', 'Killing', 'BackOff', 'Failed', 'Unhealthy', 'FailedMount', 'Scheduled', 'NodeReady', 'RegisteredNode'];
const NAMESPACES_USED = ['default', 'team-a', 'kube-system', 'missing', 'Bad_NS'];
/** Characters messages are made of: JSON escapes, controls, non-ASCII, a surrogate pair and lone surrogates. */
const CHARS = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '😀', '\ud800', '\udfff', '{', '}'];

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

function message(rand: Rand): string {
  const length = rand() < 0.2 ? Math.floor(rand() * 1500) : Math.floor(rand() * 60);
  let text = '';
  for (let i = 0; i < length; i++) text += rand() < 0.7 ? 'abcdefghij'[Math.floor(rand() * 10)] : pick(rand, CHARS);
  return text;
}

function eventName(rand: Rand, object: string, seed: number): string {
  const hex = (0x18eb73159a450000 + seed).toString(16);
  const odd = rand();
  if (odd < 0.85) return `${object}.${hex}`;
  return pick(rand, [`${object.toUpperCase()}.${hex}`, `-${object}.${hex}`, `${object}_x.${hex}`, `${object}..${hex}`, `${'a'.repeat(254 - hex.length)}.${hex}`, `${'a'.repeat(252 - hex.length)}.${hex}`, `é${seed}`, '']);
}

/** An event as a recorder builds it, or now and then not quite (other members, order, types, values). */
function randomEvent(rand: Rand, seed: number): KubeObject {
  const namespace = rand() < 0.8 ? pick(rand, ['default', 'team-a']) : pick(rand, NAMESPACES_USED);
  const objectName = pick(rand, ['web', 'db-0', 'node-1', 'nginx-7d9c']);
  const involved: Record<string, string> = {};
  const maybe = (key: string, value: string) => { if (rand() < 0.9) involved[key] = value; };
  maybe('kind', pick(rand, ['Pod', 'Node']));
  if (rand() < 0.9) involved.namespace = rand() < 0.9 ? namespace : pick(rand, ['', 'default', 'other']);
  maybe('name', objectName);
  maybe('uid', `uid-${seed}`);
  maybe('apiVersion', 'v1');
  maybe('resourceVersion', String(seed * 7));
  maybe('fieldPath', pick(rand, ['spec.containers{web}', 'spec.initContainers{init}']));
  const host = rand() < 0.8 ? 'node-1' : undefined;
  const component = pick(rand, ['kubelet', 'node-controller']);
  const event: KubeObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(rand, objectName, seed), namespace },
    involvedObject: involved,
    reason: pick(rand, REASONS),
    message: message(rand),
    source: host ? { component, host } : { component },
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    count: rand() < 0.9 ? 1 : pick(rand, [7, 1.5, -1, 2 ** 31, '1']),
    type: rand() < 0.95 ? pick(rand, ['Normal', 'Warning']) : 'Odd',
    eventTime: rand() < 0.95 ? null : '2026-01-01T00:00:00.000000Z',
    reportingComponent: component,
    reportingInstance: host ?? '',
  };
  const odd = rand();
  if (odd < 0.03) event.action = 'Binding';
  else if (odd < 0.06) event.bogus = 'x';
  else if (odd < 0.09) { const { reason } = event; delete event.reason; event.reason = reason; }
  else if (odd < 0.12) delete event.message;
  else if (odd < 0.15) event.metadata.labels = { app: 'web' };
  else if (odd < 0.18) event.source = { component, host: 7 } as unknown as KubeObject['source'];
  return event;
}

type Outcome = { status?: unknown; text?: string; answer?: unknown };

/** What a create of `event` did: its error, or its stored text and its answer (uids replaced by `UID`). */
async function outcome(cluster: Cluster, client: ResourceClient, event: KubeObject, dryRun: boolean): Promise<Outcome> {
  const namespace = event.metadata.namespace!;
  try {
    const answer = await client.createHandingOver(event, { namespace, dryRun });
    const object = answer.object as KubeObject;
    const uid = object.metadata.uid!;
    const { kvs } = await cluster.store.range({ key: `/registry/events/${namespace}/${event.metadata.name}` });
    const text = dryRun ? undefined : kvs[0]!.value.replaceAll(uid, 'UID');
    return { text, answer: JSON.parse(JSON.stringify(object).replaceAll(uid, 'UID')) };
  } catch (err) {
    if (!(err instanceof StatusError)) throw err;
    return { status: err.status };
  }
}

async function clusterWithNamespace(): Promise<Cluster> {
  const cluster = await startCluster();
  await cluster.client().resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  return cluster;
}

test('an Event the strategy serializes itself is stored, answered and refused byte for byte as the generic create does it', async () => {
  const fast = await clusterWithNamespace();
  const generic = await clusterWithNamespace();
  const strategy = events.strategy;
  const createdText = strategy.createdText!;
  let recognized = 0;
  strategy.createdText = (object) => {
    const text = createdText(object);
    if (text !== undefined) recognized++;
    return text;
  };
  try {
    const fastEvents = fast.client(undefined, KUBELET_AGENT).resource(EVENTS);
    const genericEvents = generic.client(undefined, KUBELET_AGENT).resource(EVENTS);
    const rand = seededRandom(20261126);
    const created: KubeObject[] = [];
    const N = 600;
    for (let seed = 0; seed < N; seed++) {
      const event = randomEvent(rand, seed);
      const dryRun = rand() < 0.05;
      const a = await outcome(fast, fastEvents, structuredClone(event), dryRun);
      const hook: typeof createdText | undefined = strategy.createdText;
      delete strategy.createdText;
      let b: Outcome;
      try {
        b = await outcome(generic, genericEvents, structuredClone(event), dryRun);
      } finally {
        strategy.createdText = hook;
      }
      assert.deepEqual(a, b, `event ${seed}: ${JSON.stringify(event).slice(0, 300)}`);
      if (a.text !== undefined) created.push(event);
    }
    // The property covers both sides: many recorder-shaped events, and many that were not (or not valid).
    assert.ok(recognized > N / 3 && N - recognized > N / 10, `recognized ${recognized} of ${N}`);

    // A repeat becomes a count on the stored Event (the recorder's merge patch): the same bytes either way.
    for (const event of created.filter((_, i) => i % 5 === 0)) {
      const patch = { count: 2, lastTimestamp: '2026-01-01T00:01:00Z' };
      const options = { namespace: event.metadata.namespace! };
      await fastEvents.patch(event.metadata.name!, 'merge', patch, options);
      await genericEvents.patch(event.metadata.name!, 'merge', patch, options);
      const key = `/registry/events/${event.metadata.namespace}/${event.metadata.name}`;
      const [a, b] = [(await fast.store.range({ key })).kvs[0]!.value, (await generic.store.range({ key })).kvs[0]!.value];
      const uid = (text: string) => (JSON.parse(text) as KubeObject).metadata.uid!;
      assert.equal(a.replaceAll(uid(a), 'UID'), b.replaceAll(uid(b), 'UID'));
    }
  } finally {
    strategy.createdText = createdText;
    await fast.stop();
    await generic.stop();
  }
});

test('what is not a recorder-shaped, valid Event is left to the generic create', () => {
  const event = (): KubeObject => ({
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: 'web.18eb73159a451248', namespace: 'default', uid: 'u', creationTimestamp: '2026-01-01T00:00:00Z' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web' },
    reason: 'Pulled', message: 'm', source: { component: 'kubelet' },
    firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', count: 1, type: 'Normal',
    eventTime: null, reportingComponent: 'kubelet', reportingInstance: '',
  });
  assert.equal(createdEventText(event()), JSON.stringify(event()));
  const variants: ((e: KubeObject) => void)[] = [
    (e) => { e.involvedObject = { namespace: 'other' }; },
    (e) => { e.metadata.namespace = 'team-a'; e.involvedObject = { kind: 'Node', name: 'node-1' }; },
    (e) => { e.metadata.name = 'Web.1'; },
    (e) => { e.eventTime = '2026-01-01T00:00:00.000000Z'; },
    (e) => { e.count = 1.5; },
    (e) => { e.metadata.labels = {}; },
    (e) => { e.series = { count: 2 }; },
    (e) => { (e.metadata as Record<string, unknown>).managedFields = [{ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: 't', fieldsType: 'FieldsV1', fieldsV1: {} }]; },
  ];
  for (const change of variants) {
    const e = event();
    change(e);
    assert.equal(createdEventText(e), undefined, JSON.stringify(e));
  }
});

test('a kubelet\'s Events as stored, the first and the next of its shape: every field the recorder wrote owned, but eventTime (null)', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client(undefined, KUBELET_AGENT).resource(EVENTS);
    for (const name of ['web.18eb73159a451248', 'web.18eb73159a451249']) {
      await client.createHandingOver({
        apiVersion: 'v1', kind: 'Event',
        metadata: { name, namespace: 'default' },
        involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{web}' },
        reason: 'Pulled', message: 'Successfully pulled image', source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', count: 1, type: 'Normal',
        eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'node-1',
      }, { namespace: 'default' });
      const { kvs } = await cluster.store.range({ key: `/registry/events/default/${name}` });
      const stored = JSON.parse(kvs[0]!.value) as KubeObject;
      assert.equal(stored.eventTime, null);
      assert.deepEqual(stored.metadata.managedFields!.map((e) => [e.manager, e.operation, e.fieldsV1]), [['kubelet', 'Update', {
        'f:count': {}, 'f:firstTimestamp': {}, 'f:involvedObject': {}, 'f:lastTimestamp': {}, 'f:message': {}, 'f:reason': {},
        'f:reportingComponent': {}, 'f:reportingInstance': {}, 'f:source': { 'f:component': {}, 'f:host': {} }, 'f:type': {},
      }]]);
    }
  } finally {
    await cluster.stop();
  }
});
