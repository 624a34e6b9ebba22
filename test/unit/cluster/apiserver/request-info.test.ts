/** Request paths split into segments as kube-apiserver's RequestInfoFactory reads them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestInfo, splitPath } from '../../../../src/cluster/apiserver/request-info';

test('path segments: empty ones dropped, escaped ones decoded, a malformed escape refused', () => {
  assert.deepEqual(splitPath('/api/v1/namespaces/default/pods/web'), ['api', 'v1', 'namespaces', 'default', 'pods', 'web']);
  assert.deepEqual(splitPath('//api/v1//pods/'), ['api', 'v1', 'pods']);
  assert.deepEqual(splitPath('/api/v1/namespaces/a%2Fb/configmaps/c%20d'), ['api', 'v1', 'namespaces', 'a/b', 'configmaps', 'c d']);
  assert.equal(splitPath('/api/v1/namespaces/%zz/pods'), undefined);
});

test('a GET of one pod is a resource request with its namespace and name', () => {
  const info = requestInfo('GET', '/api/v1/namespaces/default/pods/web', new URLSearchParams());
  assert.deepEqual([info.isResourceRequest, info.verb, info.apiVersion, info.namespace, info.resource, info.name], [true, 'get', 'v1', 'default', 'pods', 'web']);
});
