import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodStatus } from '../../../../src/cluster/api/types';
import { sameJson } from '../../../../src/cluster/api/same-json';
import { FakeHost, makePod } from './fake-host';

/** A host that keeps every status the worker hands it, as JSON text, repeated ones too. */
class RawHost extends FakeHost {
  readonly handed: string[] = [];
  override writeStatus(pod: Pod, status: PodStatus): void {
    this.handed.push(JSON.stringify(status));
    super.writeStatus(pod, status);
  }
}

const noRepeats = (texts: string[]) => texts.filter((t, i) => i > 0 && t === texts[i - 1]);

test('the worker hands over a status only when it differs from the one before (crash loop, probes, deletion)', async () => {
  const host = new RawHost();
  const pod = makePod({ containers: [
    { name: 'box', image: 'busybox:1.36' },
    { name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 } },
  ] });
  const worker = host.worker(pod);
  await host.clock.advance(120_000);
  worker.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:02:00Z', deletionGracePeriodSeconds: 30 } });
  await host.clock.advance(5000);
  assert.deepEqual(noRepeats(host.handed), []);
  // Nothing that changed was held back: every distinct status the host keeps was handed over.
  assert.deepEqual(host.handed, host.recorded.statuses.map((s) => JSON.stringify(s)));
  assert.ok(host.handed.length >= 8, `${host.handed.length} statuses`);
  assert.equal(host.recorded.deleted, true);
});

test('republish hands over the status again even when nothing changed (a restarted kubelet forgot its writes)', async () => {
  const host = new RawHost();
  const worker = host.worker(makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }));
  await host.clock.advance(5000);
  const before = host.handed.length;
  worker.republish();
  await host.clock.advance(0);
  assert.equal(host.handed.length, before + 1);
  assert.equal(host.handed.at(-1), host.handed.at(-2));
});

test('a new condition of another component is handed over with the rest of the status', async () => {
  const host = new RawHost();
  const pod = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] });
  const worker = host.worker(pod);
  await host.clock.advance(5000);
  const before = host.handed.length;
  const disruption = { type: 'DisruptionTarget', status: 'True' as const, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:05Z', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
  worker.update({ ...pod, status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), disruption] } });
  assert.equal(host.handed.length, before + 1);
  // Another component's condition comes before the kubelet's own, as 1.32's mergePodStatus orders them.
  assert.deepEqual(host.status.conditions?.[0], disruption);
  assert.deepEqual(host.status.conditions?.slice(1).map((c) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  // The same condition again (a new copy): nothing to hand over; a changed one: handed at once.
  worker.update({ ...pod, status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), { ...disruption }] } });
  assert.equal(host.handed.length, before + 1);
  const changed = { ...disruption, message: 'Eviction API: evicting again' };
  worker.update({ ...pod, status: { ...pod.status, conditions: [...(pod.status?.conditions ?? []), changed] } });
  assert.equal(host.handed.length, before + 2);
  assert.deepEqual(host.status.conditions?.[0], changed);
});

test('sameJson: true only for values that serialize to the same text', () => {
  assert.equal(sameJson({ a: 1, b: [{ c: 'x' }, null] }, { a: 1, b: [{ c: 'x' }, null] }), true);
  assert.equal(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }), false, 'member order is part of the text');
  assert.equal(sameJson({ a: 'x' }, { a: 'y' }), false);
  assert.equal(sameJson([1, 2], [1, 2, 3]), false);
  assert.equal(sameJson({ a: undefined }, { a: undefined }), false, 'not plain JSON: counted as different');
  assert.equal(sameJson({}, []), false);
  assert.equal(sameJson(NaN, NaN), false);
});
