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

test('POSTs to one path share one frozen info, what a parse of the path gives; other verbs are parsed each time', () => {
  const q = new URLSearchParams();
  const first = requestInfo('POST', '/api/v1/namespaces/default/events', q);
  assert.deepEqual({ ...first }, {
    isResourceRequest: true, path: '/api/v1/namespaces/default/events', verb: 'create', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1',
    namespace: 'default', resource: 'events', subresource: '', name: '', parts: ['events'],
  });
  assert.equal(requestInfo('POST', '/api/v1/namespaces/default/events', new URLSearchParams('fieldManager=x')), first);
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.parts));
  assert.equal(requestInfo('POST', '/api/v1/namespaces/other/events', q).namespace, 'other');
  assert.equal(requestInfo('POST', '/api/v1/namespaces/default/pods/web/binding', q).subresource, 'binding');
  const list = requestInfo('GET', '/api/v1/namespaces/default/events', q);
  assert.notEqual(requestInfo('GET', '/api/v1/namespaces/default/events', q), list);
  assert.equal(requestInfo('GET', '/api/v1/namespaces/default/events', new URLSearchParams('watch=true')).verb, 'watch');
  assert.equal(Object.isFrozen(list), false);
});
