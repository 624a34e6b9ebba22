/**
 * Real kubectl against the standalone server for behaviour a real 1.32 cluster shows: client-side
 * then server-side apply of one manifest, pod creation warnings, the built-in PriorityClasses, the
 * `kubernetes` service address, namespace termination, and the server answering on ::1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer } from './server';

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 1 });
});

after(async () => {
  await server.stop();
});

const podManifest = (name: string, namespace = 'default') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  containers:
  - name: app
    image: nginx:1.27
`;

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input === undefined ? {} : { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('kubectl apply, then apply --server-side twice: both succeed, the last one changes nothing', async () => {
  // No scheduler takes this pod, so no binding or kubelet status write changes its resourceVersion
  // between the reads below (the cluster runs on real time here; a pull ending mid-test did).
  const manifest = podManifest('csa-ssa').replace('spec:\n', 'spec:\n  schedulerName: nobody\n');
  await ok(['apply', '-f', '-'], manifest);
  assert.match(await ok(['apply', '--server-side', '-f', '-'], manifest), /pod\/csa-ssa serverside-applied/);
  const before = await ok(['get', 'pod', 'csa-ssa', '-o', 'jsonpath={.metadata.resourceVersion}']);
  assert.match(await ok(['apply', '--server-side', '-f', '-'], manifest), /pod\/csa-ssa serverside-applied/);
  assert.equal(await ok(['get', 'pod', 'csa-ssa', '-o', 'jsonpath={.metadata.resourceVersion}']), before);
  const yaml = await ok(['get', 'pod', 'csa-ssa', '-o', 'yaml']);
  assert.match(yaml, /\n {4}resources: \{\}\n/);
});

test('a pod whose name is no DNS label: kubectl prints the server warning', async () => {
  const r = await server.kubectl(['create', '-f', '-'], { input: podManifest('web.v1') });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^Warning: metadata\.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: \[must not contain dots\]$/m);
});

test('kubectl get pc lists the built-in PriorityClasses; kubernetes is at 10.96.0.1', async () => {
  const pcs = await ok(['get', 'pc', '-o', 'name']);
  assert.deepEqual(pcs.trim().split('\n'), ['priorityclass.scheduling.k8s.io/system-cluster-critical', 'priorityclass.scheduling.k8s.io/system-node-critical']);
  assert.equal(await ok(['get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}']), '10.96.0.1');
});

test('kubectl delete ns waits until the namespace is gone; meanwhile creates are refused', async () => {
  await ok(['create', 'namespace', 'doomed']);
  await ok(['apply', '-f', '-'], podManifest('p', 'doomed'));
  const deleting = server.kubectl(['delete', 'ns', 'doomed'], { timeoutMs: 90_000 });
  let refused = '';
  for (let i = 0; i < 50 && !refused; i++) {
    const phase = await server.kubectl(['get', 'ns', 'doomed', '-o', 'jsonpath={.status.phase}']);
    if (phase.stdout === 'Terminating') {
      const r = await server.kubectl(['create', 'configmap', 'late', '-n', 'doomed']);
      refused = r.stderr;
    }
  }
  assert.match(refused, /configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated/);
  const r = await deleting;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /namespace "doomed" deleted/);
  const after = await server.kubectl(['get', 'ns', 'doomed']);
  assert.match(after.stderr, /namespaces "doomed" not found/);
});

test('the server answers on ::1 at the same port', async () => {
  const r = await server.kubectl(['get', '--raw', '/version', '--server', `https://[::1]:${server.port}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"gitVersion"/);
});

test('kubectl api-resources lists selfsubjectaccessreviews; auth can-i answers; get is not allowed', async () => {
  const resources = await ok(['api-resources', '--api-group=authorization.k8s.io', '--no-headers']);
  assert.match(resources, /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview$/m);
  assert.equal((await ok(['auth', 'can-i', 'create', 'pods'])).trim(), 'yes');
  const get = await server.kubectl(['get', 'selfsubjectaccessreviews']);
  assert.notEqual(get.code, 0);
  assert.match(get.stderr, /MethodNotAllowed|does not allow this method/);
});

test('kubectl auth whoami names the user the server authenticated, for each context', async () => {
  assert.equal(await ok(['auth', 'whoami']), 'ATTRIBUTE   VALUE\nUsername    kube-sim-admin\nGroups      [system:masters system:authenticated]\n');
  assert.equal(await ok(['auth', 'whoami', '--context', 'kube-sim-viewer']), 'ATTRIBUTE   VALUE\nUsername    viewer\nGroups      [system:authenticated]\n');
  const resources = await ok(['api-resources', '--api-group=authentication.k8s.io', '--no-headers']);
  assert.match(resources, /^selfsubjectreviews\s+authentication\.k8s\.io\/v1\s+false\s+SelfSubjectReview$/m);
});

test('kubectl create token: the token authenticates as the service account, which may read nothing, as on a fresh cluster', async () => {
  const token = (await ok(['create', 'token', 'default'])).trim();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const whoami = await ok(['auth', 'whoami', '--token', token]);
  assert.match(whoami, /^Username\s+system:serviceaccount:default:default$/m);
  assert.match(whoami, /^Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]$/m);
  assert.match(whoami, /^Extra: authentication\.kubernetes\.io\/credential-id\s+\[JTI=[0-9a-f-]{36}\]$/m);
  const get = await server.kubectl(['get', 'pods', '--token', token]);
  assert.equal(get.code, 1);
  assert.equal(get.stderr, 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n');

  const short = await server.kubectl(['create', 'token', 'default', '--duration=1m']);
  assert.equal(short.stderr, 'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes\n');
  const missing = await server.kubectl(['create', 'token', 'nosuch']);
  assert.equal(missing.stderr, 'error: failed to create token: serviceaccounts "nosuch" not found\n');
  const foreign = (await ok(['create', 'token', 'default', '--audience', 'vault'])).trim();
  const refused = await server.kubectl(['get', 'pods', '--token', foreign]);
  assert.equal(refused.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
});

test('kubectl create service and priorityclass (protobuf bodies) create what they say', async () => {
  assert.equal(await ok(['create', 'service', 'nodeport', 'np', '--tcp=8080:http', '--node-port=30080']), 'service/np created\n');
  const np = JSON.parse(await ok(['get', 'service', 'np', '-o', 'json'])) as { spec: Record<string, unknown> };
  assert.deepEqual(np.spec.ports, [{ name: '8080-http', nodePort: 30080, port: 8080, protocol: 'TCP', targetPort: 'http' }]);
  assert.deepEqual(np.spec.selector, { app: 'np' });
  assert.equal(np.spec.type, 'NodePort');
  assert.equal(await ok(['create', 'priorityclass', 'batch-low', '--value=-5', '--preemption-policy=Never', '--description=runs last']), 'priorityclass.scheduling.k8s.io/batch-low created\n');
  assert.equal(await ok(['get', 'priorityclass', 'batch-low', '-o', 'jsonpath={.value} {.preemptionPolicy} {.description}']), '-5 Never runs last');
  await ok(['delete', 'service', 'np']);
  await ok(['delete', 'priorityclass', 'batch-low']);
});

test('a service account token stops working when its account is deleted, even if one of the same name comes back', async () => {
  assert.equal(await ok(['create', 'serviceaccount', 'bot']), 'serviceaccount/bot created\n');
  const token = (await ok(['create', 'token', 'bot'])).trim();
  assert.match(await ok(['auth', 'whoami', '--token', token]), /^Username\s+system:serviceaccount:default:bot$/m);
  await ok(['delete', 'serviceaccount', 'bot']);
  const gone = await server.kubectl(['auth', 'whoami', '--token', token]);
  assert.equal(gone.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
  await ok(['create', 'serviceaccount', 'bot']);
  const again = await server.kubectl(['auth', 'whoami', '--token', token]);
  assert.equal(again.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
  await ok(['delete', 'serviceaccount', 'bot']);
});
