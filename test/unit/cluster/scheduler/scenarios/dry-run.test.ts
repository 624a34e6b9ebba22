import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../../src/cluster/client/client';
import type { Pod } from '../../../../../src/cluster/api/types';
import { readExplanation } from '../../../../../src/cluster/scheduler/explain/annotations';
import { EXPLAIN_PLACEMENT_ANNOTATION, EXPLAIN_PLACEMENT_HEADER } from '../../../../../src/cluster/scheduler/explain-placement';
import { resourcePath } from '../../../../../src/cluster/client/client';
import { pod } from '../fixtures';
import { startHarness } from './harness';

function draft(name: string, cpu: string, annotate: boolean): Pod {
  const p = pod(name, { cpu });
  delete (p.metadata as { uid?: string }).uid;
  delete p.status;
  if (annotate) p.metadata.annotations = { [EXPLAIN_PLACEMENT_ANNOTATION]: 'true' };
  return p;
}

test('a server-side dry-run create that asks for it explains where the pod would go, and stores nothing', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1', { cpu: '2' });
    await h.addNode('node-2', { cpu: '8' });
    // kubectl create --dry-run=server with the annotation in the manifest
    const fits = await h.client.resource<Pod>(PODS).create(draft('what-if', '4', true), { dryRun: true });
    const e = readExplanation(fits.metadata.annotations)!;
    assert.equal(e.latest.outcome, 'Scheduled');
    assert.equal(fits.metadata.annotations?.['scheduler.kube-sim.io/selected-node'], 'node-2');
    assert.equal(fits.spec.nodeName, undefined);
    // the editor asks with a header
    const { object: tooBig } = await h.client.request<Pod>('POST', resourcePath(PODS, 'default'), { query: new URLSearchParams({ dryRun: 'All' }), body: draft('huge', '16', false), headers: { [EXPLAIN_PLACEMENT_HEADER]: 'true' } });
    const e2 = readExplanation(tooBig.metadata.annotations)!;
    assert.equal(e2.latest.outcome, 'Unschedulable');
    assert.equal(e2.latest.message, '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.');
    assert.match(e2.summary, /^Pending: no node has 16 CPUs free; node-2 has 8, node-1 has 2\./);
    // without asking: a plain dry run
    const plain = await h.client.resource<Pod>(PODS).create(draft('plain', '1', false), { dryRun: true });
    assert.equal(plain.metadata.annotations, undefined);
    assert.equal((await h.client.resource<Pod>(PODS).list({ namespace: 'default' })).items.length, 0);
    assert.equal(await h.events('huge').then((ev) => ev.length), 0);
  } finally {
    await h.stop();
  }
});
