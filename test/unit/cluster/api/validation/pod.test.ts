import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPod } from '../../../../../src/cluster/api/defaults/pod';
import type { Pod, PodSpec } from '../../../../../src/cluster/api/types';
import { validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from '../../../../../src/cluster/api/validation/pod';

function pod(spec: Partial<PodSpec>): Pod {
  const p: Pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } as PodSpec };
  defaultPod(p);
  return p;
}
const errors = (p: Pod) => validatePodCreate(p).map((e) => e.toString());

test('a defaulted minimal pod is valid', () => {
  assert.deepEqual(errors(pod({})), []);
});

test('field errors are worded as kube-apiserver words them', () => {
  const cases: [string, Partial<PodSpec>, string[]][] = [
    ['no containers', { containers: [] }, ['spec.containers: Required value']],
    ['no image', { containers: [{ name: 'app' }] }, ['spec.containers[0].image: Required value']],
    [
      'bad container name',
      { containers: [{ name: 'My_App', image: 'x' }] },
      [
        "spec.containers[0].name: Invalid value: \"My_App\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['duplicate container', { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }, ['spec.containers[1].name: Duplicate value: "a"']],
    ['init name clashes', { initContainers: [{ name: 'app', image: 'x' }] }, ['spec.initContainers[0].name: Duplicate value: "app"']],
    ['port range', { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] }, ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['restart policy', { restartPolicy: 'Sometimes' as never }, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']],
    [
      'requests above limits',
      { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] },
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ],
    ['negative request', { containers: [{ name: 'a', image: 'x', resources: { requests: { memory: '-1' } } }] }, ['spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0']],
    ['unknown resource', { containers: [{ name: 'a', image: 'x', resources: { requests: { gpu: '1' } } }] }, ['spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers']],
    ['volume name', { volumes: [{ name: 'Data', emptyDir: {} }] }, [/* checked below */]],
    ['configMap volume needs a name', { volumes: [{ name: 'cfg', configMap: {} }] }, ['spec.volumes[0].configMap.name: Required value']],
    ['duplicate volumes', { volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }] }, ['spec.volumes[1].name: Duplicate value: "v"']],
    ['mount of a missing volume', { containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'nope', mountPath: '/d' }] }] }, ['spec.containers[0].volumeMounts[0].name: Not found: "nope"']],
    ['secret env without a name', { containers: [{ name: 'a', image: 'x', env: [{ name: 'P', valueFrom: { secretKeyRef: { key: 'k' } } }] }] }, ['spec.containers[0].env[0].valueFrom.secretKeyRef.name: Required value']],
    ['nodeName', { nodeName: 'Node_1' }, [/* checked below */]],
    ['toleration seconds need NoExecute', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }, ["spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"]],
    ['toleration without key', { tolerations: [{ operator: 'Equal', value: 'v' }] }, ['spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"']],
    [
      'empty node selector terms',
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } },
      ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term'],
    ],
    [
      'pod affinity needs a topology key',
      { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } } }] } } },
      ['spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty'],
    ],
    ['init probes need a sidecar', { initContainers: [{ name: 'i', image: 'x', readinessProbe: { exec: { command: ['true'] } } }] }, ['spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always']],
    [
      'host network ports',
      { hostNetwork: true, containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] },
      ['spec.containers[0].ports[0].containerPort: Invalid value: 80: must match `hostPort` when `hostNetwork` is true'],
    ],
    ['liveness success threshold', { containers: [{ name: 'a', image: 'x', livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }] }, ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1']],
  ];
  for (const [name, spec, want] of cases) {
    const got = errors(pod(spec));
    if (want.length) assert.deepEqual(got, want, name);
    else assert.equal(got.length, 1, `${name}: ${got.join(' | ')}`);
  }
});

test('several errors are reported in kube-apiserver order', () => {
  const got = errors(pod({ containers: [{ name: '', image: '' }], restartPolicy: 'x' as never }));
  assert.deepEqual(got, ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value', 'spec.restartPolicy: Unsupported value: "x": supported values: "Always", "OnFailure", "Never"']);
});

test('pod updates: images, tolerations added, deadlines shortened; anything else is Forbidden', () => {
  const old = pod({ tolerations: [{ key: 'a', operator: 'Exists' }] });
  const image = structuredClone(old);
  image.spec.containers[0]!.image = 'nginx:1.28';
  assert.deepEqual(validatePodUpdate(image, old), []);
  const moreTolerations = structuredClone(old);
  moreTolerations.spec.tolerations!.push({ key: 'b', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 });
  assert.deepEqual(validatePodUpdate(moreTolerations, old), []);
  const fewer = structuredClone(old);
  fewer.spec.tolerations = [];
  assert.deepEqual(validatePodUpdate(fewer, old).map(String), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
  const ports = structuredClone(old);
  ports.spec.containers[0]!.ports = [{ containerPort: 81, protocol: 'TCP' }];
  const errs = validatePodUpdate(ports, old);
  assert.equal(errs.length, 1);
  assert.equal(errs[0]!.field, 'spec');
  assert.equal(errs[0]!.type, 'FieldValueForbidden');
  assert.ok(
    errs[0]!.detail.startsWith(
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{',
    ),
  );
  const added = structuredClone(old);
  added.spec.containers.push({ name: 'b', image: 'x', imagePullPolicy: 'Always', terminationMessagePolicy: 'File' });
  assert.deepEqual(validatePodUpdate(added, old).map(String), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

test('status updates may not move a finished container back for Never pods', () => {
  const old = pod({ restartPolicy: 'Never' });
  old.status = { phase: 'Failed', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1 } } }] };
  const next = structuredClone(old);
  next.status!.containerStatuses![0]!.state = { running: {} };
  assert.deepEqual(validatePodStatusUpdate(next, old).map(String), ['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state']);
  const moved = structuredClone(old);
  moved.spec.nodeName = 'node-1';
  assert.deepEqual(validatePodStatusUpdate(moved, old).map(String), ['status.nodeName: Forbidden: may not be changed directly']);
});

test('pod conditions as 1.32 validates them: any status, a custom type must be a qualified name (at metadata.conditions[i].Type), a null is an empty type, not an internal error', () => {
  type Condition = NonNullable<NonNullable<Pod['status']>['conditions']>[number];
  const old = pod({});
  old.status = { phase: 'Pending' };
  const next = structuredClone(old);
  next.status!.conditions = [{ type: 'Ready', status: 'Maybe' } as unknown as Condition, { type: 'example.com/Healthy', status: 'True' }];
  assert.deepEqual(validatePodStatusUpdate(next, old), []);
  next.status!.conditions = [{ type: 'Ready', status: 'True' }, { type: 'not valid!', status: 'True' }, null as unknown as Condition];
  assert.deepEqual(validatePodStatusUpdate(next, old).map(String), [
    'metadata.conditions[1].Type: Invalid value: "not valid!": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
    'metadata.conditions[2].Type: Invalid value: "": name part must be non-empty',
    'metadata.conditions[2].Type: Invalid value: "": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
  ]);
});
