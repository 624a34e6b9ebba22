/**
 * The scheduler seen through kubectl, as a learner sees it: a pod no node can take stays Pending,
 * `kubectl describe` shows kube-scheduler's FailedScheduling event word for word, and the
 * explanation can be read through the API (the pod's annotations).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer } from './server';

const TOO_BIG = `apiVersion: v1
kind: Pod
metadata:
  name: too-big
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests:
        cpu: "64"
`;

const MESSAGE = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 3 });
});

after(async () => {
  await server.stop();
});

test('a pod no node has room for: Pending, FailedScheduling in describe, the reason readable through the API', async () => {
  const apply = await server.kubectl(['apply', '-f', '-'], { input: TOO_BIG });
  assert.equal(apply.code, 0, apply.stderr);

  const wait = await server.kubectl(['wait', '--for=condition=PodScheduled=False', 'pod/too-big', '--timeout=60s']);
  assert.equal(wait.code, 0, wait.stderr);

  const get = await server.kubectl(['get', 'pod', 'too-big', '--no-headers']);
  assert.match(get.stdout, /^too-big\s+0\/1\s+Pending\s+0\s+/);

  const condition = await server.kubectl(['get', 'pod', 'too-big', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}|{.status.conditions[?(@.type=="PodScheduled")].message}']);
  assert.equal(condition.stdout, `Unschedulable|${MESSAGE}`);

  const describe = await server.kubectl(['describe', 'pod', 'too-big']);
  assert.equal(describe.code, 0, describe.stderr);
  const events = describe.stdout.slice(describe.stdout.indexOf('Events:'));
  const failed = events.split('\n').find((l) => l.includes('FailedScheduling'));
  assert.ok(failed, events);
  // The age column may read `5s (x2 over 7s)` once the scheduler has retried.
  assert.match(failed, /^\s+Warning\s+FailedScheduling\s+.+\s+default-scheduler\s+0\/3 nodes/);
  assert.ok(failed.trimEnd().endsWith(MESSAGE), failed);

  const summary = await server.kubectl(['get', 'pod', 'too-big', '-o', 'jsonpath={.metadata.annotations.scheduler\\.kube-sim\\.io/summary}']);
  assert.match(summary.stdout, /^Pending: no node has 64 CPUs free; /);
  assert.match(summary.stdout, /spec\.containers\[0\]\.resources\.requests\.cpu/);
});
