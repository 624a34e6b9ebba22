/**
 * Nodes described on the command line (`serve --node`): kubectl sees their size, zone, labels and
 * taints, and the scheduler honours the taint. A bad spec stops the server with a usage error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cliPath, StandaloneServer } from './server';

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({
    nodes: 1,
    args: ['--node', 'gpu-1,cpu=8,memory=32Gi,zone=eu-west-1a,label=accelerator=nvidia,taint=gpu=true:NoSchedule'],
  });
});

after(async () => {
  await server.stop();
});

test('a node from --node has its size, zone, labels and taint; --nodes 1 adds node-1 beside it', async () => {
  const nodes = await server.kubectl(['get', 'nodes', '-L', 'topology.kubernetes.io/zone,accelerator', '--no-headers']);
  assert.equal(nodes.code, 0, nodes.stderr);
  const rows = nodes.stdout.trim().split('\n').map((l) => l.split(/\s+/));
  assert.deepEqual(rows.map((r) => [r[0], r[1], ...r.slice(5)]), [['gpu-1', 'Ready', 'eu-west-1a', 'nvidia'], ['node-1', 'Ready']]);
  const gpu = await server.kubectl(['get', 'node', 'gpu-1', '-o', 'jsonpath={.status.capacity.cpu} {.status.capacity.memory} {.spec.taints[0].key}={.spec.taints[0].value}:{.spec.taints[0].effect}']);
  assert.equal(gpu.stdout, '8 32Gi gpu=true:NoSchedule');
});

test('a pod without the toleration is kept off the tainted node', async () => {
  const run = await server.kubectl(['run', 'plain', '--image=nginx:1.27']);
  assert.equal(run.code, 0, run.stderr);
  const wait = await server.kubectl(['wait', '--for=condition=PodScheduled', 'pod/plain', '--timeout=60s']);
  assert.equal(wait.code, 0, wait.stderr);
  const node = await server.kubectl(['get', 'pod', 'plain', '-o', 'jsonpath={.spec.nodeName}']);
  assert.equal(node.stdout, 'node-1');
});

test('a bad --node is a usage error naming the problem, exit 2', () => {
  const cli = cliPath();
  const r = spawnSync(process.execPath, [cli, 'serve', '--port', '0', '--node', 'gpu-1,taint=gpu:Sometimes'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^kube-sim: --node: node "gpu-1": taint effect "Sometimes" must be one of NoSchedule, PreferNoSchedule, NoExecute\n/);
  const twice = spawnSync(process.execPath, [cli, 'serve', '--port', '0', '--nodes', '2', '--node', 'node-2'], { encoding: 'utf8' });
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /node "node-2" is named twice/);
});
