/**
 * `kubectl exec` end to end: real kubectl speaks RemoteCommand over WebSocket to the standalone
 * server, which runs the command with the container's interpreter in the container's context.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { StandaloneServer, KUBECTL, type CommandResult } from './server';

/** util-linux `script` gives kubectl a pseudo-terminal (kubectl exec -t needs one). */
const HAVE_SCRIPT = spawnSync('script', ['--version']).status === 0;

/** kubectl in a pseudo-terminal, fed `keys` and left to exit by itself (stdin stays open until then). */
function kubectlInTerminal(args: string[], keys: string): Promise<CommandResult> {
  const command = [KUBECTL, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: server.kubectlEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
  child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
  child.stdin.write(keys);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.on('close', (code) => { clearTimeout(timer); child.stdin.destroy(); resolve({ code, stdout, stderr }); }));
}

const MANIFESTS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  MODE: debug
  app.properties: |
    color=blue
    size=10
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeName: node-1
  containers:
  - name: web
    image: busybox:1.36
    command: ["sleep", "3600"]
    env:
    - name: GREETING
      value: hello
    envFrom:
    - configMapRef:
        name: app-config
    volumeMounts:
    - name: config
      mountPath: /etc/config
  volumes:
  - name: config
    configMap:
      name: app-config
---
apiVersion: v1
kind: Pod
metadata:
  name: unpulled
spec:
  nodeName: node-1
  containers:
  - name: app
    image: registry.invalid/none:1
---
apiVersion: v1
kind: Pod
metadata:
  name: unscheduled
spec:
  nodeSelector:
    no-such-label: x
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 2, args: ['--speed', '20'] });
  const apply = await server.kubectl(['apply', '-f', '-'], { input: MANIFESTS });
  assert.equal(apply.code, 0, apply.stderr);
  const wait = await server.kubectl(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
  assert.equal(wait.code, 0, wait.stderr);
});

after(async () => {
  await server.stop();
});

test('printenv shows the env of the manifest and of its ConfigMap', async () => {
  const r = await server.kubectl(['exec', 'web', '--', 'printenv', 'GREETING', 'MODE']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello\ndebug\n');
  assert.equal(r.stderr, '');
});

test('cat of a file mounted from a ConfigMap', async () => {
  const r = await server.kubectl(['exec', 'web', '--', 'cat', '/etc/config/app.properties']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'color=blue\nsize=10\n');
});

test('sh -c with stdout and stderr apart, and a non-zero exit code that kubectl passes on', async () => {
  const r = await server.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo out; echo oops >&2; sleep 2; exit 3']);
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'out\n');
  assert.equal(r.stderr, 'oops\ncommand terminated with exit code 3\n');
});

