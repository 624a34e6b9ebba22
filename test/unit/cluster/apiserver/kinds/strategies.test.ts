import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../../../src/cluster/api/errors';
import type { KubeObject, Pod } from '../../../../../src/cluster/api/types';
import type { ResourceDefinition, StrategyContext } from '../../../../../src/cluster/apiserver/registry/resource';
import { allResources, bindPod } from '../../../../../src/cluster/apiserver/registry/kinds';
import { illegalBase64At } from '../../../../../src/cluster/apiserver/registry/kinds/secrets';

const ctx = (subresource = ''): StrategyContext => ({ now: Date.parse('2026-01-01T00:00:00.500Z'), user: { name: 'admin', groups: [] }, subresource });
const def = (resource: string, group = ''): ResourceDefinition => allResources.find((r) => r.resource === resource && r.group === group)!;

function create(resource: string, object: KubeObject, group = ''): string[] {
  const d = def(resource, group);
  d.strategy.prepareForCreate(object, ctx());
  return d.strategy.validate(object, ctx()).map(String);
}

function update(resource: string, object: KubeObject, old: KubeObject, subresource = '', group = ''): string[] {
  const d = def(resource, group);
  d.strategy.prepareForUpdate(object, old, ctx(subresource));
  return d.strategy.validateUpdate(object, old, ctx(subresource)).map(String);
}

const podObject = (): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });

test('pods: create drops client status, defaults the spec and starts Pending', () => {
  const pod = podObject();
  pod.status = { phase: 'Running' };
  assert.deepEqual(create('pods', pod), []);
  assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal(pod.spec.restartPolicy, 'Always');
  const bad = podObject();
  bad.spec.containers[0]!.image = '';
  assert.deepEqual(create('pods', bad), ['spec.containers[0].image: Required value']);
  const noName = podObject();
  noName.metadata.name = 'Web';
  assert.match(create('pods', noName)[0]!, /^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/);
});

test('pods: the main resource keeps status, pods/status keeps spec', () => {
  const old = podObject();
  create('pods', old);
  old.metadata.resourceVersion = '5';
  const viaMain = structuredClone(old);
  viaMain.status = { phase: 'Succeeded' };
  viaMain.spec.containers[0]!.image = 'nginx:2';
  assert.deepEqual(update('pods', viaMain, old), []);
  assert.equal(viaMain.status?.phase, 'Pending');
  assert.equal(viaMain.spec.containers[0]!.image, 'nginx:2');
  const viaStatus = structuredClone(old);
  viaStatus.status = { phase: 'Running' };
  viaStatus.spec.nodeName = 'node-9';
  assert.deepEqual(update('pods', viaStatus, old, 'status'), []);
  assert.deepEqual([viaStatus.status.phase, viaStatus.status.qosClass, viaStatus.spec.nodeName], ['Running', 'BestEffort', undefined]);
  const qos = structuredClone(old);
  qos.status = { phase: 'Running', qosClass: 'Guaranteed' };
  assert.deepEqual(update('pods', qos, old, 'status'), ['status.qosClass: Invalid value: "Guaranteed": field is immutable']);
  const unconditional = structuredClone(old);
  delete unconditional.metadata.resourceVersion;
  assert.deepEqual(update('pods', unconditional, old), []);
});

test('pods/ephemeralcontainers adds debug containers and nothing else', () => {
  const old = podObject();
  create('pods', old);
  old.metadata.resourceVersion = '5';
  const next = structuredClone(old);
  next.spec.ephemeralContainers = [{ name: 'debugger', image: 'busybox', targetContainerName: 'app' }];
  next.spec.nodeName = 'sneaky';
  assert.deepEqual(update('pods', next, old, 'ephemeralcontainers'), []);
  assert.equal(next.spec.nodeName, undefined);
  const clash = structuredClone(old);
  clash.spec.ephemeralContainers = [{ name: 'app', image: 'busybox', ports: [{ containerPort: 80 }] }];
  assert.deepEqual(update('pods', clash, old, 'ephemeralcontainers'), [
    'spec.ephemeralContainers[0].name: Duplicate value: "app"',
    'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
  ]);
});

