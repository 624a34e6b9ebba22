import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock, settle } from '../../../../src/cluster/clock';
import { PODS } from '../../../../src/cluster/client/client';
import type { Pod } from '../../../../src/cluster/api/types';
import { ContainerIds } from '../../../../src/cluster/kubelet/runtime/container-ids';

const START = Date.parse('2026-01-01T00:00:00Z');
const NODES = 12;

/**
 * A pod on `node` whose container exits at once and is restarted: a new container id each time.
 * Pulled each time (Always), so a kubelet draws the same jitters for it whether or not the image
 * is on the node: a kubelet started again on a data dir goes through the same draws as the first.
 */
function crashing(name: string, node: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName: node, restartPolicy: 'Always', containers: [{ name: 'main', image: 'busybox:1.36', imagePullPolicy: 'Always', command: ['sh', '-c', 'exit 1'] }] },
  } as Pod;
}

async function advance(c: Cluster, clock: ManualClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 1_000) {
    await clock.advance(Math.min(1_000, left));
    for (let i = 0; i < 4; i++) { await c.store.txn([], []); await settle(); }
  }
}

/** Every container id the pods' statuses show (current and last state), by pod. */
async function ids(c: Cluster): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const p of (await c.client().resource<Pod>(PODS).list({ namespace: 'default' })).items) {
    const seen = new Set<string>();
    for (const s of p.status?.containerStatuses ?? []) {
      for (const id of [s.containerID, s.lastState?.terminated?.containerID]) if (id) seen.add(id);
    }
    out.set(p.metadata.name!, seen);
  }
  return out;
}

/** Runs a crashing pod on each of `nodes` nodes for `ms`; returns the ids seen at each second. */
async function run(c: Cluster, clock: ManualClock, prefix: string, ms: number, nodes = NODES): Promise<Map<string, Set<string>>> {
  const pods = c.client().resource<Pod>(PODS);
  for (let n = 1; n <= nodes; n++) await pods.create(crashing(`${prefix}-${n}`, `node-${n}`));
  const all = new Map<string, Set<string>>();
  for (let t = 0; t < ms; t += 1_000) {
    await advance(c, clock, 1_000);
    for (const [pod, seen] of await ids(c)) {
      if (!pod.startsWith(prefix)) continue;
      const into = all.get(pod) ?? new Set<string>();
      for (const id of seen) into.add(id);
      all.set(pod, into);
    }
  }
  return all;
}

function assertDistinct(groups: Iterable<Set<string>>): number {
  const owner = new Map<string, number>();
  let i = 0;
  for (const group of groups) {
    for (const id of group) {
      assert.match(id, /^containerd:\/\/[0-9a-f]{64}$/);
      const other = owner.get(id);
      assert.ok(other === undefined, `${id} belongs to two containers`);
      owner.set(id, i);
    }
    i++;
  }
  return owner.size;
}

test('container ids never repeat across nodes, nor across a restart on the same data dir, and a seed replays them', async () => {
  const runTwice = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-ids-'));
    try {
      const clock1 = new ManualClock(START);
      const first = await Cluster.start({ clock: clock1, nodes: NODES, dataDir, kubeletBehaviour: { seed: 5 } });
      let before: Map<string, Set<string>>;
      try {
        before = await run(first, clock1, 'a', 30_000);
      } finally {
        await first.stop();
      }
      const clock2 = new ManualClock(clock1.now() + 1_000);
      const second = await Cluster.start({ clock: clock2, nodes: NODES, dataDir, kubeletBehaviour: { seed: 5 } });
      let after: Map<string, Set<string>>;
      try {
        after = await run(second, clock2, 'b', 30_000);
      } finally {
        await second.stop();
      }
      return { before, after };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
  const one = await runTwice();
  // Each pod's container ran (and crashed) a few times in each process.
  for (const seen of [...one.before.values(), ...one.after.values()]) assert.ok(seen.size >= 2, `${seen.size} containers`);
  const count = assertDistinct([...one.before.values(), ...one.after.values()]);
  assert.ok(count >= NODES * 4, `${count} ids`);
  const two = await runTwice();
  assert.deepEqual(two, one, 'the same seed gives the same ids');
});

test('the ids of two id spaces (two kubelet starts) differ for every container number, and a number gives one text', () => {
  const seen = new Set<string>();
  for (const epoch of [1, 2, 3, 2 ** 32 + 1, 2 ** 40]) {
    const space = new ContainerIds(9, epoch);
    for (let n = 0; n < 300; n++) {
      const text = space.text(space.next());
      assert.match(text, /^[0-9a-f]{64}$/);
      assert.ok(!seen.has(text), `${text} twice`);
      seen.add(text);
    }
  }
  assert.equal(new ContainerIds(9, 2).text(17), new ContainerIds(9, 2).text(17));
  assert.notEqual(new ContainerIds(9, 2).text(17), new ContainerIds(10, 2).text(17), 'the seed changes the ids');
});

test('a node removed and added again (a new kubelet of the same name, the same seed) does not give its earlier ids again', async () => {
  const clock = new ManualClock(START);
  const cluster = await Cluster.start({ clock, nodes: 1, kubeletBehaviour: { seed: 5 } });
  try {
    const first = await run(cluster, clock, 'a', 15_000, 1);
    await cluster.nodes.remove('node-1');
    await advance(cluster, clock, 2_000);
    await cluster.nodes.add({ name: 'node-1' });
    const second = await run(cluster, clock, 'b', 15_000, 1);
    assert.ok([...second.values()].every((seen) => seen.size >= 1));
    assertDistinct([...first.values(), ...second.values()]);
  } finally {
    await cluster.stop();
  }
});

test('after 2^20 id spaces in one process (past the cache\'s slots), a new space never reads an older live space\'s ids from the cache', () => {
  const first = new ContainerIds(1, 1);
  const firstId = first.text(0);
  // Spaces made one after another (kubelets of clusters started and stopped in one process).
  for (let i = 0; i < 0x100000 - 1; i++) new ContainerIds(1, 2);
  const wrapped = new ContainerIds(1, 3);
  assert.equal(first.text(0), firstId, 'the first space still alive, its id cached again');
  const other = new ContainerIds(1, 3);
  assert.notEqual(wrapped.text(0), firstId);
  assert.equal(wrapped.text(0), other.text(0), 'the same (epoch, number), the same id');
});
