/** The HTTPS side of the pipeline keeps stored JSON as text; only dry-run creates are parsed for wrappers to edit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer } from '../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ManualClock } from '../../../../src/cluster/clock';
import { ADMIN } from '../../../../src/cluster/apiserver/auth/identities';
import { RawJson } from '../../../../src/cluster/apiserver/registry/codec';
import { servedTransport } from '../../../../src/cluster/apiserver/transport/served';

test('lists and Tables reach the HTTPS transport as text; a dry-run create as an object', async () => {
  const server = new ApiServer({ kv: new MemoryStore(), clock: new ManualClock(), resources: allResources });
  const served = servedTransport(server);
  const q = (s = '') => new URLSearchParams(s);
  await served({ method: 'POST', path: '/api/v1/namespaces', query: q(), headers: {}, body: { metadata: { name: 'default' } }, user: ADMIN });
  const list = await served({ method: 'GET', path: '/api/v1/namespaces', query: q(), headers: {}, user: ADMIN });
  assert.ok(list.body instanceof RawJson);
  const table = await served({ method: 'GET', path: '/api/v1/namespaces', query: q(), headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' }, user: ADMIN });
  assert.ok(table.body instanceof RawJson);
  const dryRun = await served({ method: 'POST', path: '/api/v1/namespaces', query: q('dryRun=All'), headers: {}, body: { metadata: { name: 'x' } }, user: ADMIN });
  assert.equal(dryRun.status, 201);
  assert.equal((dryRun.body as { metadata: { name: string } }).metadata.name, 'x');
});
