/**
 * A kubelet whose Node create fails registers again, as the kubelet's registerWithAPIServer does:
 * after 200 ms, 400 ms, ... doubling up to 7 s of cluster time, until the create is accepted. Pods
 * bound to the node meanwhile run once it has registered. The pool's start (and so Cluster.start)
 * fails with the refusal when no retry can get past it, or after REGISTRATION_PATIENCE_MS of
 * failures, while the kubelet goes on retrying.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { ApiClient, NODES, PODS } from '../../../../src/cluster/client/client';
import { NodePool, NodeRegistrationError, REGISTRATION_PATIENCE_MS } from '../../../../src/cluster/kubelet/nodes';
import { StatusError } from '../../../../src/cluster/api/errors';
import type { Node, Pod } from '../../../../src/cluster/api/types';
import type { ApiRequest, ApiResponse } from '../../../../src/cluster/apiserver/types';

/** A 500 as kube-apiserver answers an internal error. */
function refusal(): ApiResponse {
  return {
    status: 500,
    headers: { 'Content-Type': 'application/json' },
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 },
  };
}

/** A 403 as the authorizer answers a user who may not create Nodes. */
function forbidden(): ApiResponse {
  const message = 'nodes is forbidden: User "system:node:node-1" cannot create resource "nodes" in API group "" at the cluster scope';
  return {
    status: 403,
    headers: { 'Content-Type': 'application/json' },
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', details: { kind: 'nodes' }, code: 403 },
  };
}

/**
 * A node pool whose kubelets reach `cluster` through a client that answers a Node create with
 * `refusal()` while `refuse()` says so; the cluster time of every create attempt goes into `attempts`.
 */
function refusingPool(cluster: Cluster, clock: ManualClock, attempts: number[], refuse: () => boolean, answer = refusal): NodePool {
  return new NodePool({
    clock,
    client: (user) => {
      const through = cluster.client(user).transport;
      return new ApiClient((request: ApiRequest) => {
        if (request.method === 'POST' && request.path === '/api/v1/nodes') {
          attempts.push(clock.now());
          if (refuse()) return Promise.resolve(answer());
        }
        return through(request);
      }, user);
    },
  });
}

interface RefusingPool {
  cluster: Cluster;
  clock: ManualClock;
  pool: NodePool;
  /** The cluster time of every Node create attempt. */
  attempts: number[];
}

/** Runs `body` with a cluster of no nodes and a refusingPool on it (`refuse`, `answer`), and stops both after. */
async function withRefusingPool(refuse: () => boolean, answer: () => ApiResponse, body: (t: RefusingPool) => Promise<void>): Promise<void> {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 0 });
  const attempts: number[] = [];
  const pool = refusingPool(cluster, clock, attempts, refuse, answer);
  try {
    await body({ cluster, clock, pool, attempts });
  } finally {
    pool.stop();
    await cluster.stop();
  }
}

test('a kubelet whose Node create is refused retries with a doubling back-off, then runs the pods bound to it meanwhile', async () => {
  // The first `refusals` Node creates fail; every attempt's cluster time is recorded.
  let refusals = 4;
  await withRefusingPool(() => refusals-- > 0, refusal, async ({ cluster, clock, pool, attempts }) => {
    const start0 = clock.now();
    let registered = false;
    const starting = pool.start([{ name: 'node-1' }]).then(() => { registered = true; });
    await clock.advance(0);
    const nodes = cluster.client().resource<Node>(NODES);
    await assert.rejects(nodes.get('node-1'), /not found/);
    assert.equal(registered, false);

    // A pod bound to the node before it registered.
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'early', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }] } });

    for (const step of [200, 400, 800]) {
      await clock.advance(step);
      assert.equal(registered, false);
    }
    await clock.advance(1_600);
    await starting;
    assert.deepEqual(attempts.map((t) => t - start0), [0, 200, 600, 1_400, 3_000]);
    assert.equal((await nodes.get('node-1')).metadata.name, 'node-1');

    await clock.advance(10_000);
    const early = await pods.get('early', { namespace: 'default' });
    assert.equal(early.status!.phase, 'Running');
  });
});

