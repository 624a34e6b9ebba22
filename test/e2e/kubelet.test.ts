/** The kubelet end to end: real kubectl applies a pod, waits for Ready, reads its logs, deletes it. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer } from './server';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  nodeName: node-1
  containers:
  - name: count
    image: busybox:1.36
    command: ["sh", "-c", "i=0; while true; do echo \\"tick $i\\"; i=$((i+1)); sleep 1; done"]
    readinessProbe:
      exec:
        command: ["true"]
      periodSeconds: 2
`;

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 2, args: ['--speed', '10'] });
});

after(async () => {
  await server.stop();
});

test('kubectl get nodes shows the kubelets Ready', async () => {
  const r = await server.kubectl(['get', 'nodes', '--no-headers']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '));
  assert.deepEqual(lines, ['node-1 Ready', 'node-2 Ready']);
});

test('apply, wait for Ready, logs, delete', async () => {
  const apply = await server.kubectl(['apply', '-f', '-'], { input: POD });
  assert.equal(apply.code, 0, apply.stderr);
  assert.equal(apply.stdout.trim(), 'pod/counter created');

  const wait = await server.kubectl(['wait', '--for=condition=Ready', 'pod/counter', '--timeout=60s']);
  assert.equal(wait.code, 0, wait.stderr);
  assert.equal(wait.stdout.trim(), 'pod/counter condition met');

  const get = await server.kubectl(['get', 'pod', 'counter', '-o', 'jsonpath={.status.phase} {.status.podIP} {.status.containerStatuses[0].state.running.startedAt}']);
  assert.match(get.stdout, /^Running 10\.244\.1\.\d+ \d{4}-\d\d-\d\dT/);

  // Wait until it has printed at least two lines (followed, so no fixed sleep on wall time).
  const follow = server.startKubectl(['logs', '-f', 'counter']);
  await follow.until((out) => out.split('\n').filter((l) => l.startsWith('tick ')).length >= 2, 'two tick lines');
  await follow.kill();
  const logs = await server.kubectl(['logs', 'counter', '--tail=2']);
  assert.equal(logs.code, 0, logs.stderr);
  const lines = logs.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^tick \d+$/);

  const stamped = await server.kubectl(['logs', 'counter', '--timestamps', '--tail=1']);
  assert.match(stamped.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick \d+\n$/);

  const events = await server.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=counter', '-o', 'jsonpath={.items[*].reason}']);
  assert.deepEqual(events.stdout.trim().split(' '), ['Pulling', 'Pulled', 'Created', 'Started']);

  const del = await server.kubectl(['delete', 'pod', 'counter', '--grace-period=3']);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(del.stdout.trim(), 'pod "counter" deleted');
  const gone = await server.kubectl(['get', 'pod', 'counter']);
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, /pods "counter" not found/);
});
