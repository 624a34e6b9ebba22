/** What a new cluster holds before anyone writes, as on a real 1.32 cluster. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIGMAPS, NAMESPACES, SERVICES, type GroupVersionResource } from '../../../../src/cluster/client/client';
import { startCluster } from './fixture';

const PRIORITY_CLASSES: GroupVersionResource = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };

test('the built-in PriorityClasses exist: system-cluster-critical and system-node-critical', async () => {
  const cluster = await startCluster();
  try {
    const list = await cluster.client().resource(PRIORITY_CLASSES).list();
    assert.deepEqual(list.items.map((pc) => [pc.metadata.name, pc.value, pc.preemptionPolicy]), [
      ['system-cluster-critical', 2000000000, 'PreemptLowerPriority'],
      ['system-node-critical', 2000001000, 'PreemptLowerPriority'],
    ]);
  } finally {
    await cluster.stop();
  }
});

test("what kube-apiserver seeds is kube-apiserver's in managedFields (its loopback client's User-Agent); what the controllers write, kube-controller-manager's", async () => {
  const cluster = await startCluster();
  try {
    const entries = (o: { metadata: { managedFields?: unknown[] } }) => (o.metadata.managedFields as Array<Record<string, unknown>>).map(({ time: _time, ...e }) => e);
    const defaultNamespace = await cluster.client().resource(NAMESPACES).get('default');
    assert.deepEqual(entries(defaultNamespace), [{
      manager: 'kube-apiserver', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:kubernetes.io/metadata.name': {} } } },
    }]);
    const kubernetes = await cluster.client().resource(SERVICES).get('kubernetes', { namespace: 'default' });
    assert.deepEqual(entries(kubernetes).map((e) => e.manager), ['kube-apiserver']);
    // The root CA publisher's ConfigMap.
    const rootCA = await cluster.client().resource(CONFIGMAPS).get('kube-root-ca.crt', { namespace: 'default' });
    assert.deepEqual(entries(rootCA).map((e) => e.manager), ['kube-controller-manager']);
  } finally {
    await cluster.stop();
  }
});
