/**
 * Service cluster IPs and node ports come from the registry's view of what is in use: two services
 * never share one, even when their names would pick the same address, and `kubernetes` keeps 10.96.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVICES } from '../../../../src/cluster/client/client';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { allocateClusterIP } from '../../../../src/cluster/apiserver/registry/kinds';
import { allocateNodePort } from '../../../../src/cluster/apiserver/registry/kinds/services';
import { startCluster } from './fixture';

const service = (name: string, namespace: string, type = 'NodePort'): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type, selector: { app: name }, ports: [{ port: 80 }] },
});

test('services whose names hash to the same address still get distinct cluster IPs and node ports', async () => {
  const cluster = await startCluster();
  try {
    const services = cluster.client().resource(SERVICES);
    const kubernetes = await services.get('kubernetes', { namespace: 'default' });
    assert.equal((kubernetes.spec as { clusterIP: string }).clusterIP, '10.96.0.1');
    // The same name in two namespaces starts from the same hash in neither: find two that collide.
    const first = service('web', 'default');
    await services.create(first);
    const wanted = allocateClusterIP('default', 'web');
    let other = '';
    for (let i = 0; i < 200000 && !other; i++) if (allocateClusterIP('default', `svc-${i}`) === wanted) other = `svc-${i}`;
    assert.ok(other, 'a colliding name exists');
    const a = await services.get('web', { namespace: 'default' });
    const b = await services.create(service(other, 'default'));
    const ipA = (a.spec as { clusterIP: string }).clusterIP;
    const ipB = (b.spec as { clusterIP: string }).clusterIP;
    assert.equal(ipA, wanted);
    assert.notEqual(ipB, ipA);
    assert.deepEqual((b.spec as { clusterIPs: string[] }).clusterIPs, [ipB]);
    const ports = new Set<number>();
    for (const s of [a, b]) for (const p of (s.spec as { ports: { nodePort: number }[] }).ports) ports.add(p.nodePort);
    assert.equal(ports.size, 2);
    // A node port taken explicitly is not handed out again.
    const taken = allocateNodePort('default', 'api', 0);
    await services.create({ ...service('fixed', 'default'), spec: { type: 'NodePort', ports: [{ port: 80, nodePort: taken }] } });
    const api = await services.create(service('api', 'default'));
    assert.notEqual((api.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort, taken);
  } finally {
    await cluster.stop();
  }
});
