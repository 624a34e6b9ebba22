import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../../../src/cluster/api/errors';
import { applyMatchLabelKeysToAffinity, defaultImagePullPolicy, defaultPod, initialPodStatus, podQOSClass } from '../../../../../src/cluster/api/defaults/pod';
import type { Pod, PodSpec } from '../../../../../src/cluster/api/types';

const pod = (spec: Partial<PodSpec>): Pod => ({ metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } });

test('a bare pod gets kube-apiserver 1.32 defaults', () => {
  const p = pod({ containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } }] });
  defaultPod(p);
  assert.equal(p.spec.restartPolicy, 'Always');
  assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(p.spec.schedulerName, 'default-scheduler');
  assert.equal(p.spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(p.spec.securityContext, {});
  assert.equal(p.spec.enableServiceLinks, true);
  const c = p.spec.containers[0]!;
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports![0]!.protocol, 'TCP');
  assert.deepEqual(c.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
});

test('the deprecated serviceAccount field mirrors serviceAccountName', () => {
  const old = pod({ serviceAccount: 'builder' });
  defaultPod(old);
  assert.deepEqual([old.spec.serviceAccountName, old.spec.serviceAccount], ['builder', 'builder']);
  const plain = pod({ serviceAccountName: 'runner' });
  defaultPod(plain);
  assert.equal(plain.spec.serviceAccount, 'runner');
});

test('imagePullPolicy: Always for latest or untagged images', () => {
  const cases: [string, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['localhost:5000/nginx', 'Always'],
    ['localhost:5000/nginx:2', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
  ];
  for (const [image, want] of cases) assert.equal(defaultImagePullPolicy(image), want, image);
});

test('requests default from limits and quantities become canonical', () => {
  const p = pod({ containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: '1.5', memory: '1024Mi' }, requests: { cpu: '0.5' } } }] });
  defaultPod(p);
  assert.deepEqual(p.spec.containers[0]!.resources, { limits: { cpu: '1500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
  const bad = pod({ containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: 'lots' } } }] });
  assert.throws(
    () => defaultPod(bad),
    (err: unknown) => err instanceof StatusError && err.code === 400 && /^Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression/.test(err.message),
  );
});

test('volumes without a source get an emptyDir; secret and configMap modes default to 0644', () => {
  const p = pod({ volumes: [{ name: 'scratch' }, { name: 's', secret: { secretName: 'x' } }] });
  defaultPod(p);
  assert.deepEqual(p.spec.volumes, [{ name: 'scratch', emptyDir: {} }, { name: 's', secret: { secretName: 'x', defaultMode: 420 } }]);
});

test('QoS classes', () => {
  const r = (requests?: Record<string, string>, limits?: Record<string, string>) => ({ containers: [{ name: 'a', image: 'x', resources: { requests, limits } }] });
  assert.equal(podQOSClass(r()), 'BestEffort');
  assert.equal(podQOSClass(r({ cpu: '100m' })), 'Burstable');
  assert.equal(podQOSClass(r({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })), 'Guaranteed');
  assert.equal(podQOSClass(r({ cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })), 'Burstable');
});

test('a new pod starts Pending; gated pods say why they wait', () => {
  assert.deepEqual(initialPodStatus(pod({}), '2026-01-01T00:00:00Z'), { phase: 'Pending', qosClass: 'BestEffort' });
  const gated = initialPodStatus(pod({ schedulingGates: [{ name: 'example.com/wait' }] }), '2026-01-01T00:00:00Z');
  assert.deepEqual(gated?.conditions, [
    { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
  ]);
});

test('matchLabelKeys and mismatchLabelKeys become selector requirements from the pod\'s labels', () => {
  const p = pod({
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['pod-template-hash', 'absent'], mismatchLabelKeys: ['tenant'] },
        ],
      },
    },
  });
  p.metadata.labels = { app: 'web', 'pod-template-hash': 'abc', tenant: 't1' };
  applyMatchLabelKeysToAffinity(p);
  const term = (p.spec.affinity as any).podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
  assert.deepEqual(term.labelSelector.matchExpressions, [
    { key: 'pod-template-hash', operator: 'In', values: ['abc'] },
    { key: 'tenant', operator: 'NotIn', values: ['t1'] },
  ]);
});

test('conditions are stored in Go\'s field order, with null for a missing time, whatever order the writer used', () => {
  const p = pod({});
  p.status = {
    conditions: [
      { lastTransitionTime: '2026-01-01T00:00:00Z', status: 'True', type: 'Ready', lastProbeTime: null },
      { type: 'Initialized', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' },
    ],
  } as Pod['status'];
  defaultPod(p);
  assert.deepEqual(p.status!.conditions!.map((c) => Object.keys(c)), [
    ['type', 'status', 'lastProbeTime', 'lastTransitionTime'],
    ['type', 'status', 'lastProbeTime', 'lastTransitionTime'],
    ['type', 'status', 'lastProbeTime', 'lastTransitionTime'],
  ]);
  assert.equal(p.status!.conditions![1].lastProbeTime, null);
});
