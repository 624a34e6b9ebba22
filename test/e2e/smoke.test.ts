/** First e2e smoke: real kubectl 1.32 against the standalone server. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { StandaloneServer } from './server';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports:
    - containerPort: 80
`;

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 3 });
});

after(async () => {
  const code = await server.stop();
  assert.equal(code, 0, `the server exits 0 on SIGTERM; stderr: ${server.stderrText}`);
});

test('the kubeconfig is private (mode 0600) and names both contexts', async () => {
  assert.equal(statSync(server.kubeconfig).mode & 0o777, 0o600);
  const r = await server.kubectl(['config', 'get-contexts', '-o', 'name']);
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['kube-sim', 'kube-sim-viewer']);
});

test('kubectl version reports a 1.32 server', async () => {
  const r = await server.kubectl(['version', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const version = JSON.parse(r.stdout) as { serverVersion: { major: string; minor: string; gitVersion: string } };
  assert.equal(version.serverVersion.major, '1');
  assert.equal(version.serverVersion.minor, '32');
  assert.match(version.serverVersion.gitVersion, /^v1\.32\.\d+\+kubesim$/);
});

test('kubectl get nodes lists the N Ready worker nodes', async () => {
  const r = await server.kubectl(['get', 'nodes']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
  assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')), ['node-1 Ready', 'node-2 Ready', 'node-3 Ready']);
});

test('create -f, get pods (and -o wide columns), a second create is AlreadyExists', async () => {
  const file = server.writeFile('pod.yaml', POD);
  const created = await server.kubectl(['create', '-f', file]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout.trim(), 'pod/nginx created');
  const again = await server.kubectl(['create', '-f', 'pod.yaml']);
  assert.equal(again.code, 1);
  assert.equal(again.stderr.trim(), 'Error from server (AlreadyExists): error when creating "pod.yaml": pods "nginx" already exists');
  const get = await server.kubectl(['get', 'pods']);
  assert.equal(get.code, 0, get.stderr);
  // The scheduler and the kubelet take it from here: whatever its state, it is listed.
  assert.match(get.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nnginx\s+[01]\/1\s+(Pending|ContainerCreating|Running)\s+0\s+\S+\n$/);
  const wide = await server.kubectl(['get', 'pods', '-o', 'wide']);
  assert.match(wide.stdout.split('\n')[0]!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
});

test('apply twice: the second apply is "unchanged"', async () => {
  const manifest = POD.replace(/nginx/g, 'web');
  const first = await server.kubectl(['apply', '-f', '-'], { input: manifest });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), 'pod/web created');
  const second = await server.kubectl(['apply', '-f', '-'], { input: manifest });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout.trim(), 'pod/web unchanged');
});

test('the viewer context may read but not write', async () => {
  const get = await server.kubectl(['get', 'pods'], { context: 'kube-sim-viewer' });
  assert.equal(get.code, 0, get.stderr);
  const del = await server.kubectl(['delete', 'pod', 'nginx'], { context: 'kube-sim-viewer' });
  assert.equal(del.code, 1);
  assert.equal(del.stderr.trim(), 'Error from server (Forbidden): pods "nginx" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "default"');
});

test('delete removes the pod', async () => {
  const r = await server.kubectl(['delete', 'pod', 'nginx']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'pod "nginx" deleted');
  const get = await server.kubectl(['get', 'pod', 'nginx']);
  assert.equal(get.code, 1);
  assert.equal(get.stderr.trim(), 'Error from server (NotFound): pods "nginx" not found');
});
