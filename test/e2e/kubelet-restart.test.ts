/**
 * A restarted server keeps its pods running (the kubelet adopts them, src/cluster/kubelet/adoption.ts):
 * real kubectl sees the same pod IP, the same RESTARTS and container start, and no second image pull;
 * `kubectl logs` of a pod that had completed before the restart still prints what it printed.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandaloneServer } from './server';

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeName: node-1
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  nodeName: node-1
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "exit 1"]
---
apiVersion: v1
kind: Pod
metadata:
  name: once
spec:
  nodeName: node-1
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "echo hello; sleep 1; echo bye"]
`;

const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-restart-'));
const servers: StandaloneServer[] = [];

after(async () => {
  for (const s of servers) await s.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** NAME, READY, STATUS, RESTARTS (the number), IP of `kubectl get pods -o wide`. */
async function wide(server: StandaloneServer): Promise<Map<string, { status: string; restarts: number; ip: string }>> {
  const r = await server.kubectl(['get', 'pods', '-o', 'wide', '--no-headers']);
  assert.equal(r.code, 0, r.stderr);
  const rows = new Map<string, { status: string; restarts: number; ip: string }>();
  for (const line of r.stdout.trim().split('\n')) {
    // web   1/1   Running   0   12s   10.244.1.2   node-1   <none>   <none>
    // crash 0/1   CrashLoopBackOff   2 (5s ago)   20s   10.244.1.3   node-1 ...
    const m = /^(\S+)\s+\S+\s+(\S+)\s+(\d+)(?: \([^)]*\))?\s+\S+\s+(\S+)/.exec(line);
    assert.ok(m, line);
    rows.set(m[1]!, { status: m[2]!, restarts: Number(m[3]), ip: m[4]! });
  }
  return rows;
}

async function pulled(server: StandaloneServer, pod: string): Promise<string[]> {
  const r = await server.kubectl(['get', 'events', '--field-selector', `involvedObject.name=${pod}`, '-o', 'jsonpath={range .items[*]}{.reason}{"\\n"}{end}']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter((reason) => reason === 'Pulled' || reason === 'Pulling' || reason === 'Started');
}

test('pods keep running across a server restart: same IP, RESTARTS and start, no second pull', { timeout: 180_000 }, async () => {
  const first = await StandaloneServer.start({ dataDir, nodes: 1, args: ['--speed', '10'] });
  servers.push(first);
  const apply = await first.kubectl(['apply', '-f', '-'], { input: PODS });
  assert.equal(apply.code, 0, apply.stderr);
  const ready = await first.kubectl(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
  assert.equal(ready.code, 0, ready.stderr);
  const crashed = await first.kubectl(['wait', '--for=jsonpath={.status.containerStatuses[0].restartCount}=2', 'pod/crash', '--timeout=90s']);
  assert.equal(crashed.code, 0, crashed.stderr);
  const startedAt = ['get', 'pod', 'web', '-o', 'jsonpath={.status.containerStatuses[0].state.running.startedAt} {.status.containerStatuses[0].containerID}'];
  const started1 = (await first.kubectl(startedAt)).stdout;
  const completed = await first.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/once', '--timeout=60s']);
  assert.equal(completed.code, 0, completed.stderr);
  const logs = ['logs', 'once', '--timestamps'];
  const onceLog = (await first.kubectl(logs)).stdout;
  assert.match(onceLog, /^\S+ hello\n\S+ bye\n$/);
  const before = await wide(first);
  assert.equal(before.get('web')!.status, 'Running');
  assert.deepEqual(await pulled(first, 'web'), ['Pulling', 'Pulled', 'Started']);
  assert.equal(await first.stop(), 0);

  const second = await StandaloneServer.start({ dataDir, nodes: 1, args: ['--speed', '10'] });
  servers.push(second);
  // The crash-looping container restarts once more on the restarted server (its back-off goes on):
  // by then the kubelet has long synced every pod on its node.
  const next = before.get('crash')!.restarts + 1;
  const restarted = await second.kubectl(['wait', `--for=jsonpath={.status.containerStatuses[0].restartCount}=${next}`, 'pod/crash', '--timeout=90s']);
  assert.equal(restarted.code, 0, restarted.stderr);
  const after = await wide(second);
  assert.deepEqual(after.get('web'), before.get('web'), 'web: same STATUS, RESTARTS and IP');
  assert.equal(after.get('crash')!.ip, before.get('crash')!.ip);
  assert.equal((await second.kubectl(startedAt)).stdout, started1, 'the container was not started again');
  assert.deepEqual(await pulled(second, 'web'), ['Pulling', 'Pulled', 'Started'], 'no second Pulled or Started');
  // Its container is still on the node with its log, as a real node keeps it until the pod is deleted.
  const [hello, bye] = onceLog.trim().split('\n').map((line) => line.slice(0, line.indexOf(' ')));
  const replayed = await second.kubectl(logs);
  assert.equal(replayed.code, 0, replayed.stderr);
  const { start, finish } = { start: hello!.replace(/\.\d+Z$/, '.000000000Z'), finish: new Date(Date.parse(hello!.replace(/\.\d+Z$/, 'Z')) + 1_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z') };
  assert.equal(replayed.stdout, `${start} hello\n${finish} bye\n`, `the lines at the times they had (from the status' whole-second startedAt; bye was at ${bye})`);
  const previous = await second.kubectl(['logs', 'once', '--previous']);
  assert.equal(previous.stderr.trim(), 'Error from server (BadRequest): previous terminated container "main" in pod "once" not found');
});
