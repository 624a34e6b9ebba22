/**
 * kubectl apply --server-side against the standalone server: field ownership, the conflict
 * message kube-apiserver sends (kubectl adds its own advice below it), --force-conflicts, and
 * managedFields as kubectl and `get -o yaml --show-managed-fields` see them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer } from './server';

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 0 });
});

after(async () => {
  await server.stop();
});

const manifest = (name: string, image: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  schedulerName: e2e-no-scheduler
  containers:
  - name: app
    image: ${image}
    ports:
    - containerPort: 80
${extra}`;

async function kubectl(args: string[], input?: string) {
  return server.kubectl(args, { input });
}

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
}

async function managers(name: string): Promise<string[]> {
  const r = await kubectl(['get', 'pod', name, '-o', 'json', '--show-managed-fields']);
  assert.equal(r.code, 0, r.stderr);
  const pod = JSON.parse(r.stdout) as { metadata: { managedFields?: ManagedFieldsEntry[] } };
  return (pod.metadata.managedFields ?? []).map((e) => `${e.manager}/${e.operation}`).sort();
}

test('apply --server-side creates an absent object, then applies again', async () => {
  const first = await kubectl(['apply', '--server-side', '-f', '-'], manifest('ssa', 'nginx:1.27'));
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, 'pod/ssa serverside-applied\n');
  const again = await kubectl(['apply', '--server-side', '-f', '-'], manifest('ssa', 'nginx:1.27'));
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'pod/ssa serverside-applied\n');
  assert.deepEqual(await managers('ssa'), ['kubectl/Apply']);
});

test('the Apply entry owns exactly the applied fields, in FieldsV1 form', async () => {
  const r = await kubectl(['get', 'pod', 'ssa', '-o', 'json', '--show-managed-fields']);
  const entry = (JSON.parse(r.stdout) as { metadata: { managedFields: ManagedFieldsEntry[] } }).metadata.managedFields[0]!;
  assert.equal(entry.apiVersion, 'v1');
  assert.equal(entry.fieldsType, 'FieldsV1');
  assert.deepEqual(entry.fieldsV1, {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:containers': {
        'k:{"name":"app"}': {
          '.': {},
          'f:image': {},
          'f:name': {},
          'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
        },
      },
      'f:schedulerName': {},
    },
  });
});

test('get -o yaml hides managedFields unless --show-managed-fields', async () => {
  const r = await kubectl(['get', 'pod', 'ssa', '-o', 'yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /managedFields/);
});

test('a field another manager set is a conflict; kubectl prints the server\'s message and its advice', async () => {
  const created = await kubectl(['create', '-f', '-'], manifest('shared', 'nginx:1.27'));
  assert.equal(created.code, 0, created.stderr);
  const r = await kubectl(['apply', '--server-side', '-f', '-'], manifest('shared', 'nginx:1.28'));
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  const err = r.stderr.split('\n');
  assert.equal(err[0], 'error: Apply failed with 1 conflict: conflict with "kubectl-create" using v1: .spec.containers[name="app"].image');
  assert.equal(err[1], 'Please review the fields above--they currently have other managers. Here');
  assert.ok(r.stderr.includes('--force-conflicts'));
  const image = await kubectl(['get', 'pod', 'shared', '-o', 'jsonpath={.spec.containers[0].image}']);
  assert.equal(image.stdout, 'nginx:1.27', 'a conflict changes nothing');
});

test('the same value is shared ownership, not a conflict', async () => {
  const r = await kubectl(['apply', '--server-side', '-f', '-'], manifest('shared', 'nginx:1.27'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await managers('shared'), ['kubectl-create/Update', 'kubectl/Apply']);
});

test('--force-conflicts takes the field over', async () => {
  const r = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], manifest('shared', 'nginx:1.28'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'pod/shared serverside-applied\n');
  const image = await kubectl(['get', 'pod', 'shared', '-o', 'jsonpath={.spec.containers[0].image}']);
  assert.equal(image.stdout, 'nginx:1.28');
  const json = await kubectl(['get', 'pod', 'shared', '-o', 'json', '--show-managed-fields']);
  const entries = (JSON.parse(json.stdout) as { metadata: { managedFields: ManagedFieldsEntry[] } }).metadata.managedFields;
  const create = entries.find((e) => e.manager === 'kubectl-create')!;
  const spec = create.fieldsV1['f:spec'] as { 'f:containers': Record<string, Record<string, unknown>> };
  assert.ok(!('f:image' in spec['f:containers']['k:{"name":"app"}']!), 'kubectl-create no longer owns the image');
});

test('a manager that stops applying a field it alone owned removes it', async () => {
  const withLabel = manifest('ssa', 'nginx:1.27').replace('    app: ssa\n', '    app: ssa\n    extra: "yes"\n');
  let r = await kubectl(['apply', '--server-side', '-f', '-'], withLabel);
  assert.equal(r.code, 0, r.stderr);
  r = await kubectl(['get', 'pod', 'ssa', '-o', 'jsonpath={.metadata.labels.extra}']);
  assert.equal(r.stdout, 'yes');
  r = await kubectl(['apply', '--server-side', '-f', '-'], manifest('ssa', 'nginx:1.27'));
  assert.equal(r.code, 0, r.stderr);
  r = await kubectl(['get', 'pod', 'ssa', '-o', 'jsonpath={.metadata.labels}']);
  assert.deepEqual(JSON.parse(r.stdout), { app: 'ssa' });
});

test('--field-manager names the manager; --dry-run=server stores nothing', async () => {
  let r = await kubectl(['apply', '--server-side', '--field-manager', 'ci', '--dry-run=server', '-f', '-'], manifest('dry', 'nginx:1.27'));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'pod/dry serverside-applied (server dry run)\n');
  r = await kubectl(['get', 'pod', 'dry']);
  assert.equal(r.stderr, 'Error from server (NotFound): pods "dry" not found\n');
  r = await kubectl(['apply', '--server-side', '--field-manager', 'ci', '-f', '-'], manifest('dry', 'nginx:1.27'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await managers('dry'), ['ci/Apply']);
});

test('an immutable pod field through server-side apply is the same 422 as an update', async () => {
  const r = await kubectl(['apply', '--server-side', '-f', '-'], manifest('ssa', 'nginx:1.27').replace('  schedulerName: e2e-no-scheduler\n', '  schedulerName: e2e-no-scheduler\n  restartPolicy: Never\n'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^The Pod "ssa" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
});
