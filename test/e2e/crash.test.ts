/**
 * Durability of the standalone server: a stream of creates over HTTPS, SIGKILL in the middle of it,
 * a restart on the same data directory, and then every create the server acknowledged (201) must
 * be there, unchanged, with resourceVersions that still make sense to list and watch clients; and
 * the restarted server must take new writes.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiHttp } from './http';
import { StandaloneServer } from './server';

const NS = 'crash';
const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-crash-'));
const servers: StandaloneServer[] = [];
const clients: ApiHttp[] = [];

after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

interface ConfigMap {
  metadata: { name: string; namespace: string; resourceVersion: string; uid: string };
  data?: Record<string, string>;
}

test('every acknowledged create survives SIGKILL and a restart; resourceVersions stay consistent', { timeout: 120_000 }, async () => {
  const first = await StandaloneServer.start({ dataDir, nodes: 0 });
  servers.push(first);
  const api = ApiHttp.fromKubeconfig(first.kubeconfig, { maxSockets: 8 });
  clients.push(api);
  const ns = await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
  assert.equal(ns.status, 201, ns.text);

  // Stream creates from 8 concurrent writers; kill the server once 300 have been acknowledged.
  const acknowledged = new Map<string, ConfigMap>();
  const KILL_AFTER = 300;
  let killed: Promise<void> | undefined;
  let next = 0;
  const writer = async () => {
    for (;;) {
      const name = `cm-${String(next++).padStart(5, '0')}`;
      let r;
      try {
        r = await api.request('POST', `/api/v1/namespaces/${NS}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { suite: 'crash' } }, data: { name, pad: 'x'.repeat(200) } }, timeoutMs: 10_000 });
      } catch {
        return; // the server is gone: this create was never acknowledged
      }
      assert.equal(r.status, 201, r.text);
      acknowledged.set(name, r.json<ConfigMap>());
      if (acknowledged.size === KILL_AFTER) killed = first.kill();
      if (killed) return;
    }
  };
  await Promise.all(Array.from({ length: 8 }, writer));
  await killed;
  assert.ok(acknowledged.size >= KILL_AFTER);
  api.close();

  const second = await StandaloneServer.start({ dataDir, nodes: 0 });
  servers.push(second);
  const again = ApiHttp.fromKubeconfig(second.kubeconfig);
  clients.push(again);

  // The test's objects only: the root CA publisher adds kube-root-ca.crt to each namespace.
  const listed = await again.request('GET', `/api/v1/namespaces/${NS}/configmaps?labelSelector=suite%3Dcrash`);
  assert.equal(listed.status, 200, listed.text);
  const list = listed.json<{ metadata: { resourceVersion: string }; items: ConfigMap[] }>();
  const byName = new Map(list.items.map((i) => [i.metadata.name, i]));
  const listRv = Number(list.metadata.resourceVersion);
  for (const [name, ack] of acknowledged) {
    const found = byName.get(name);
    assert.ok(found, `acknowledged ${name} (resourceVersion ${ack.metadata.resourceVersion}) survived the crash`);
    assert.equal(found.metadata.uid, ack.metadata.uid);
    assert.equal(found.metadata.resourceVersion, ack.metadata.resourceVersion, `${name} has the resourceVersion its create returned`);
    assert.deepEqual(found.data, ack.data);
  }
  // Creates in flight at the kill may or may not have landed, but never half: whole objects only.
  for (const item of list.items) {
    assert.equal(item.data?.['name'], item.metadata.name);
    assert.ok(Number(item.metadata.resourceVersion) <= listRv, `${item.metadata.name}: object RV ${item.metadata.resourceVersion} ≤ list RV ${listRv}`);
  }
  const rvs = list.items.map((i) => Number(i.metadata.resourceVersion));
  assert.equal(new Set(rvs).size, rvs.length, 'no two objects share a resourceVersion');

  // Each object read alone agrees with the list.
  const sample = [...acknowledged.keys()][Math.floor(acknowledged.size / 2)]!;
  const one = await again.request('GET', `/api/v1/namespaces/${NS}/configmaps/${sample}`);
  assert.equal(one.status, 200);
  assert.equal(one.json<ConfigMap>().metadata.resourceVersion, byName.get(sample)!.metadata.resourceVersion);

  // A watch from a resourceVersion before the crash either replays what followed, in order, or
  // says 410 Expired; it never invents or loses events.
  const firstAck = Math.min(...[...acknowledged.values()].map((a) => Number(a.metadata.resourceVersion)));
  const events: { type: string; object: Record<string, unknown> }[] = [];
  const expectedAfter = list.items.filter((i) => Number(i.metadata.resourceVersion) > firstAck).length;
  let resolveSeen!: () => void;
  const seen = new Promise<void>((r) => { resolveSeen = r; });
  const watch = await again.watch(`/api/v1/namespaces/${NS}/configmaps?watch=true&labelSelector=suite%3Dcrash&resourceVersion=${firstAck}`, (e) => {
    events.push(e);
    if (e.type === 'ERROR' || events.length >= expectedAfter) resolveSeen();
  });
  assert.equal(watch.status, 200);
  await Promise.race([seen, watch.done]);
  watch.close();
  if (events[0]?.type === 'ERROR') {
    const status = events[0].object as { code: number; reason: string };
    assert.deepEqual([status.code, status.reason], [410, 'Expired']);
  } else {
    assert.equal(events.length, expectedAfter);
    const eventRvs = events.map((e) => Number((e.object['metadata'] as { resourceVersion: string }).resourceVersion));
    assert.deepEqual(eventRvs, [...eventRvs].sort((a, b) => a - b));
    assert.ok(events.every((e) => e.type === 'ADDED'));
    assert.ok(eventRvs.every((rv) => rv > firstAck && rv <= listRv));
  }

  // The restarted server takes new writes, after everything it already had.
  const created = await again.request('POST', `/api/v1/namespaces/${NS}/configmaps`, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart', labels: { suite: 'crash' } } } });
  assert.equal(created.status, 201, created.text);
  assert.ok(Number(created.json<ConfigMap>().metadata.resourceVersion) > listRv);
  const updated = await again.request('PUT', `/api/v1/namespaces/${NS}/configmaps/${sample}`, { body: { ...byName.get(sample), data: { name: sample, changed: 'yes' } } });
  assert.equal(updated.status, 200, updated.text);

  // A clean stop and one more start: the post-restart writes are kept too.
  assert.equal(await second.stop({ keepData: true }), 0);
  const third = await StandaloneServer.start({ dataDir, nodes: 0 });
  servers.push(third);
  const last = ApiHttp.fromKubeconfig(third.kubeconfig);
  clients.push(last);
  const kept = await last.request('GET', `/api/v1/namespaces/${NS}/configmaps/${sample}`);
  assert.equal(kept.json<ConfigMap>().data?.['changed'], 'yes');
  const afterRestart = await last.request('GET', `/api/v1/namespaces/${NS}/configmaps/after-restart`);
  assert.equal(afterRestart.status, 200);
  const finalList = await last.request('GET', `/api/v1/namespaces/${NS}/configmaps?labelSelector=suite%3Dcrash`);
  assert.equal(finalList.json<{ items: unknown[] }>().items.length, list.items.length + 1);
});