test('stdin (-i) reaches a command that reads it', async () => {
  const r = await server.kubectl(['exec', '-i', 'web', '--', 'grep', 'b'], { input: 'a\nb1\nc\nb2\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'b1\nb2\n');
});

test('a program the image does not have: the runtime error', async () => {
  const r = await server.kubectl(['exec', 'web', '--', 'nosuch']);
  assert.equal(r.code, 1);
  // kube-apiserver's stream translator wraps the kubelet's InternalError once more, as real kubectl 1.32 shows it.
  assert.match(r.stderr, /^error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in \$PATH: unknown\n$/);
});

test('errors before the stream: pod, container, node, container not running', async () => {
  const missingPod = await server.kubectl(['exec', 'nope', '--', 'ls']);
  assert.equal(missingPod.code, 1);
  assert.equal(missingPod.stderr, 'Error from server (NotFound): pods "nope" not found\n');

  const missingContainer = await server.kubectl(['exec', 'web', '-c', 'nope', '--', 'ls']);
  assert.equal(missingContainer.code, 1);
  assert.equal(missingContainer.stderr, 'Error from server (BadRequest): container nope is not valid for pod web\n');

  const unscheduled = await server.kubectl(['exec', 'unscheduled', '--', 'ls']);
  assert.equal(unscheduled.code, 1);
  assert.equal(unscheduled.stderr, 'Error from server (BadRequest): pod unscheduled does not have a host assigned\n');
  // Logs of the same pod are not refused: kube-apiserver has no kubelet to ask and answers an empty log.
  const unscheduledLogs = await server.kubectl(['logs', 'unscheduled']);
  assert.deepEqual([unscheduledLogs.code, unscheduledLogs.stdout, unscheduledLogs.stderr], [0, '', '']);

  const notRunning = await server.kubectl(['exec', 'unpulled', '--', 'ls']);
  assert.equal(notRunning.code, 1);
  // The kubelet's refusal comes after the upgrade, through kube-apiserver's stream translator.
  assert.equal(notRunning.stderr, 'error: Internal error occurred: unable to upgrade connection: container not found ("app")\n');
});

test('the read-only viewer may not exec', async () => {
  const r = await server.kubectl(['exec', 'web', '--', 'ls'], { context: 'kube-sim-viewer' });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error from server (Forbidden): pods "web" is forbidden: User "viewer" cannot create resource "pods/exec" in API group "" in the namespace "default"\n');
});

test('a client leaving mid-stream: the server stays healthy and serves the next exec', async () => {
  const running = server.startKubectl(['exec', 'web', '--', 'sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done']);
  await running.until((out) => out.includes('tick 2'), 'three ticks');
  running.child.kill('SIGKILL');
  await running.exited;
  const ready = await server.kubectl(['get', '--raw', '/readyz']);
  assert.equal(ready.stdout, 'ok');
  const again = await server.kubectl(['exec', 'web', '--', 'echo', 'still here']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'still here\n');
});

test('exec -it sh: a prompt, lines run in the container, exit code passed on', { skip: !HAVE_SCRIPT && 'no `script` for a pseudo-terminal' }, async () => {
  const r = await kubectlInTerminal(['exec', '-it', 'web', '--', 'sh'], 'echo $GREETING\rcat /etc/config/MODE\rexit 4\r');
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.ok(r.stdout.includes('/ # echo $GREETING\r\nhello\r\n/ # cat /etc/config/MODE\r\ndebug\r\n/ # exit 4\r\n'), JSON.stringify(r.stdout));
  assert.ok(r.stdout.endsWith('command terminated with exit code 4\r\n'), JSON.stringify(r.stdout));
});

test('exec -it sh: a paste far larger than the terminal buffer, typed ahead of a sleeping line, all runs in order', { skip: !HAVE_SCRIPT && 'no `script` for a pseudo-terminal' }, async () => {
  // The server holds kubectl back past 4096 bytes of type-ahead (flow control on the socket) and
  // reads on as lines are used: nothing may be lost or hang.
  const lines = Array.from({ length: 1_500 }, (_, i) => `echo line-${i}\r`).join('');
  const r = await kubectlInTerminal(['exec', '-it', 'web', '--', 'sh'], `sleep 3\r${lines}exit 5\r`);
  assert.equal(r.code, 5, r.stderr);
  const outputs = [...r.stdout.matchAll(/(?<!echo )(line-\d+)\r\n/g)].map((m) => m[1]); // not the typed lines' echo
  assert.deepEqual(outputs, Array.from({ length: 1_500 }, (_, i) => `line-${i}`));
});

test('an exec running when its pod is deleted ends with exit code 137', async () => {
  const run = await server.kubectl(['run', 'victim', '--image=busybox:1.36', '--overrides={"spec":{"nodeName":"node-1"}}', '--', 'sleep', '3600']);
  assert.equal(run.code, 0, run.stderr);
  const wait = await server.kubectl(['wait', '--for=condition=Ready', 'pod/victim', '--timeout=60s']);
  assert.equal(wait.code, 0, wait.stderr);
  const running = server.startKubectl(['exec', 'victim', '--', 'sh', '-c', 'echo started; sleep infinity']);
  await running.until((out) => out.includes('started'), 'the exec to start');
  const del = await server.kubectl(['delete', 'pod', 'victim', '--grace-period=1']);
  assert.equal(del.code, 0, del.stderr);
  const r = await running.exited;
  assert.equal(r.code, 137);
  assert.equal(r.stderr, 'command terminated with exit code 137\n');
});

/** Applies a busybox pod NAME on NODE (one container of the same name that says hello and sleeps) and waits for Ready. */
async function runSleeper(name: string, node: string): Promise<void> {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: ${node}
  containers:
  - name: ${name}
    image: busybox:1.36
    command: ["sh", "-c", "echo hello; sleep 3600"]
`;
  assert.equal((await server.kubectl(['apply', '-f', '-'], { input: pod })).code, 0);
  const wait = await server.kubectl(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s']);
  assert.equal(wait.code, 0, wait.stderr);
}

/** Runs kubectl until `done` says its result is the awaited one (a change the server makes asynchronously), at most 50 times. */
async function kubectlUntil(args: string[], done: (r: CommandResult) => boolean): Promise<CommandResult> {
  let r = await server.kubectl(args);
  for (let i = 0; i < 50 && !done(r); i++) r = await server.kubectl(args);
  return r;
}

test('a node whose kubelet is stopped: logs, logs -f and exec fail to dial it, as kube-apiserver reports it; a deleted node is NotFound', async () => {
  await runSleeper('far', 'node-2');
  const ip = (await server.kubectl(['get', 'node', 'node-2', '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}'])).stdout;
  assert.match(ip, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal((await server.kubectl(['label', 'node', 'node-2', 'fault.kube-sim.io/kubelet=stopped'])).code, 0);

  const logs = await kubectlUntil(['logs', 'far'], (r) => r.code !== 0);
  assert.equal(logs.code, 1);
  assert.equal(logs.stderr, `Error from server: Get "https://${ip}:10250/containerLogs/default/far/far": dial tcp ${ip}:10250: connect: connection refused\n`);
  const follow = await server.kubectl(['logs', '-f', 'far']);
  assert.equal(follow.code, 1);
  assert.equal(follow.stderr, `Error from server: Get "https://${ip}:10250/containerLogs/default/far/far?follow=true": dial tcp ${ip}:10250: connect: connection refused\n`);
  const exec = await server.kubectl(['exec', 'far', '--', 'sh', '-c', 'echo $HOSTNAME']);
  assert.equal(exec.code, 1);
  assert.equal(exec.stdout, '');
  assert.equal(exec.stderr, `error: Internal error occurred: error sending request: Post "https://${ip}:10250/exec/default/far/far?command=sh&command=-c&command=echo+%24HOSTNAME&error=1&output=1": dial tcp ${ip}:10250: connect: connection refused\n`);

  // The Node object deleted (its kubelet still stopped, so nothing registers it again).
  assert.equal((await server.kubectl(['delete', 'node', 'node-2', '--wait=false'])).code, 0);
  const goneLogs = await kubectlUntil(['logs', 'far'], (r) => r.stderr.includes('NotFound'));
  assert.equal(goneLogs.stderr, 'Error from server (NotFound): nodes "node-2" not found\n');
  const goneExec = await server.kubectl(['exec', 'far', '--', 'ls']);
  assert.equal(goneExec.code, 1);
  assert.equal(goneExec.stderr, 'Error from server (NotFound): nodes "node-2" not found\n');
});

test('streams open when a kubelet stops end; logs and exec work again once it starts', async () => {
  await runSleeper('back', 'node-1');
  // Streams the kubelet carries when it stops break: kubectl exits 0 for both (kubectl issue 1726 for exec).
  const running = server.startKubectl(['exec', 'back', '--', 'sh', '-c', 'echo started; sleep 3600']);
  await running.until((out) => out.includes('started'), 'the exec to start');
  const following = server.startKubectl(['logs', '-f', 'back']);
  await following.until((out) => out.includes('hello'), 'the log to be followed');
  assert.equal((await server.kubectl(['label', 'node', 'node-1', 'fault.kube-sim.io/kubelet=stopped'])).code, 0);
  const broken = await running.exited;
  assert.deepEqual([broken.code, broken.stdout, broken.stderr], [0, 'started\n', '']);
  const followed = await following.exited;
  assert.deepEqual([followed.code, followed.stdout, followed.stderr], [0, 'hello\n', '']);
  const down = await kubectlUntil(['logs', 'back'], (r) => r.code !== 0);
  assert.match(down.stderr, /connect: connection refused/);
  assert.equal((await server.kubectl(['label', 'node', 'node-1', 'fault.kube-sim.io/kubelet-'])).code, 0);
  const up = await kubectlUntil(['logs', 'back'], (r) => r.code === 0);
  assert.equal(up.stdout, 'hello\n');
  const exec = await server.kubectl(['exec', 'back', '--', 'echo', 'ok']);
  assert.equal(exec.code, 0, exec.stderr);
  assert.equal(exec.stdout, 'ok\n');
});
