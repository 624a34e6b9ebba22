import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeConfig, NodeSpecError, parseNodeSpec } from '../../../../src/cluster/kubelet/node-spec';

test('a node spec names size, zone, labels and taints', () => {
  assert.deepEqual(parseNodeSpec('gpu-1,cpu=8,memory=32Gi,pods=50,zone=eu-west-1a,label=accelerator=nvidia,label=tier=gpu,taint=gpu=true:NoSchedule,taint=dedicated:NoExecute'), {
    name: 'gpu-1',
    cpu: '8',
    memory: '32Gi',
    pods: 50,
    zone: 'eu-west-1a',
    labels: { accelerator: 'nvidia', tier: 'gpu' },
    taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoExecute' }],
  });
  assert.deepEqual(parseNodeSpec('small'), { name: 'small' });
});

test('bad specs say what is wrong, in the API server words where it has them', () => {
  const cases: [string, RegExp][] = [
    ['Big_Node', /^node "Big_Node": a lowercase RFC 1123 subdomain must consist of/],
    ['n1,cpu=lots', /^node "n1": cpu "lots" is not a quantity/],
    ['n1,pods=0', /^node "n1": pods must be a whole number of at least 1$/],
    ['n1,taint=gpu:Sometimes', /^node "n1": taint effect "Sometimes" must be one of NoSchedule, PreferNoSchedule, NoExecute$/],
    ['n1,taint=gpu', /^node "n1": taint "gpu" is not KEY\[=VALUE\]:EFFECT$/],
    ['n1,label=x', /^node "n1": label "x" is not KEY=VALUE$/],
    ['n1,label=bad key=v', /^node "n1": label key "bad key": /],
    ['n1,colour=blue', /^node "n1": unknown field "colour"/],
    ['n1,cpu', /^node "n1": "cpu" is not KEY=VALUE$/],
  ];
  for (const [spec, message] of cases) assert.throws(() => parseNodeSpec(spec), (err: unknown) => err instanceof NodeSpecError && message.test(err.message), spec);
});

test('nodes from settings (JSON) are checked the same way', () => {
  assert.deepEqual(nodeConfig({ name: 'edge-1', cpu: 2, labels: { site: 'lab' }, taints: [{ key: 'edge', effect: 'PreferNoSchedule' }] }), {
    name: 'edge-1', cpu: '2', labels: { site: 'lab' }, taints: [{ key: 'edge', effect: 'PreferNoSchedule' }],
  });
  assert.throws(() => nodeConfig({ name: 'edge-1', memory: '8 GB' }), /memory "8 GB" is not a quantity/);
});