test('bindings: bind once, with kube-apiserver\'s conflicts', () => {
  const pod = podObject();
  create('pods', pod);
  pod.metadata.uid = 'u1';
  const binding = { metadata: { name: 'web', uid: 'u1' }, target: { kind: 'Node', name: 'node-1' } };
  const bound = bindPod(pod, binding, '2026-01-01T00:00:01Z');
  assert.equal(bound.spec.nodeName, 'node-1');
  assert.deepEqual(bound.status?.conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:01Z' }]);
  assert.throws(() => bindPod(bound, binding, 'now'), (e: unknown) => e instanceof StatusError && e.code === 409 && e.message === 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"');
  assert.throws(() => bindPod({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: 'x' } }, binding, 'now'), { message: 'Operation cannot be fulfilled on pods/binding "web": pod web is being deleted, cannot be assigned to a host' });
  assert.throws(() => bindPod(pod, { metadata: { name: 'web' }, target: { kind: 'Pod', name: 'x' } }, 'now'), { message: 'Binding "web" is invalid: target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"' });
});

test('bindings: the pod is left as it was unless the caller owns it', () => {
  const pod = podObject();
  create('pods', pod);
  const binding = { metadata: { name: 'web' }, target: { kind: 'Node', name: 'node-1' } };
  const kept = bindPod(pod, binding, 'now');
  assert.notEqual(kept, pod);
  assert.equal(pod.spec.nodeName, undefined);
  const owned = bindPod(pod, binding, 'now', true);
  assert.equal(owned, pod);
  assert.equal(pod.spec.nodeName, 'node-1');
});

test('namespaces: Active, the kubernetes finalizer and the name label', () => {
  const ns: KubeObject = { metadata: { name: 'team-a' } };
  assert.deepEqual(create('namespaces', ns), []);
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.match(create('namespaces', { metadata: { name: 'a.b' } })[0]!, /^metadata\.name: Invalid value: "a\.b": must not contain dots$/);
});

test('secrets: stringData folds into data, bad base64 is a 400, type defaults and is immutable', () => {
  const s: KubeObject = { metadata: { name: 's', namespace: 'default' }, stringData: { user: 'admin' }, data: { a: 'YQ==' } };
  assert.deepEqual(create('secrets', s), []);
  assert.deepEqual([s.data, s.stringData, s.type], [{ a: 'YQ==', user: 'YWRtaW4=' }, undefined, 'Opaque']);
  assert.throws(
    () => create('secrets', { metadata: { name: 's', namespace: 'default' }, data: { a: 'not base64!' } }),
    (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
  );
  const old = { ...structuredClone(s), metadata: { ...s.metadata, resourceVersion: '1' } };
  assert.deepEqual(update('secrets', { ...structuredClone(old), type: 'kubernetes.io/tls' }, old), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
  assert.deepEqual([illegalBase64At('YQ=='), illegalBase64At('YQ'), illegalBase64At('YQ=x'), illegalBase64At('YWJj\nZA==')], [-1, 0, 2, -1]);
});

test('secrets: the well-known types need their keys', () => {
  const secret = (type: string, data: Record<string, string> = {}) => ({ metadata: { name: 's', namespace: 'd' }, type, data });
  assert.deepEqual(create('secrets', secret('kubernetes.io/tls', { 'tls.crt': 'eA==' })), ['data[tls.key]: Required value']);
  assert.deepEqual(create('secrets', secret('kubernetes.io/dockerconfigjson')), ['data[.dockerconfigjson]: Required value']);
  assert.deepEqual(create('secrets', secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': Buffer.from('nope').toString('base64') })), [
    'data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character \'n\' looking for beginning of value',
  ]);
  assert.deepEqual(create('secrets', secret('kubernetes.io/basic-auth')), ['data[username]: Required value', 'data[password]: Required value']);
  assert.deepEqual(create('secrets', secret('kubernetes.io/service-account-token')), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
});

test('configmaps: keys, and immutable data', () => {
  assert.match(create('configmaps', { metadata: { name: 'c', namespace: 'd' }, data: { 'bad/key': 'x' } })[0]!, /^data\[bad\/key\]: Invalid value: "bad\/key": a valid config key/);
  const old: KubeObject = { metadata: { name: 'c', namespace: 'd', resourceVersion: '1' }, data: { a: '1' }, immutable: true };
  assert.deepEqual(update('configmaps', { ...structuredClone(old), data: { a: '2' } }, old), ['data: Forbidden: field is immutable when `immutable` is set']);
});

test('services: ClusterIP by default, an address in 10.96.0.0/12, TCP ports targeting themselves', () => {
  const svc: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  assert.deepEqual(create('services', svc), []);
  const spec = svc.spec as Record<string, unknown>;
  assert.equal(spec.type, 'ClusterIP');
  assert.equal(spec.sessionAffinity, 'None');
  assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.match(String(spec.clusterIP), /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual([spec.ipFamilies, spec.ipFamilyPolicy, spec.internalTrafficPolicy], [['IPv4'], 'SingleStack', 'Cluster']);
  const np: KubeObject = { metadata: { name: 'np', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
  create('services', np);
  const nodePort = ((np.spec as { ports: { nodePort: number }[] }).ports[0]!).nodePort;
  assert.ok(nodePort >= 30000 && nodePort <= 32767);
  assert.match(create('services', { metadata: { name: '1web', namespace: 'd' }, spec: { ports: [{ port: 80 }] } })[0]!, /^metadata\.name: Invalid value: "1web": a DNS-1035 label/);
  const old = { ...structuredClone(svc), metadata: { ...svc.metadata, resourceVersion: '3' } };
  assert.deepEqual(update('services', { ...structuredClone(old), spec: { ...spec, clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] } }, old), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']);
});

test('priority classes: reserved names, value limits, immutable value', () => {
  assert.deepEqual(create('priorityclasses', { metadata: { name: 'high' }, value: 1000 }, 'scheduling.k8s.io'), []);
  assert.deepEqual(create('priorityclasses', { metadata: { name: 'system-mine' }, value: 1 }, 'scheduling.k8s.io'), ["metadata.name: Forbidden: priority class names with 'system-' prefix are reserved"]);
  assert.deepEqual(create('priorityclasses', { metadata: { name: 'huge' }, value: 2e9 }, 'scheduling.k8s.io'), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  const old: KubeObject = { metadata: { name: 'high', resourceVersion: '1' }, value: 1000, preemptionPolicy: 'PreemptLowerPriority' };
  assert.deepEqual(update('priorityclasses', { ...structuredClone(old), value: 5 }, old, '', 'scheduling.k8s.io'), ['Value: Forbidden: may not be changed in an update.']);
});

test('nodes: registration keeps status; taints are checked', () => {
  const node: KubeObject = { metadata: { name: 'node-1' }, status: { capacity: { cpu: '4' } }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } };
  assert.deepEqual(create('nodes', node), ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  assert.deepEqual(node.status, { capacity: { cpu: '4' }, allocatable: { cpu: '4' } });
  const old: KubeObject = { metadata: { name: 'node-1', resourceVersion: '2' }, spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }, status: { phase: 'x' } };
  const moved = { ...structuredClone(old), spec: { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'], unschedulable: true } };
  assert.deepEqual(update('nodes', moved, old), ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
  const cordon = { ...structuredClone(old), spec: { ...(old.spec as object), unschedulable: true }, status: { phase: 'changed' } };
  assert.deepEqual(update('nodes', cordon, old), []);
  assert.deepEqual(cordon.status, { phase: 'x' });
  const dup: KubeObject = { metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', value: 'b', effect: 'NoSchedule' }] } };
  assert.deepEqual(create('nodes', dup), ['spec.taints[1]: Duplicate value: {"key":"a","value":"b","effect":"NoSchedule"}: taints must be unique by key and effect pair']);
});

test('events: namespace must match the involved object; events.k8s.io requires the new fields', () => {
  assert.deepEqual(create('events', { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } }), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
  assert.deepEqual(create('events', { metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'node-1' } }), []);
  assert.deepEqual(create('events', { metadata: { name: 'e', namespace: 'default' }, regarding: { kind: 'Pod', namespace: 'default', name: 'p' } }, 'events.k8s.io'), [
    'eventTime: Required value',
    'type: Invalid value: "": has invalid value: ',
  ]);
  const v1 = { metadata: { name: 'e', namespace: 'default' }, regarding: { kind: 'Pod', namespace: 'default', name: 'p' }, eventTime: '2026-01-01T00:00:00.000000Z', type: 'Normal' };
  assert.deepEqual(create('events', structuredClone(v1), 'events.k8s.io').filter((e) => !e.includes('Invalid value: "": name part')), [
    'reportingController: Required value',
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
  const complete = { ...structuredClone(v1), reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-kube-sim', action: 'Binding', reason: 'Scheduled', note: 'Successfully assigned default/p to node-1' };
  assert.deepEqual(create('events', complete, 'events.k8s.io'), []);
  const old = { ...structuredClone(complete), metadata: { ...complete.metadata, resourceVersion: '1' } };
  assert.deepEqual(update('events', { ...structuredClone(old), note: 'changed' }, old, '', 'events.k8s.io'), ['message: Invalid value: "changed": field is immutable']);
});

test('leases: durations must be positive', () => {
  assert.deepEqual(create('leases', { metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 0 } }, 'coordination.k8s.io'), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
});
