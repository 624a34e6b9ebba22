import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kebabCase, referenceUrl } from '../../../src/schema/reference-url';

const base = 'https://kubernetes.io/docs/reference/kubernetes-api/';
const pod = { group: '', version: 'v1', kind: 'Pod' };

test('a kind links to its page in the API reference', () => {
  assert.equal(referenceUrl(pod), `${base}workload-resources/pod-v1/#Pod`);
  assert.equal(referenceUrl({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }), `${base}cluster-resources/lease-v1/#Lease`);
  assert.equal(referenceUrl({ group: 'example.com', version: 'v1', kind: 'Widget' }), undefined);
});

test('a field links to the section of the type that declares it', () => {
  assert.equal(referenceUrl(pod, 'spec.containers'), `${base}workload-resources/pod-v1/#PodSpec`);
  assert.equal(referenceUrl(pod, ['spec', 'containers', 0, 'image']), `${base}workload-resources/pod-v1/#Container`);
  assert.equal(referenceUrl(pod, 'metadata.labels'), `${base}common-definitions/object-meta/#ObjectMeta`);
  const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };
  assert.equal(referenceUrl(deployment, 'spec.replicas'), `${base}workload-resources/deployment-v1/#DeploymentSpec`);
  assert.equal(referenceUrl(deployment, 'spec.template.spec.nodeName'), `${base}workload-resources/pod-v1/#PodSpec`);
});

test('page names are the kind in kebab case', () => {
  assert.equal(kebabCase('HorizontalPodAutoscaler'), 'horizontal-pod-autoscaler');
  assert.equal(kebabCase('CSIDriver'), 'csi-driver');
  assert.equal(kebabCase('APIService'), 'api-service');
  assert.equal(kebabCase('IPAddress'), 'ip-address');
});
