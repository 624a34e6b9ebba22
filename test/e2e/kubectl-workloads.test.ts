/**
 * apps/v1 workloads through real kubectl 1.32, as a learner meets them: create deployment (a
 * protobuf body), rollout status, scale, set image (a rollout), rollout history and undo, the
 * tables, validation wording, and a delete that cascades to the ReplicaSets and pods.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer } from './server';

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 3, args: ['--speed', '4'] });
});

after(async () => {
  await server.stop();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, input === undefined ? { timeoutMs: 120_000 } : { input, timeoutMs: 120_000 });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('api-resources lists deployments and replicasets with their short names', async () => {
  const out = await ok(['api-resources', '--api-group=apps', '--no-headers']);
  assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  assert.match(out, /^replicasets\s+rs\s+apps\/v1\s+true\s+ReplicaSet$/m);
});

test('create deployment, rollout status, scale, set image, history, undo, delete', async () => {
  assert.equal(await ok(['create', 'deployment', 'web', '--image=nginx:1.26', '--replicas=2']), 'deployment.apps/web created\n');
  assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=100s']), /deployment "web" successfully rolled out\n$/);
  assert.match(await ok(['get', 'deploy', 'web', '--no-headers']), /^web\s+2\/2\s+2\s+2\s+\d+s$/m);
  assert.match(await ok(['get', 'deploy', 'web', '-o', 'wide', '--no-headers']), /^web\s+2\/2\s+2\s+2\s+\d+s\s+nginx\s+nginx:1\.26\s+app=web$/m);
  const rs1 = (await ok(['get', 'rs', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']));
  assert.match(rs1, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.match(await ok(['get', 'rs', rs1, '--no-headers']), new RegExp(`^${rs1}\\s+2\\s+2\\s+2\\s+\\d+s$`, 'm'));

  assert.equal(await ok(['scale', 'deployment/web', '--replicas=3']), 'deployment.apps/web scaled\n');
  await ok(['rollout', 'status', 'deployment/web', '--timeout=100s']);
  assert.match(await ok(['get', 'deploy', 'web', '--no-headers']), /^web\s+3\/3\s+3\s+3\s/m);

  assert.equal(await ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']), 'deployment.apps/web image updated\n');
  assert.match(await ok(['rollout', 'status', 'deployment/web', '--timeout=100s']), /deployment "web" successfully rolled out\n$/);
  assert.match(await ok(['rollout', 'history', 'deployment/web']), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
  const describe = await ok(['describe', 'deployment', 'web']);
  assert.match(describe, /Available\s+True\s+MinimumReplicasAvailable/);
  assert.match(describe, /Progressing\s+True\s+NewReplicaSetAvailable/);
  assert.match(describe, new RegExp(`Scaled up replica set ${rs1} from 2 to 3`));
  assert.match(describe, new RegExp(`Scaled down replica set ${rs1} from \\d to \\d`));

  assert.equal(await ok(['rollout', 'undo', 'deployment/web']), 'deployment.apps/web rolled back\n');
  await ok(['rollout', 'status', 'deployment/web', '--timeout=100s']);
  assert.equal(await ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image} {.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), 'nginx:1.26 3');
  assert.match(await ok(['rollout', 'history', 'deployment/web']), /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>\n/);
  const events = await ok(['get', 'events', '--field-selector', `involvedObject.name=${rs1}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
  assert.match(events, /^SuccessfulCreate: Created pod: web-/m);
  assert.match(events, /^SuccessfulDelete: Deleted pod: web-/m);

  const owned = (await ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name'])).trim().split('\n');
  assert.equal(owned.length, 5, 'two ReplicaSets, three pods');
  assert.equal(await ok(['delete', 'deployment', 'web']), 'deployment.apps "web" deleted\n');
  await ok(['wait', '--for=delete', ...owned, '--timeout=60s']);
  assert.equal(await ok(['get', 'rs,pods', '-l', 'app=web', '-o', 'name']), '', 'ReplicaSets and pods deleted with the Deployment');
});

test('validation errors read as kube-apiserver words them', async () => {
  const r = await server.kubectl(['create', '-f', '-'], {
    input: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: b}}\n    spec: {restartPolicy: Never, containers: [{name: c, image: nginx}]}\n',
  });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'The Deployment "bad" is invalid: \n* spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`\n* spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"\n');
});
