import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../../../src/cluster/api/errors';
import type { KubeObject, Pod } from '../../../../../src/cluster/api/types';
import { defaultAdmissionPlugins, runAdmission, taintNodesByCondition } from '../../../../../src/cluster/apiserver/admission';
import { serviceAccountAdmission } from '../../../../../src/cluster/apiserver/admission/service-account';
import type { AdmissionAttributes, AdmissionLookup, AdmissionPlugin } from '../../../../../src/cluster/apiserver/admission';
import { admissionSteps } from '../../../../../src/cluster/apiserver/admission/types';

/** A lookup over a fixed set of objects keyed `group/resource/namespace/name`. */
function lookupOf(objects: Record<string, KubeObject>): AdmissionLookup {
  return {
    async get(group, resource, namespace, name) {
      return objects[`${group}/${resource}/${namespace}/${name}`];
    },
    async list(group, resource) {
      return Object.entries(objects)
        .filter(([k]) => k.startsWith(`${group}/${resource}/`))
        .map(([, v]) => v);
    },
  };
}

const cluster = () =>
  lookupOf({
    '/namespaces//default': { metadata: { name: 'default' }, status: { phase: 'Active' } },
    '/namespaces//dying': { metadata: { name: 'dying' }, status: { phase: 'Terminating' } },
    '/serviceaccounts/default/default': { metadata: { name: 'default', namespace: 'default' } },
    '/serviceaccounts/default/builder': { metadata: { name: 'builder', namespace: 'default' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'regcred' }] },
    'scheduling.k8s.io/priorityclasses//high': { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' },
  });

function createPod(pod: Pod, namespace = 'default'): AdmissionAttributes {
  return {
    operation: 'CREATE', group: '', version: 'v1', kind: 'Pod', resource: 'pods', subresource: '', namespace, name: pod.metadata.name ?? '',
    object: pod, user: { name: 'admin', groups: [] }, dryRun: false, now: 0,
  };
}

const newPod = (spec: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } });
const fixedRandom = () => 0;
const plugins = () => defaultAdmissionPlugins({ random: fixedRandom });

/** `p`: a chain's or a plugin's answer (a plugin with nothing to do returns none). */
async function rejection(p: Promise<void> | void): Promise<{ code: number; message: string; status: StatusError['status'] }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StatusError);
    return { code: err.code, message: err.message, status: err.status };
  }
  assert.fail('expected a rejection');
}

