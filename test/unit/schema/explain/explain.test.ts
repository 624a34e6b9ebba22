import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainAt } from '../../../../src/schema/explain/explain';
import { explanationMarkdown } from '../../../../src/schema/explain/markdown';

/** Explains the text at the first `needle`, `delta` characters in. */
function at(text: string, needle: string, delta = 1) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} is in the text`);
  return explainAt(text, i + delta);
}

const pod = [
  '# a pod, with a comment: image: not-a-field',
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  '  labels: {app: web, "tier": front}',
  'spec:',
  '  restartPolicy: Never',
  '  containers:',
  '  - name: nginx',
  '    image: nginx:1.27   # pinned',
  '    command: ["sh", "-c", "sleep 1"]',
  '    ports: [{containerPort: 80, protocol: TCP}]',
  '    resources:',
  '      requests:',
  '        cpu: 100m',
  '  - {name: sidecar, "image": busybox}',
  '',
].join('\n');

test('a key in a list of maps: path with [], type, description and reference', () => {
  const e = at(pod, 'image: nginx')!;
  assert.equal(e.path, 'Pod.spec.containers[].image');
  assert.equal(e.fieldPath, 'spec.containers[0].image');
  assert.equal(e.type, 'string');
  assert.equal(e.onKey, true);
  assert.match(e.description, /Container image name/);
  assert.equal(e.reference, 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#Container');
});

test('types are worded as the API reference words them', () => {
  assert.equal(at(pod, 'containers:')!.type, '[]Container');
  assert.equal(at(pod, 'labels:')!.type, 'map[string]string');
  assert.equal(at(pod, 'requests:')!.type, 'map[string]Quantity');
  assert.equal(at(pod, 'cpu:')!.type, 'Quantity');
  assert.equal(at(pod, 'containerPort')!.type, 'int32');
  assert.equal(at(pod, 'spec:')!.type, 'PodSpec');
});

test('a value explains the field it is the value of', () => {
  const e = at(pod, '100m')!;
  assert.equal(e.path, 'Pod.spec.containers[].resources.requests.cpu');
  assert.equal(e.onKey, false);
});

test('required, default and allowed values', () => {
  const name = at(pod, 'name: nginx')!;
  assert.equal(name.required, true);
  const policy = at(pod, 'restartPolicy')!;
  assert.equal(policy.required, false);
  assert.equal(policy.default, 'Always');
  assert.deepEqual(policy.enum, ['Always', 'Never', 'OnFailure']);
  const md = explanationMarkdown(policy);
  assert.match(md, /^\*\*Pod\.spec\.restartPolicy\*\* · `string`/);
  assert.match(md, /Default: `Always`/);
  assert.match(md, /Allowed values: `Always`, `Never`, `OnFailure`/);
});

test('the parent shows what the API server defaults when a field is left out', () => {
  const spec = at(pod, 'spec:')!;
  const names = spec.defaultedChildren!.map((c) => `${c.name}: ${String(c.default)}`);
  assert.ok(names.includes('dnsPolicy: ClusterFirst'));
  assert.ok(!names.some((n) => n.startsWith('restartPolicy')), 'restartPolicy is set here, so it is not defaulted');
  assert.match(explanationMarkdown(spec), /the API server sets .*`dnsPolicy: ClusterFirst`/);
});

test('flow style maps and sequences, quoted keys', () => {
  assert.equal(at(pod, '"tier"')!.path, 'Pod.metadata.labels.tier');
  assert.equal(at(pod, 'containerPort')!.path, 'Pod.spec.containers[].ports[].containerPort');
  assert.equal(at(pod, '"-c"')!.path, 'Pod.spec.containers[].command[]');
  const quoted = at(pod, '"image": busybox')!;
  assert.equal(quoted.fieldPath, 'spec.containers[1].image');
});

test('a comment is no field', () => {
  assert.equal(at(pod, 'not-a-field'), undefined);
  assert.equal(at(pod, '# pinned', 3), undefined);
});

test('each document of a multi-document file has its own kind, whatever the file name', () => {
  const text = ['apiVersion: v1', 'kind: Service', 'spec:', '  type: ClusterIP', '---', 'apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  replicas: 3', ''].join('\n');
  assert.equal(at(text, 'type:')!.path, 'Service.spec.type');
  const replicas = at(text, 'replicas')!;
  assert.equal(replicas.path, 'Deployment.spec.replicas');
  assert.deepEqual(replicas.gvk, { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.equal(replicas.document, 1);
  assert.equal(replicas.reference, 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/#DeploymentSpec');
});

test('anchors and aliases: a merged map explains the fields it holds', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - &base',
    '        name: a',
    '        imagePullPolicy: IfNotPresent',
    '      - <<: *base',
    '        name: b',
    '',
  ].join('\n');
  assert.equal(at(text, 'imagePullPolicy')!.path, 'Deployment.spec.template.spec.containers[].imagePullPolicy');
  assert.equal(at(text, 'name: b')!.fieldPath, 'spec.template.spec.containers[1].name');
  const merge = at(text, '<<')!;
  assert.equal(merge.path, 'Deployment.spec.template.spec.containers[]', 'a merge key explains the map it merges into');
  assert.equal(merge.type, 'Container');
});

test('an incomplete document being typed still explains what it can', () => {
  const noVersion = ['kind: Pod', 'spec:', '  containers:', '  - name: x', '    imagePullPolicy:', ''].join('\n');
  const e = at(noVersion, 'imagePullPolicy')!;
  assert.equal(e.path, 'Pod.spec.containers[].imagePullPolicy', 'a kind alone picks the version that serves it');
  assert.deepEqual(e.enum, ['Always', 'IfNotPresent', 'Never']);
  const broken = ['apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: "unterminated', '    image: x', ''].join('\n');
  assert.doesNotThrow(() => explainAt(broken, broken.indexOf('containers') + 1));
  assert.equal(at(broken, 'containers')!.path, 'Pod.spec.containers');
});

test('documents without a known kind, and unknown fields, have no explanation', () => {
  assert.equal(at('foo: bar\n', 'foo'), undefined);
  assert.equal(at('apiVersion: v1\nkind: Pod\nspec:\n  bogus: 1\n', 'bogus'), undefined);
});

test('a table of fields: path, type, required, default', () => {
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  creationTimestamp: null',
    'spec:',
    '  replicas: 2',
    '  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%}}',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        env:',
    '        - name: A',
    '          valueFrom: {configMapKeyRef: {name: c, key: k}}',
    '        ports:',
    '        - containerPort: 80',
    '          protocol: TCP',
    '        livenessProbe: {httpGet: {port: http, path: /}}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'spec:',
    '  ports:',
    '  - port: 80',
    '    targetPort: 8080',
    '',
  ].join('\n');
  const table: [string, string, string, boolean, unknown][] = [
    ['replicas', 'Deployment.spec.replicas', 'int32', false, undefined],
    ['creationTimestamp', 'Deployment.metadata.creationTimestamp', 'Time', false, undefined],
    ['maxSurge', 'Deployment.spec.strategy.rollingUpdate.maxSurge', 'IntOrString', false, undefined],
    ['selector', 'Deployment.spec.selector', 'LabelSelector', true, undefined],
    ['matchLabels', 'Deployment.spec.selector.matchLabels', 'map[string]string', false, undefined],
    ['template', 'Deployment.spec.template', 'PodTemplateSpec', true, undefined],
    ['env:', 'Deployment.spec.template.spec.containers[].env', '[]EnvVar', false, undefined],
    ['configMapKeyRef', 'Deployment.spec.template.spec.containers[].env[].valueFrom.configMapKeyRef', 'ConfigMapKeySelector', false, undefined],
    ['key: k', 'Deployment.spec.template.spec.containers[].env[].valueFrom.configMapKeyRef.key', 'string', true, undefined],
    ['protocol', 'Deployment.spec.template.spec.containers[].ports[].protocol', 'string', false, 'TCP'],
    ['port: http', 'Deployment.spec.template.spec.containers[].livenessProbe.httpGet.port', 'IntOrString', true, undefined],
    ['targetPort', 'Service.spec.ports[].targetPort', 'IntOrString', false, undefined],
    ['port: 80', 'Service.spec.ports[].port', 'int32', true, undefined],
  ];
  for (const [needle, path, type, required, defaultValue] of table) {
    const e = at(deployment, needle)!;
    assert.ok(e, `${needle} has an explanation`);
    assert.deepEqual([e.path, e.type, e.required, e.default], [path, type, required, defaultValue], needle);
  }
});

test('markdown: URLs in descriptions become links', () => {
  const md = explanationMarkdown(at(pod, 'spec:')!);
  assert.match(md, /More info: <https:\/\/git\.k8s\.io\/community\/contributors\/devel\/sig-architecture\/api-conventions\.md#spec-and-status>/);
});

test('defaults the API server computes: on the spec, and per container on the list (imagePullPolicy follows the tag)', () => {
  const spec = at(pod, 'spec:')!;
  const names = spec.defaultedChildren!.map((c) => c.name);
  for (const name of ['dnsPolicy', 'enableServiceLinks', 'schedulerName', 'securityContext', 'terminationGracePeriodSeconds']) assert.ok(names.includes(name), name);
  const containers = at(pod, 'containers:')!;
  const nginx = containers.defaultedItems!.find((i) => i.name === 'nginx')!;
  assert.deepEqual(nginx.defaults.find((d) => d.name === 'imagePullPolicy'), { name: 'imagePullPolicy', default: 'IfNotPresent' });
  assert.ok(nginx.defaults.some((d) => d.name === 'terminationMessagePolicy' && d.default === 'File'));
  assert.match(explanationMarkdown(containers), /Left out of the items, the API server sets:\n- `nginx`: .*`imagePullPolicy: IfNotPresent`/);
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - {name: a, image: nginx}\n';
  const latest = at(deployment, 'containers')!;
  assert.equal(latest.path, 'Deployment.spec.template.spec.containers');
  assert.deepEqual(latest.defaultedItems![0].defaults.find((d) => d.name === 'imagePullPolicy')?.default, 'Always');
});
