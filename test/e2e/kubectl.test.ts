/**
 * Real kubectl 1.32 against the standalone server: every verb issue 3 names, with the output
 * asserted line by line as kubectl prints it against a real kube-apiserver 1.32 (the texts come
 * from kubectl's request log in shared/reference and from kube-apiserver's wording).
 *
 * The server runs with no nodes (so no kubelet runs a pod) and the test pods name a scheduler that
 * does not exist (so kube-scheduler leaves them alone): a pod stays Pending, its status is what the
 * API server wrote, and only the test writes to it, which keeps every line deterministic.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer } from './server';

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 0 });
});

after(async () => {
  await server.stop();
});

/** Runs kubectl and asserts it succeeded; returns stdout. */
async function ok(args: string[], input?: string): Promise<string> {
  const r = await server.kubectl(args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Runs kubectl, asserts it failed with exit 1, returns stderr without the trailing newline. */
async function fails(args: string[], options: { input?: string; context?: string } = {}): Promise<string> {
  const r = await server.kubectl(args, options);
  assert.equal(r.code, 1, `kubectl ${args.join(' ')} should fail; stdout: ${r.stdout}; stderr: ${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout when kubectl fails');
  return r.stderr.replace(/\n$/, '');
}

const lines = (text: string) => text.replace(/\n$/, '').split('\n');
const cells = (line: string) => line.trim().split(/\s{2,}|\t/);

function pod(name: string, options: { labels?: Record<string, string>; nodeName?: string; image?: string; namespace?: string } = {}): string {
  const labels = Object.entries(options.labels ?? {}).map(([k, v]) => `    ${k}: ${v}\n`).join('');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
${options.namespace ? `  namespace: ${options.namespace}\n` : ''}${labels ? `  labels:\n${labels}` : ''}spec:
  schedulerName: e2e-no-scheduler
${options.nodeName ? `  nodeName: ${options.nodeName}\n` : ''}  containers:
  - name: app
    image: ${options.image ?? 'nginx:1.27'}
    ports:
    - containerPort: 80
`;
}

describe('discovery', () => {
  test('api-versions lists the served group versions, sorted', async () => {
    const versions = lines(await ok(['api-versions']));
    assert.deepEqual(versions, [...versions].sort());
    for (const gv of ['coordination.k8s.io/v1', 'events.k8s.io/v1', 'scheduling.k8s.io/v1', 'v1']) assert.ok(versions.includes(gv), `${gv} in ${versions.join(' ')}`);
  });

  test('api-resources prints NAME SHORTNAMES APIVERSION NAMESPACED KIND for every resource', async () => {
    const out = lines(await ok(['api-resources']));
    assert.match(out[0]!, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    const rows = out.slice(1).map((l) => l.split(/\s+/));
    const row = (name: string, apiVersion: string) => rows.find((r) => r[0] === name && r.includes(apiVersion));
    assert.deepEqual(row('pods', 'v1'), ['pods', 'po', 'v1', 'true', 'Pod']);
    assert.deepEqual(row('nodes', 'v1'), ['nodes', 'no', 'v1', 'false', 'Node']);
    assert.deepEqual(row('namespaces', 'v1'), ['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    assert.deepEqual(row('configmaps', 'v1'), ['configmaps', 'cm', 'v1', 'true', 'ConfigMap']);
    assert.deepEqual(row('leases', 'coordination.k8s.io/v1'), ['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
    assert.deepEqual(row('events', 'events.k8s.io/v1'), ['events', 'ev', 'events.k8s.io/v1', 'true', 'Event']);
    assert.ok(!rows.some((r) => r[0]!.includes('/')), 'subresources are hidden');
  });

  test('api-resources --namespaced=false -o name', async () => {
    const names = lines(await ok(['api-resources', '--namespaced=false', '-o', 'name']));
    assert.ok(names.includes('nodes') && names.includes('namespaces'));
    assert.ok(!names.includes('pods'));
  });

  test('explain pod.spec.containers prints the field, its description and its fields from OpenAPI v3', async () => {
    const out = lines(await ok(['explain', 'pod.spec.containers']));
    assert.deepEqual(out.slice(0, 4), ['KIND:       Pod', 'VERSION:    v1', '', 'FIELD: containers <[]Container>']);
    assert.ok(out.includes('DESCRIPTION:'));
    assert.ok(out.includes('    List of containers belonging to the pod. Containers cannot currently be'));
    assert.ok(out.includes('FIELDS:'));
    assert.ok(out.includes('  name\t<string> -required-'), 'name is required');
    assert.ok(out.includes('  image\t<string>'));
  });

  test('explain pod.spec.restartPolicy lists the enum values', async () => {
    const out = await ok(['explain', 'pod.spec.restartPolicy']);
    assert.match(out, /^FIELD: restartPolicy <string>$/m);
    assert.match(out, /^ENUM:\n    Always\n    Never\n    OnFailure$/m);
  });
});

describe('create and get', () => {
  before(async () => {
    await ok(['create', '-f', server.writeFile('web.yaml', pod('web', { labels: { app: 'web', tier: 'front' } }))]);
    await ok(['create', '-f', '-'], pod('db', { labels: { app: 'db' }, nodeName: 'node-1' }));
    await ok(['create', '-f', '-'], pod('sys', { namespace: 'kube-system', labels: { app: 'web' }, nodeName: 'node-1' }));
  });

  test('create prints kind/name created', async () => {
    assert.equal(await ok(['create', '-f', '-'], pod('tmp')), 'pod/tmp created\n');
    assert.equal(await ok(['delete', 'pod', 'tmp']), 'pod "tmp" deleted\n');
  });

  test('get pods: a Table with NAME READY STATUS RESTARTS AGE', async () => {
    const out = lines(await ok(['get', 'pods']));
    assert.deepEqual(cells(out[0]!), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(out.slice(1).map((l) => cells(l).slice(0, 4)), [['db', '0/1', 'Pending', '0'], ['web', '0/1', 'Pending', '0']]);
    assert.ok(out.slice(1).every((l) => /^\d+s$/.test(cells(l)[4]!)), `ages in seconds: ${out.join('\n')}`);
  });

  test('get pods -o wide adds IP NODE NOMINATED NODE READINESS GATES', async () => {
    const out = lines(await ok(['get', 'pods', '-o', 'wide']));
    assert.deepEqual(cells(out[0]!), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const db = cells(out.find((l) => l.startsWith('db '))!);
    assert.deepEqual([db[0], ...db.slice(5)], ['db', '<none>', 'node-1', '<none>', '<none>']);
    const web = cells(out.find((l) => l.startsWith('web '))!);
    assert.deepEqual(web.slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });

  test('get pods -A adds NAMESPACE from the rows\' object metadata', async () => {
    const out = lines(await ok(['get', 'pods', '-A']));
    assert.deepEqual(cells(out[0]!), ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(out.slice(1).map((l) => cells(l).slice(0, 2)), [['default', 'db'], ['default', 'web'], ['kube-system', 'sys']]);
  });

  test('get pods --show-labels and -L', async () => {
    const shown = lines(await ok(['get', 'pods', '--show-labels']));
    assert.equal(cells(shown[0]!).at(-1), 'LABELS');
    assert.equal(cells(shown.find((l) => l.startsWith('web '))!).at(-1), 'app=web,tier=front');
    assert.equal(cells(shown.find((l) => l.startsWith('db '))!).at(-1), 'app=db');
    const columns = lines(await ok(['get', 'pods', '-L', 'tier', '-L', 'app']));
    assert.deepEqual(cells(columns[0]!).slice(-2), ['TIER', 'APP']);
    assert.deepEqual(cells(columns.find((l) => l.startsWith('web '))!).slice(-2), ['front', 'web']);
    // An absent label is an empty cell, so the row ends with the app value.
    assert.equal(cells(columns.find((l) => l.startsWith('db '))!).at(-1), 'db');
  });

  test('get -o name, -o json (a List), -o yaml', async () => {
    assert.equal(await ok(['get', 'pods', '-o', 'name']), 'pod/db\npod/web\n');
    const list = JSON.parse(await ok(['get', 'pods', '-o', 'json'])) as { kind: string; apiVersion: string; items: { kind: string; metadata: { name: string } }[] };
    assert.equal(list.kind, 'List');
    assert.equal(list.apiVersion, 'v1');
    assert.deepEqual(list.items.map((i) => [i.kind, i.metadata.name]), [['Pod', 'db'], ['Pod', 'web']]);
    const yaml = await ok(['get', 'pod', 'web', '-o', 'yaml']);
    assert.match(yaml, /^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    assert.match(yaml, /^ {2}resourceVersion: "\d+"$/m);
    assert.match(yaml, /^ {2}uid: [0-9a-f-]{36}$/m);
    assert.match(yaml, /^ {2}restartPolicy: Always$/m, 'defaults are applied');
    assert.match(yaml, /^ {2}phase: Pending$/m);
    assert.match(yaml, /^ {2}qosClass: BestEffort$/m);
  });

  test('get one pod by name, and -o jsonpath', async () => {
    const out = lines(await ok(['get', 'pod', 'web']));
    assert.equal(out.length, 2);
    assert.deepEqual(cells(out[1]!).slice(0, 3), ['web', '0/1', 'Pending']);
    assert.equal(await ok(['get', 'pod', 'db', '-o', 'jsonpath={.spec.nodeName}']), 'node-1');
  });

  test('label selectors: equality, set-based, existence', async () => {
    assert.equal(await ok(['get', 'pods', '-l', 'app=web', '-o', 'name']), 'pod/web\n');
    assert.equal(await ok(['get', 'pods', '-l', 'app!=web', '-o', 'name']), 'pod/db\n');
    assert.equal(await ok(['get', 'pods', '-l', 'app in (db,web)', '-o', 'name']), 'pod/db\npod/web\n');
    assert.equal(await ok(['get', 'pods', '-l', 'tier', '-o', 'name']), 'pod/web\n');
    assert.equal(await ok(['get', 'pods', '-l', '!tier', '-o', 'name']), 'pod/db\n');
    assert.equal(await ok(['get', 'pods', '-A', '-l', 'app=web', '-o', 'name']), 'pod/web\npod/sys\n');
  });

  test('an empty selection prints "No resources found" on stderr', async () => {
    const r = await server.kubectl(['get', 'pods', '-l', 'app=none']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'No resources found in default namespace.\n');
    const all = await server.kubectl(['get', 'pods', '-A', '-l', 'app=none']);
    assert.equal(all.stderr, 'No resources found\n');
  });

  test('field selectors: spec.nodeName, status.phase, metadata.name', async () => {
    assert.equal(await ok(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=node-1', '-o', 'name']), 'pod/db\npod/sys\n');
    assert.equal(await ok(['get', 'pods', '--field-selector', 'spec.nodeName=', '-o', 'name']), 'pod/web\n');
    assert.equal(await ok(['get', 'pods', '--field-selector', 'status.phase=Pending', '-o', 'name']), 'pod/db\npod/web\n');
    assert.equal(await ok(['get', 'pods', '--field-selector', 'status.phase!=Pending,status.phase!=Running', '-o', 'name']), '');
    assert.equal(await ok(['get', 'pods', '--field-selector', 'metadata.name=web', '-o', 'name']), 'pod/web\n');
    assert.equal(await ok(['get', 'pods', '-A', '--field-selector', 'metadata.namespace=kube-system', '-o', 'name']), 'pod/sys\n');
  });

  test('a field selector on a field the kind does not have is a BadRequest', async () => {
    const err = await fails(['get', 'pods', '--field-selector', 'spec.foo=bar']);
    assert.equal(err, 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=bar": field label not supported: spec.foo');
  });

  test('--chunk-size pages the list with limit and continue, and prints one table', async () => {
    const r = await server.kubectl(['get', 'pods', '-A', '--chunk-size=1', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout).slice(1).map((l) => cells(l).slice(0, 2)), [['default', 'db'], ['default', 'web'], ['kube-system', 'sys']]);
    const requests = r.stderr.split('\n').filter((l) => /GET https:\S+\/api\/v1\/pods\?/.test(l));
    assert.equal(requests.length, 3, requests.join('\n'));
    assert.match(requests[0]!, /\?limit=1 200 OK/);
    assert.match(requests[1]!, /\?continue=[^&\s]+&limit=1 200 OK/);
  });

  test('create with generateName gets a generated name', async () => {
    const out = await ok(['create', '-f', '-'], pod('unused').replace('  name: unused\n', '  generateName: gen-\n'));
    assert.match(out, /^pod\/gen-[a-z0-9]{5} created\n$/);
    assert.equal(await ok(['delete', out.trim().split(' ')[0]!]), `pod "${out.trim().split(' ')[0]!.slice(4)}" deleted\n`);
  });

  test('get several kinds at once', async () => {
    assert.equal(await ok(['get', 'pods,services', '-o', 'name']), 'pod/db\npod/web\nservice/kubernetes\n');
  });
});

describe('apply, patch, label, annotate, replace', () => {
  test('apply creates, a second apply is "unchanged", a changed manifest is "configured"', async () => {
    const manifest = pod('applied', { labels: { app: 'applied' } });
    assert.equal(await ok(['apply', '-f', '-'], manifest), 'pod/applied created\n');
    assert.equal(await ok(['apply', '-f', '-'], manifest), 'pod/applied unchanged\n');
    assert.equal(await ok(['apply', '-f', '-'], manifest.replace('nginx:1.27', 'nginx:1.28')), 'pod/applied configured\n');
    assert.equal(await ok(['get', 'pod', 'applied', '-o', 'jsonpath={.spec.containers[0].image} {.spec.containers[0].ports[0].containerPort}']), 'nginx:1.28 80', 'the strategic merge kept the ports');
    assert.equal(await ok(['apply', '-f', '-'], manifest.replace('nginx:1.27', 'nginx:1.28')), 'pod/applied unchanged\n');
  });

  test('apply on an object made by create warns about the missing annotation, then patches it in', async () => {
    const r = await server.kubectl(['apply', '-f', 'web.yaml']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'pod/web configured\n');
    assert.match(r.stderr, /^Warning: resource pods\/web is missing the kubectl\.kubernetes\.io\/last-applied-configuration annotation which is required by kubectl apply\./);
    const annotation = await ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}']);
    assert.equal(JSON.parse(annotation).metadata.name, 'web');
  });

  test('patch: strategic merge (default), --type merge, --type json, and "(no change)"', async () => {
    assert.equal(await ok(['patch', 'pod', 'web', '-p', '{"metadata":{"labels":{"patched":"smp"}}}']), 'pod/web patched\n');
    assert.equal(await ok(['patch', 'pod', 'web', '-p', '{"spec":{"containers":[{"name":"app","image":"nginx:1.29"}]}}']), 'pod/web patched\n');
    assert.equal(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image} {.spec.containers[0].ports[0].containerPort}']), 'nginx:1.29 80', 'containers merge by name');
    assert.equal(await ok(['patch', 'pod', 'web', '--type', 'merge', '-p', '{"metadata":{"annotations":{"patched":"merge"}}}']), 'pod/web patched\n');
    assert.equal(await ok(['patch', 'pod', 'web', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/json","value":"yes"}]']), 'pod/web patched\n');
    assert.equal(await ok(['patch', 'pod', 'web', '--type', 'json', '-p', '[{"op":"replace","path":"/metadata/labels/json","value":"yes"}]']), 'pod/web patched (no change)\n');
    assert.equal(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.labels.patched} {.metadata.annotations.patched} {.metadata.labels.json}']), 'smp merge yes');
  });

  test('patch errors: a failed JSON patch test, an invalid patch body', async () => {
    const test = await fails(['patch', 'pod', 'web', '--type', 'json', '-p', '[{"op":"test","path":"/metadata/name","value":"other"}]']);
    assert.match(test, /^The request is invalid/);
    const missing = await fails(['patch', 'pod', 'nope', '-p', '{"metadata":{"labels":{"a":"b"}}}']);
    assert.equal(missing, 'Error from server (NotFound): pods "nope" not found');
  });

  test('server dry runs: delete, label and apply change nothing', async () => {
    assert.equal(await ok(['delete', 'pod', 'web', '--dry-run=server']), 'pod "web" deleted (server dry run)\n');
    assert.equal(await ok(['label', 'pod', 'web', 'dry=run', '--dry-run=server']), 'pod/web labeled (server dry run)\n');
    assert.equal(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.labels.dry}']), '');
  });

  test('diff shows the server-side dry-run result; edit patches what the editor changed', async () => {
    const manifest = pod('web', { labels: { app: 'web', tier: 'front' } }).replace('nginx:1.27', 'nginx:1.30');
    const diff = await server.kubectl(['diff', '-f', '-'], { input: manifest });
    assert.equal(diff.code, 1, `kubectl diff exits 1 when there are differences: ${diff.stderr}`);
    const changed = lines(diff.stdout).filter((l) => /^[-+] /.test(l));
    assert.deepEqual(changed, ['-  - image: nginx:1.29', '+  - image: nginx:1.30']);
    const edit = await server.kubectl(['edit', 'pod', 'web'], { env: { EDITOR: 'sed -i s/nginx:1.29/nginx:1.31/' } });
    assert.equal(edit.code, 0, edit.stderr);
    assert.equal(edit.stdout, 'pod/web edited\n');
    assert.equal(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.spec.containers[0].image}']), 'nginx:1.31');
  });

  test('label and annotate, with --overwrite and removal', async () => {
    assert.equal(await ok(['label', 'pod', 'web', 'env=dev']), 'pod/web labeled\n');
    assert.equal(await fails(['label', 'pod', 'web', 'env=prod']), "error: 'env' already has a value (dev), and --overwrite is false");
    assert.equal(await ok(['label', 'pod', 'web', 'env=prod', '--overwrite']), 'pod/web labeled\n');
    assert.equal(await ok(['get', 'pods', '-l', 'env=prod', '-o', 'name']), 'pod/web\n');
    assert.equal(await ok(['label', 'pod', 'web', 'env-']), 'pod/web unlabeled\n');
    assert.equal(await ok(['annotate', 'pod', 'web', 'note=hello']), 'pod/web annotated\n');
    assert.equal(await ok(['annotate', 'pod', 'web', 'note=again', '--overwrite']), 'pod/web annotated\n');
    assert.equal(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.annotations.note}']), 'again');
    assert.equal(await ok(['label', 'pods', '--all', 'batch=1']), 'pod/applied labeled\npod/db labeled\npod/web labeled\n');
  });

  test('replace with a stale resourceVersion is a 409 Conflict', async () => {
    const stale = pod('web').replace('  name: web\n', '  name: web\n  resourceVersion: "1"\n');
    const err = await fails(['replace', '-f', server.writeFile('stale.yaml', stale)]);
    assert.equal(err, 'Error from server (Conflict): error when replacing "' + server.dataDir + '/stale.yaml": Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again');
  });

  test('replace with the current resourceVersion succeeds', async () => {
    await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: a\n');
    const current = JSON.parse(await ok(['get', 'configmap', 'settings', '-o', 'json'])) as { data: Record<string, string> };
    current.data['mode'] = 'b';
    assert.equal(await ok(['replace', '-f', '-'], JSON.stringify(current)), 'configmap/settings replaced\n');
    assert.equal(await ok(['get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}']), 'b');
  });

  test('replace of a pod read back with -o json (keys in another order) changes only what changed', async () => {
    const current = JSON.parse(await ok(['get', 'pod', 'web', '-o', 'json'])) as { metadata: { labels: Record<string, string> } };
    current.metadata.labels['replaced'] = 'yes';
    assert.equal(await ok(['replace', '-f', '-'], JSON.stringify(current)), 'pod/web replaced\n');
    assert.equal(await ok(['get', 'pod', 'web', '-o', 'jsonpath={.metadata.labels.replaced}']), 'yes');
  });

  test('a pod spec change other than the image is Forbidden (422), as kube-apiserver words it', async () => {
    const err = await fails(['patch', 'pod', 'web', '-p', '{"spec":{"restartPolicy":"Never"}}']);
    const first = err.split('\n')[0];
    assert.equal(first, 'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)');
    assert.match(err, /^- \tRestartPolicy: "Always",$/m);
    assert.match(err, /^\+ \tRestartPolicy: "Never",$/m);
  });
});

describe('errors as kubectl prints them against a real cluster', () => {
  test('AlreadyExists', async () => {
    const err = await fails(['create', '-f', 'web.yaml']);
    assert.equal(err, 'Error from server (AlreadyExists): error when creating "web.yaml": pods "web" already exists');
  });

  test('NotFound', async () => {
    assert.equal(await fails(['get', 'pod', 'nope']), 'Error from server (NotFound): pods "nope" not found');
    assert.equal(await fails(['delete', 'pod', 'nope']), 'Error from server (NotFound): pods "nope" not found');
    assert.equal(await fails(['get', 'lease', 'nope', '-n', 'kube-node-lease']), 'Error from server (NotFound): leases.coordination.k8s.io "nope" not found');
  });

  test('Invalid: a container without an image', async () => {
    const bad = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: c\n';
    assert.equal(await fails(['create', '-f', server.writeFile('bad.yaml', bad)]), 'The Pod "bad" is invalid: spec.containers[0].image: Required value');
  });

  test('Invalid: several errors are listed in brackets', async () => {
    const bad = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad_Name\nspec:\n  containers:\n  - name: c\n';
    const err = await fails(['create', '-f', '-'], { input: bad });
    assert.equal(err, 'The Pod "Bad_Name" is invalid: \n* metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')\n* spec.containers[0].image: Required value');
  });

  test('Strict field validation: an unknown field is a BadRequest; --validate=false creates it', async () => {
    const unknown = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: unk\nspec:\n  foo: bar\n  containers:\n  - name: c\n    image: nginx\n';
    const file = server.writeFile('x.yaml', unknown);
    assert.equal(await fails(['create', '-f', 'x.yaml']), 'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"');
    const warn = await server.kubectl(['create', '-f', file, '--validate=warn', '--dry-run=server']);
    assert.equal(warn.code, 0, warn.stderr);
    assert.equal(warn.stderr, 'Warning: unknown field "spec.foo"\n');
    assert.equal(warn.stdout, 'pod/unk created (server dry run)\n');
    assert.equal(await ok(['get', 'pods', '-o', 'name', '--field-selector', 'metadata.name=unk']), '', 'a dry run stores nothing');
    assert.equal(await ok(['create', '-f', file, '--validate=false']), 'pod/unk created\n');
    assert.equal(await ok(['delete', 'pod', 'unk']), 'pod "unk" deleted\n');
  });

  test('a namespace that does not exist', async () => {
    assert.equal(await fails(['get', 'pod', 'web', '-n', 'nope']), 'Error from server (NotFound): namespaces "nope" not found');
    assert.equal(await fails(['create', '-n', 'nope', '-f', 'web.yaml']), 'Error from server (NotFound): error when creating "web.yaml": namespaces "nope" not found');
  });

  test('the viewer context: reads work, writes are 403 Forbidden with the RBAC message', async () => {
    const viewer = { context: 'kube-sim-viewer' };
    const r = await server.kubectl(['get', 'pods', '-o', 'name'], viewer);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^pod\/web$/m);
    assert.equal(
      await fails(['create', '-f', '-'], { ...viewer, input: pod('v') }),
      'Error from server (Forbidden): error when creating "STDIN": pods is forbidden: User "viewer" cannot create resource "pods" in API group "" in the namespace "default"',
    );
    assert.equal(
      await fails(['label', 'pod', 'web', 'x=y'], viewer),
      'Error from server (Forbidden): pods "web" is forbidden: User "viewer" cannot patch resource "pods" in API group "" in the namespace "default"',
    );
    assert.equal(
      await fails(['delete', 'node', 'node-1'], viewer),
      'Error from server (Forbidden): nodes "node-1" is forbidden: User "viewer" cannot delete resource "nodes" in API group "" at the cluster scope',
    );
  });
});

describe('delete, wait and watch', () => {
  test('delete --wait=false leaves an object with a finalizer Terminating; wait --for=delete returns once it is gone', async () => {
    await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: ["example.com/hold"]\ndata:\n  a: "1"\n');
    assert.equal(await ok(['delete', 'configmap', 'held', '--wait=false']), 'configmap "held" deleted\n');
    assert.match(await ok(['get', 'configmap', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // -v=6 logs each response as its headers arrive: the watch line says kubectl is watching.
    const wait = server.startKubectl(['wait', '--for=delete', 'configmap/held', '--timeout=30s', '-v=6']);
    await wait.until((_, stderr) => /GET https:\S+watch=true\S* 200 OK/.test(stderr), 'the watch request');
    // Removing the last finalizer of an object being deleted removes it.
    assert.equal(await ok(['patch', 'configmap', 'held', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']), 'configmap/held patched\n');
    const done = await wait.exited;
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, 'configmap/held condition met\n');
    assert.equal(await fails(['get', 'configmap', 'held']), 'Error from server (NotFound): configmaps "held" not found');
  });

  test('wait --for=delete on an object already gone succeeds at once', async () => {
    await ok(['create', '-f', '-'], pod('gone'));
    assert.equal(await ok(['delete', 'pod', 'gone']), 'pod "gone" deleted\n');
    const r = await server.kubectl(['wait', '--for=delete', 'pod/gone', '--timeout=10s']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('delete -l deletes the selection', async () => {
    await ok(['create', '-f', '-'], pod('sel-1', { labels: { sel: 'picked' } }) + '---\n' + pod('sel-2', { labels: { sel: 'picked' } }));
    assert.equal(await ok(['delete', 'pods', '-l', 'sel=picked']), 'pod "sel-1" deleted\npod "sel-2" deleted\n');
  });

  test('get -w prints the list, then a row for each change', async () => {
    const watch = server.startKubectl(['get', 'pods', '-w', '-l', 'app=watched']);
    await ok(['create', '-f', '-'], pod('watched', { labels: { app: 'watched' } }));
    await watch.until((out) => /^watched\s/m.test(out), 'the ADDED row');
    await ok(['label', 'pod', 'watched', 'step=2']);
    await watch.until((out) => out.split('\n').filter((l) => l.startsWith('watched ')).length >= 2, 'the MODIFIED row');
    await ok(['delete', 'pod', 'watched']);
    // A pod's delete is graceful even with no grace left (it is not scheduled): kube-apiserver writes
    // its deletionTimestamp (MODIFIED, Terminating), then removes it (DELETED, Terminating).
    await watch.until((out) => out.split('\n').filter((l) => l.startsWith('watched ')).length >= 4, 'the DELETED row');
    const r = await watch.kill();
    const out = lines(r.stdout);
    assert.deepEqual(cells(out[0]!), ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    assert.deepEqual(out.slice(1).map((l) => cells(l).slice(0, 3)), [['watched', '0/1', 'Pending'], ['watched', '0/1', 'Pending'], ['watched', '0/1', 'Terminating'], ['watched', '0/1', 'Terminating']]);
  });

  test('get -w --output-watch-events adds an EVENT column', async () => {
    const watch = server.startKubectl(['get', 'configmaps', '-w', '--output-watch-events', '--field-selector', 'metadata.name=w']);
    // Created before or after kubectl's list, the object shows as ADDED either way.
    await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: w\n');
    await watch.until((out) => out.includes('ADDED'), 'ADDED');
    await ok(['label', 'configmap', 'w', 'x=1']);
    await ok(['delete', 'configmap', 'w']);
    await watch.until((out) => out.includes('DELETED'), 'DELETED');
    const out = lines((await watch.kill()).stdout).map(cells);
    assert.deepEqual(out, [['EVENT', 'NAME', 'DATA', 'AGE'], ['ADDED', 'w', '0', out[1]![3]!], ['MODIFIED', 'w', '0', out[2]![3]!], ['DELETED', 'w', '0', out[3]![3]!]]);
  });
});
