import { test } from 'node:test';
import assert from 'node:assert/strict';
import { manifestDiagnostics } from '../../../../src/schema/explain/diagnostics';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const textAt = (text: string, range: [number, number]) => text.slice(range[0], range[1]);

test('a valid pod has no diagnostics', () => {
  const text = lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', '  labels: {app: web}', 'spec:', '  containers:', '  - name: nginx', '    image: nginx', '    resources: {requests: {cpu: 100m, memory: 64Mi}}');
  assert.deepEqual(manifestDiagnostics(text), []);
});

test('an unknown field is an error on its key, with a did-you-mean from its siblings', () => {
  const text = lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: nginx', '    iamge: nginx', '    ImagePullPolicy: Always');
  const found = manifestDiagnostics(text).filter((d) => d.code === 'unknown-field');
  assert.equal(found.length, 2);
  assert.equal(found[0].message, 'unknown field "spec.containers[0].iamge"; did you mean "image"?');
  assert.equal(textAt(text, found[0].range), 'iamge');
  assert.equal(found[0].severity, 'error');
  assert.match(found[1].message, /did you mean "imagePullPolicy"\?/);
});

test('wrong types: a scalar where an object or list goes, a number where a string goes', () => {
  const text = lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers: nginx', '  hostNetwork: "yes"', '  nodeSelector: [a]', '  priority: 1.5');
  const found = manifestDiagnostics(text).filter((d) => d.code === 'wrong-type');
  const byPath = new Map(found.map((d) => [d.fieldPath, d]));
  assert.equal(byPath.get('spec.containers')!.message, 'spec.containers: expected array ([]Container), got string');
  assert.equal(textAt(text, byPath.get('spec.containers')!.range), 'nginx');
  assert.equal(byPath.get('spec.hostNetwork')!.message, 'spec.hostNetwork: expected boolean (boolean), got string');
  assert.match(byPath.get('spec.nodeSelector')!.message, /expected object \(map\[string\]string\), got array/);
  assert.match(byPath.get('spec.priority')!.message, /expected integer \(int32\), got number/);
  const named = manifestDiagnostics(lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: 123'));
  assert.equal(named[0].message, 'metadata.name: expected string (string), got integer');
});

test('a missing required field shows on the key that should hold it', () => {
  const text = lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - image: nginx', '  - name: b', '    image: busybox');
  const found = manifestDiagnostics(text).filter((d) => d.code === 'missing-required');
  assert.equal(found.length, 1);
  assert.equal(found[0].message, 'spec.containers[0].name: Required value');
  assert.equal(textAt(text, found[0].range), 'image');
  const noContainers = lines('apiVersion: v1', 'kind: Pod', 'spec:', '  restartPolicy: Never');
  const missing = manifestDiagnostics(noContainers).find((d) => d.code === 'missing-required')!;
  assert.equal(missing.message, 'spec.containers: Required value');
  assert.equal(textAt(noContainers, missing.range), 'spec');
});

test('values outside an enum, invalid quantities and invalid names', () => {
  const text = lines(
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: Web_1', '  labels:', '    "bad key!": x', '    app: "-bad-"',
    'spec:', '  restartPolicy: Sometimes', '  containers:', '  - name: Nginx', '    resources:', '      limits: {cpu: 1.5cores, memory: 64Mi}',
  );
  const found = manifestDiagnostics(text);
  const byCode = (code: string) => found.filter((d) => d.code === code);
  const policy = byCode('unsupported-value')[0];
  assert.equal(policy.message, 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"');
  assert.equal(textAt(text, policy.range), 'Sometimes');
  const quantity = byCode('invalid-quantity')[0];
  assert.equal(textAt(text, quantity.range), '1.5cores');
  assert.match(quantity.message, /^spec\.containers\[0\]\.resources\.limits\.cpu: Invalid value: "1\.5cores": quantities must match the regular expression/);
  const names = byCode('invalid-name').map((d) => textAt(text, d.range));
  assert.deepEqual(names, ['Web_1', '"bad key!"', '"-bad-"', 'Nginx']);
  assert.match(byCode('invalid-name')[0].message, /^metadata\.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain/);
});

test('each document is checked against its own kind; null values being typed are not errors', () => {
  const text = lines('apiVersion: v1', 'kind: Service', 'spec:', '  type: ClusterIP', '  ports:', '  - port: 80', '---', 'apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  replicas:', '  selector: {}', '  template: {}', '  bogus: 1');
  const found = manifestDiagnostics(text);
  assert.deepEqual(found.map((d) => [d.document, d.code, d.fieldPath]), [[1, 'unknown-field', 'spec.bogus']]);
});

test('unknown kinds are a warning on the kind; documents without a kind and YAML errors', () => {
  const text = lines('apiVersion: v1', 'kind: Poddd', '---', 'just: data', '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: [unclosed');
  const found = manifestDiagnostics(text);
  assert.equal(found[0].code, 'unknown-kind');
  assert.equal(found[0].severity, 'warning');
  assert.equal(textAt(text, found[0].range), 'Poddd');
  assert.ok(found.some((d) => d.code === 'yaml-syntax' && d.document === 2));
  assert.ok(!found.some((d) => d.document === 1));
});

test('anchors and merge keys: the merged map is not missing its merged fields', () => {
  const text = lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - &c {name: a, image: x}', '  - <<: *c', '    image: y', '  - *c');
  assert.deepEqual(manifestDiagnostics(text), []);
});
