/**
 * For tests of informers in process, whose objects are held through handles and collected when
 * nobody else holds them: an API server with a default namespace, a way to make the registry let
 * go of what it decoded, and a full collection.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { ManualClock } from '../../../../src/cluster/clock';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ApiServer } from '../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import { inProcessTransport } from '../../../../src/cluster/apiserver/transport/in-process';
import type { RegistryStore } from '../../../../src/cluster/apiserver/registry/store';
import { ApiClient, CONFIGMAPS, NAMESPACES, type ResourceClient } from '../../../../src/cluster/client/client';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** An in-process API server with the `default` namespace; its configmaps registry and client. */
export async function cluster(): Promise<{ registry: RegistryStore; configmaps: ResourceClient<KubeObject> }> {
  const server = new ApiServer({ kv: new MemoryStore(), clock: new ManualClock(), resources: allResources });
  const client = new ApiClient(inProcessTransport(server), { name: 'system:admin', groups: ['system:masters'] });
  await client.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return { registry: server.parts.registries.core('configmaps'), configmaps: client.resource(CONFIGMAPS) as ResourceClient<KubeObject> };
}

/** Makes the registry let go of every object it decoded so far (more than its strong set of RECENT_OBJECTS decodes). */
export function pushOutRecent(registry: RegistryStore): void {
  for (let i = 0; i < 2100; i++) {
    const name = `filler-${i}`;
    registry.shared({ key: `/registry/configmaps/filler/${name}`, value: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}","namespace":"filler"}}`, createRevision: 1, modRevision: 1, version: 1 });
  }
}

/** A full collection once the current job is over (a WeakRef's target stays alive until then). */
export async function collect(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

/** Waits (event-loop turns, never wall time) until the informer has seen what `condition` asks. */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(condition(), 'the informer saw the change');
}