test('the back-off stops doubling at 7 s, and a kubelet stopped meanwhile stops retrying', async () => {
  await withRefusingPool(() => true, refusal, async ({ clock, pool, attempts }) => {
    const start0 = clock.now();
    // It fails after REGISTRATION_PATIENCE_MS (the next test); the kubelet goes on.
    pool.start([{ name: 'node-1' }]).catch(() => undefined);
    await clock.advance(0);
    for (let i = 0; i < 12; i++) await clock.advance(1_000);
    await clock.advance(20_000);
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    assert.equal(attempts[0], start0);
    assert.deepEqual(gaps, [200, 400, 800, 1_600, 3_200, 6_400, 7_000, 7_000, 7_000].slice(0, gaps.length));
    assert.ok(gaps.length >= 8, `${gaps.length} retries`);
    pool.kubelet('node-1')!.stop();
    const before = attempts.length;
    await clock.advance(30_000);
    assert.equal(attempts.length, before, 'no attempt after the stop');
  });
});

test('Cluster.start fails with the API server\'s refusal when a Node is invalid (422), instead of waiting for ever', async () => {
  const clock = new ManualClock();
  const starting = Cluster.start({ clock, nodeConfigs: [{ name: 'node-1' }, { name: 'node-2', labels: { 'not a key': 'x' } }] });
  const err = await starting.then(() => assert.fail('Cluster.start resolved'), (e: unknown) => e);
  assert.ok(err instanceof NodeRegistrationError, String(err));
  assert.equal(err.node, 'node-2');
  const cause = err.cause as StatusError;
  assert.equal(cause.code, 422);
  assert.equal(cause.reason, 'Invalid');
  assert.match(err.message, /^node "node-2" could not register with the API server: Node "node-2" is invalid: metadata\.labels: Invalid value: "not a key"/);
});

test('a refusal no retry gets past (403) fails the pool\'s start at the first attempt; the kubelet keeps retrying and registers once allowed', async () => {
  let allowed = false;
  await withRefusingPool(() => !allowed, forbidden, async ({ cluster, clock, pool, attempts }) => {
    const err = await pool.start([{ name: 'node-1' }]).then(() => assert.fail('start resolved'), (e: unknown) => e);
    assert.ok(err instanceof NodeRegistrationError);
    assert.equal((err.cause as StatusError).reason, 'Forbidden');
    assert.equal(err.message, 'node "node-1" could not register with the API server: nodes is forbidden: User "system:node:node-1" cannot create resource "nodes" in API group "" at the cluster scope');
    assert.equal(attempts.length, 1);
    await clock.advance(1_000);
    assert.ok(attempts.length > 1, 'it retries');
    allowed = true;
    await clock.advance(10_000);
    assert.equal((await cluster.client().resource<Node>(NODES).get('node-1')).metadata.name, 'node-1');
  });
});

test('a refusal a retry may get past (500) fails the pool\'s start only after REGISTRATION_PATIENCE_MS of cluster time, with the last refusal', async () => {
  await withRefusingPool(() => true, refusal, async ({ clock, pool, attempts }) => {
    const start0 = clock.now();
    const outcome: { failed?: unknown } = {};
    pool.start([{ name: 'node-1' }]).catch((e: unknown) => { outcome.failed = e; });
    // Attempts at 0, 0.2, 0.6, ... 19.6, 26.6, 33.6 s: none failed past the patience before 33.6 s.
    await clock.advance(REGISTRATION_PATIENCE_MS);
    assert.equal(outcome.failed, undefined);
    await clock.advance(7_000);
    const failed = outcome.failed as unknown;
    assert.ok(failed instanceof NodeRegistrationError, String(failed));
    assert.equal(failed.message, 'node "node-1" could not register with the API server: etcdserver: request timed out');
    // The first attempt at or after the patience ran out is the one that failed it.
    assert.ok(attempts.filter((t) => t - start0 >= REGISTRATION_PATIENCE_MS).length >= 1);
    const before = attempts.length;
    await clock.advance(20_000);
    assert.ok(attempts.length > before, 'the kubelet goes on retrying');
  });
});
