/** Resource reads answer in YAML when asked (`Accept: application/yaml`); a 406 names what is produced. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ApiServer } from '../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ManualClock } from '../../../../src/cluster/clock';
import { ADMIN } from '../../../../src/cluster/apiserver/auth/identities';
import type { ApiResponse } from '../../../../src/cluster/apiserver/types';

function get(s: ApiServer, path: string, accept: string): Promise<ApiResponse> {
  return s.handle({ method: 'GET', path, query: new URLSearchParams(), headers: { accept }, user: ADMIN });
}

test('GET and list with Accept: application/yaml answer YAML with sorted keys; protobuf alone is a 406 naming JSON and YAML', async () => {
  const s = new ApiServer({ kv: new MemoryStore(), clock: new ManualClock(), resources: allResources });
  await s.handle({ method: 'POST', path: '/api/v1/namespaces', query: new URLSearchParams(), headers: {}, body: { metadata: { name: 'default' } }, user: ADMIN });
  const created = await s.handle({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', query: new URLSearchParams(), headers: {}, body: { metadata: { name: 'c' }, data: { z: '1', a: 'x' } }, user: ADMIN });
  assert.equal(created.status, 201);

  const one = await get(s, '/api/v1/namespaces/default/configmaps/c', 'application/yaml');
  assert.equal(one.status, 200);
  assert.equal(one.headers['Content-Type'], 'application/yaml');
  const text = one.body as string;
  assert.match(text, /^apiVersion: v1\ndata:\n {2}a: x\n {2}z: "1"\nkind: ConfigMap\nmetadata:\n/);
  assert.equal((parse(text) as { metadata: { name: string } }).metadata.name, 'c');

  const list = await get(s, '/api/v1/namespaces/default/configmaps', 'application/yaml');
  assert.equal(list.headers['Content-Type'], 'application/yaml');
  const parsed = parse(list.body as string) as { kind: string; items: { metadata: { name: string } }[] };
  assert.equal(parsed.kind, 'ConfigMapList');
  assert.deepEqual(parsed.items.map((i) => i.metadata.name), ['c']);
  assert.match(list.body as string, /\nitems:\n- apiVersion: v1\n/);

  assert.equal((await get(s, '/api/v1/namespaces/default/configmaps/c', 'application/vnd.kubernetes.protobuf,application/json')).headers['Content-Type'], 'application/json');
  const refused = await get(s, '/api/v1/namespaces/default/configmaps/c', 'application/vnd.kubernetes.protobuf');
  assert.equal(refused.status, 406);
  assert.equal((refused.body as { message: string }).message, 'only the following media types are accepted: application/json, application/yaml');
});
