import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Node } from '../../../../../src/cluster/api/types';
import { eventTable } from '../../../../../src/cluster/apiserver/printers/events';
import { namespaceTable } from '../../../../../src/cluster/apiserver/printers/namespaces';
import { nodeTable } from '../../../../../src/cluster/apiserver/printers/nodes';
import { serviceTable } from '../../../../../src/cluster/apiserver/printers/services';
import { configMapTable, leaseTable, priorityClassTable, secretTable, serviceAccountTable } from '../../../../../src/cluster/apiserver/printers/simple-kinds';

const NOW = Date.parse('2026-01-03T00:00:00Z');
const meta = (name: string) => ({ name, creationTimestamp: '2026-01-01T00:00:00Z' });

test('nodes: Ready, NotReady, SchedulingDisabled, roles and wide columns', () => {
  const node: Node = {
    metadata: { ...meta('node-1'), labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Kube Sim', kernelVersion: '6.1', containerRuntimeVersion: 'kube-sim://1.0' },
    },
  };
  assert.deepEqual(nodeTable.cells(node, NOW), ['node-1', 'Ready,SchedulingDisabled', 'control-plane,worker', '2d', 'v1.32.0', '172.18.0.2', '<none>', 'Kube Sim', '6.1', 'kube-sim://1.0']);
  const unknown: Node = { metadata: meta('n'), status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
  assert.deepEqual(nodeTable.cells(unknown, NOW).slice(1, 3), ['NotReady', '<none>']);
  assert.equal(nodeTable.cells({ metadata: meta('n') } as Node, NOW)[1], 'Unknown');
  assert.deepEqual(nodeTable.columns.map((c) => c.name), ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
});

test('events: last seen, object, source and count', () => {
  const ev: KubeObject = {
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled',
    message: 'Successfully pulled image "nginx"\n',
    type: 'Normal',
    firstTimestamp: '2026-01-02T23:50:00Z',
    lastTimestamp: '2026-01-02T23:59:00Z',
    count: 3,
    source: { component: 'kubelet', host: 'node-1' },
  };
  assert.deepEqual(eventTable.cells(ev, NOW), ['60s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{app}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '10m', 3, 'web.1']);
  const series: KubeObject = { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, eventTime: '2026-01-02T23:00:00.000000Z', series: { count: 7, lastObservedTime: '2026-01-02T23:59:50.000000Z' }, reportingComponent: 'default-scheduler' };
  const cells = eventTable.cells(series, NOW);
  assert.deepEqual([cells[0], cells[5], cells[7], cells[8]], ['10s', 'default-scheduler', '60m', 7]);
  assert.deepEqual(eventTable.columns.map((c) => `${c.name}:${c.priority}`), ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1']);
});

test('services: type, cluster IP, external IP and ports', () => {
  const svc: KubeObject = {
    metadata: meta('web'),
    spec: { type: 'NodePort', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { tier: 'fe', app: 'web' } },
  };
  assert.deepEqual(serviceTable.cells(svc, NOW), ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '2d', 'app=web,tier=fe']);
  const lb: KubeObject = { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [] } };
  assert.deepEqual(serviceTable.cells(lb, NOW).slice(2, 5), ['10.96.0.11', '<pending>', '<none>']);
});

test('namespaces, configmaps, secrets, service accounts, leases, priority classes', () => {
  assert.deepEqual(namespaceTable.cells({ metadata: meta('default'), status: { phase: 'Active' } }, NOW), ['default', 'Active', '2d']);
  assert.deepEqual(configMapTable.cells({ metadata: meta('cm'), data: { a: '1' }, binaryData: { b: 'AA==' } }, NOW), ['cm', 2, '2d']);
  assert.deepEqual(secretTable.cells({ metadata: meta('s'), type: 'Opaque', data: { a: 'YQ==' } }, NOW), ['s', 'Opaque', 1, '2d']);
  assert.deepEqual(serviceAccountTable.cells({ metadata: meta('default') }, NOW), ['default', 0, '2d']);
  assert.deepEqual(leaseTable.cells({ metadata: meta('node-1'), spec: { holderIdentity: 'node-1' } }, NOW), ['node-1', 'node-1', '2d']);
  assert.deepEqual(leaseTable.cells({ metadata: meta('x'), spec: {} }, NOW)[1], '<unknown>');
  assert.deepEqual(priorityClassTable.cells({ metadata: meta('high'), value: 1000, globalDefault: false, preemptionPolicy: 'Never' }, NOW), ['high', 1000, false, '2d', 'Never']);
  assert.deepEqual(priorityClassTable.columns.map((c) => `${c.name}:${c.type}`), ['Name:string', 'Value:integer', 'Global-Default:boolean', 'Age:string', 'PreemptionPolicy:string']);
});
