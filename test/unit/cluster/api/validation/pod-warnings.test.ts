import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodSpec } from '../../../../../src/cluster/api/types';
import { podWarningsOnCreate } from '../../../../../src/cluster/api/validation/pod-warnings';

const pod = (spec: Partial<PodSpec>, name = 'web'): Pod => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } as PodSpec });

test('a plain pod has no warnings', () => {
  assert.deepEqual(podWarningsOnCreate(pod({})), []);
});

test('warnings read as kube-apiserver 1.32 writes them', () => {
  const cases: [string, Pod, string[]][] = [
    ['dotted name', pod({}, 'web.v1'), ["metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]"]],
    [
      'duplicate ports across containers',
      pod({ containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'b', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP' }] }] }),
      ['spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]'],
    ],
    ['deprecated node label', pod({ nodeSelector: { 'beta.kubernetes.io/os': 'linux' } }), ['spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use "kubernetes.io/os" instead']],
    [
      'fractional memory',
      pod({ containers: [{ name: 'a', image: 'x', resources: { requests: { memory: '1.5' } } }] }),
      ['spec.containers[0].resources.requests[memory]: fractional byte value "1500m" is invalid, must be an integer'],
    ],
    [
      'env hidden by a later definition',
      pod({ containers: [{ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] }] }),
      ['spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply'],
    ],
    ['negative grace period', pod({ terminationGracePeriodSeconds: -1 }), ['spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1']],
    ['gitRepo volume', pod({ volumes: [{ name: 'src', gitRepo: { repository: 'x' } }] }), ['spec.volumes[0].gitRepo: deprecated in v1.11']],
    [
      'topology spread without a selector',
      pod({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }),
      ['spec.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod'],
    ],
  ];
  for (const [name, p, want] of cases) assert.deepEqual(podWarningsOnCreate(p), want, name);
});