test('a default pod gets its service account, token volume, priority and tolerations', async () => {
  const pod = newPod();
  await runAdmission(plugins(), 'admit', createPod(pod), cluster());
  assert.equal(pod.spec.serviceAccountName, 'default');
  assert.equal(pod.spec.serviceAccount, 'default');
  assert.deepEqual(pod.spec.volumes, [
    {
      name: 'kube-api-access-bbbbb',
      projected: {
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
        defaultMode: 420,
      },
    },
  ]);
  assert.deepEqual(pod.spec.containers[0]!.volumeMounts, [{ name: 'kube-api-access-bbbbb', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  assert.equal(pod.spec.priority, 0);
  assert.equal(pod.spec.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(pod.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('a pod that tolerates everything gets no default tolerations', async () => {
  const pod = newPod({ tolerations: [{ operator: 'Exists' }] });
  await runAdmission(plugins(), 'admit', createPod(pod), cluster());
  assert.deepEqual(pod.spec.tolerations, [{ operator: 'Exists' }]);
});

test('automount off: no volume, but the account\'s pull secrets', async () => {
  const pod = newPod({ serviceAccountName: 'builder' });
  await runAdmission(plugins(), 'admit', createPod(pod), cluster());
  assert.equal(pod.spec.volumes, undefined);
  assert.deepEqual(pod.spec.imagePullSecrets, [{ name: 'regcred' }]);
});

test('rejections use kube-apiserver\'s codes and words', async () => {
  const missingNs = await rejection(runAdmission(plugins(), 'admit', createPod(newPod(), 'nope'), cluster()));
  assert.deepEqual([missingNs.code, missingNs.message], [404, 'namespaces "nope" not found']);

  const dying = await rejection(runAdmission(plugins(), 'admit', createPod(newPod(), 'dying'), cluster()));
  assert.deepEqual([dying.code, dying.message], [403, 'pods "web" is forbidden: unable to create new content in namespace dying because it is being terminated']);
  assert.equal(dying.status.details?.causes?.[0]?.reason, 'NamespaceTerminating');

  const noSa = await rejection(runAdmission(plugins(), 'admit', createPod(newPod({ serviceAccountName: 'ghost' })), cluster()));
  assert.deepEqual([noSa.code, noSa.message], [403, 'pods "web" is forbidden: error looking up service account default/ghost: serviceaccount "ghost" not found']);

  const noClass = await rejection(runAdmission(plugins(), 'admit', createPod(newPod({ priorityClassName: 'urgent' })), cluster()));
  assert.deepEqual([noClass.code, noClass.message], [403, 'pods "web" is forbidden: no PriorityClass with name urgent was found']);

  const wrongPriority = await rejection(runAdmission(plugins(), 'admit', createPod(newPod({ priorityClassName: 'high', priority: 5 })), cluster()));
  assert.equal(
    wrongPriority.message,
    'pods "web" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name',
  );

  const immortal: AdmissionAttributes = { ...createPod(newPod()), operation: 'DELETE', resource: 'namespaces', kind: 'Namespace', namespace: '', name: 'kube-system', object: undefined };
  const del = await rejection(runAdmission(plugins(), 'admit', immortal, cluster()));
  assert.deepEqual([del.code, del.message], [403, 'namespaces "kube-system" is forbidden: this namespace may not be deleted']);
});

test('a priority class sets priority and preemption policy', async () => {
  const pod = newPod({ priorityClassName: 'high' });
  await runAdmission(plugins(), 'admit', createPod(pod), cluster());
  assert.equal(pod.spec.priority, 1000);
  assert.equal(pod.spec.preemptionPolicy, 'Never');
});

test('the global default class applies to pods without a class, and only one may exist', async () => {
  const lookup = lookupOf({
    '/namespaces//default': { metadata: { name: 'default' } },
    '/serviceaccounts/default/default': { metadata: { name: 'default' } },
    'scheduling.k8s.io/priorityclasses//normal': { metadata: { name: 'normal' }, value: 100, globalDefault: true },
  });
  const pod = newPod();
  await runAdmission(plugins(), 'admit', createPod(pod), lookup);
  assert.deepEqual([pod.spec.priorityClassName, pod.spec.priority], ['normal', 100]);
  const second: AdmissionAttributes = {
    ...createPod(newPod()), group: 'scheduling.k8s.io', resource: 'priorityclasses', kind: 'PriorityClass', namespace: '', name: 'other',
    object: { metadata: { name: 'other' }, value: 5, globalDefault: true },
  };
  const err = await rejection(runAdmission(plugins(), 'validate', second, lookup));
  assert.equal(err.message, 'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass normal is already marked as default. Only one default can exist');
});

test('an update that leaves out priority keeps the one admission set', async () => {
  const old = newPod({ priority: 1000, preemptionPolicy: 'Never' });
  const pod = newPod();
  await runAdmission(plugins(), 'admit', { ...createPod(pod), operation: 'UPDATE', oldObject: old }, cluster());
  assert.deepEqual([pod.spec.priority, pod.spec.preemptionPolicy], [1000, 'Never']);
});

test('subresources and updates are left alone', async () => {
  const pod = newPod();
  const attrs = { ...createPod(pod), subresource: 'status', operation: 'UPDATE' as const };
  await runAdmission(plugins(), 'admit', attrs, cluster());
  assert.equal(pod.spec.serviceAccountName, undefined);
  assert.equal(pod.spec.tolerations, undefined);
});

test('TaintNodesByCondition marks new nodes not-ready', async () => {
  const node: KubeObject = { metadata: { name: 'node-1' } };
  await taintNodesByCondition.admit!({ ...createPod(newPod()), resource: 'nodes', kind: 'Node', namespace: '', name: 'node-1', object: node }, cluster());
  assert.deepEqual(node.spec, { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] });
});

test('the default service account of a namespace created a moment ago is waited for, as kube-apiserver retries it', async () => {
  const objects: Record<string, KubeObject> = { '/namespaces//fresh': { metadata: { name: 'fresh' }, status: { phase: 'Active' } } };
  const lookup = lookupOf(objects);
  const waits: number[] = [];
  // The service account controller creates `default` while admission waits for its third look.
  const wait = async (attempt: number) => {
    waits.push(attempt);
    if (attempt === 2) objects['/serviceaccounts/fresh/default'] = { metadata: { name: 'default', namespace: 'fresh' } };
  };
  const pod = newPod();
  pod.metadata.namespace = 'fresh';
  await serviceAccountAdmission(fixedRandom, wait).admit!(createPod(pod, 'fresh'), lookup);
  assert.deepEqual(waits, [1, 2]);
  assert.equal(pod.spec.serviceAccountName, 'default');

  // It gives up after ten looks, and a named service account is looked up once.
  waits.length = 0;
  const gone = newPod();
  gone.metadata.namespace = 'empty';
  const none = await rejection(serviceAccountAdmission(fixedRandom, async (attempt) => { waits.push(attempt); }).admit!(createPod(gone, 'empty'), lookupOf({})));
  assert.equal(none.message, 'pods "web" is forbidden: error looking up service account empty/default: serviceaccount "default" not found');
  assert.equal(waits.length, 9);
  waits.length = 0;
  await rejection(serviceAccountAdmission(fixedRandom, async (attempt) => { waits.push(attempt); }).admit!(createPod(newPod({ serviceAccountName: 'ghost' })), cluster()));
  assert.equal(waits.length, 0);
});

test('a write no plugin has work for passes the default chain without a promise; one a plugin works on gets one', async () => {
  const statusWrite: AdmissionAttributes = { ...createPod(newPod()), operation: 'UPDATE', subresource: 'status', oldObject: newPod() };
  assert.equal(admissionSteps(plugins(), 'admit', statusWrite, cluster()), undefined);
  assert.equal(admissionSteps(plugins(), 'validate', statusWrite, cluster()), undefined);
  const deletion: AdmissionAttributes = { ...createPod(newPod()), operation: 'DELETE', object: undefined, oldObject: newPod() };
  assert.equal(admissionSteps(plugins(), 'admit', deletion, cluster()), undefined);
  const pod = newPod();
  const pending = admissionSteps(plugins(), 'admit', createPod(pod), cluster());
  assert.ok(pending instanceof Promise);
  await pending;
  assert.equal(pod.spec.serviceAccountName, 'default');
  assert.equal(pod.spec.priority, 0);
});

test('the chain runs plugins in order, each after the one before it settled, and stops at the first rejection', async () => {
  const log: string[] = [];
  const sync = (name: string): AdmissionPlugin => ({ name, admit: () => void log.push(name) });
  const later = (name: string): AdmissionPlugin => ({ name, admit: async () => { await Promise.resolve(); await Promise.resolve(); log.push(name); } });
  const chain = [sync('a'), later('b'), sync('c'), later('d'), sync('e')];
  await admissionSteps(chain, 'admit', createPod(newPod()), cluster());
  assert.deepEqual(log, ['a', 'b', 'c', 'd', 'e']);
  log.length = 0;
  const refusing: AdmissionPlugin = { name: 'no', admit: async () => { throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'no', reason: 'Forbidden', code: 403 }); } };
  const refused = await rejection(runAdmission([sync('a'), refusing, sync('c')], 'admit', createPod(newPod()), cluster()));
  assert.equal(refused.code, 403);
  assert.deepEqual(log, ['a']);
  // A plugin refusing synchronously rejects runAdmission's promise too.
  const throwing: AdmissionPlugin = { name: 'throws', admit: () => { throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'no', reason: 'Forbidden', code: 403 }); } };
  assert.equal((await rejection(runAdmission([throwing, sync('c')], 'admit', createPod(newPod()), cluster()))).code, 403);
  assert.deepEqual(log, ['a']);
});

test('deleting an immortal namespace is still refused with 403', async () => {
  const attrs: AdmissionAttributes = { ...createPod(newPod()), operation: 'DELETE', resource: 'namespaces', kind: 'Namespace', namespace: '', name: 'default', object: undefined };
  const refused = await rejection(runAdmission(plugins(), 'admit', attrs, cluster()));
  assert.equal(refused.code, 403);
  assert.match(refused.message, /this namespace may not be deleted/);
});
