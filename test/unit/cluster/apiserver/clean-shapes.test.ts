/**
 * Creates alike to one the decode walk found clean skip the walk (clean-shapes.ts): whatever the
 * body, validateFields answers with the memory as it does without it (warnings, pruning, the 400s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { events } from '../../../../src/cluster/apiserver/registry/kinds/events';
import { pods } from '../../../../src/cluster/apiserver/registry/kinds/pods';
import { validateFields, type FieldValidation } from '../../../../src/cluster/apiserver/field-validation';
import { CleanShapes } from '../../../../src/cluster/apiserver/clean-shapes';
import type { ResourceDefinition } from '../../../../src/cluster/apiserver/registry/resource';

function event(): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.18867251edfa0001', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled', message: 'Successfully pulled image', source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', count: 1, type: 'Normal',
    eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'node-1',
  } as KubeObject;
}

function pod(): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { terminationGracePeriodSeconds: 30, nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: 1024 } } }] },
  } as KubeObject;
}

/** Bodies alike to the exemplar but for values, and bodies that differ where the walk looks: each changes a fresh exemplar. */
const eventChanges: [string, (e: any) => void][] = [
  ['another name and message', (e) => { e.metadata.name = 'db.1'; e.message = 'Started container db'; }],
  ['a count of 7', (e) => { e.count = 7; }],
  ['a fractional count', (e) => { e.count = 1.5; }],
  ['a count past int32', (e) => { e.count = 2 ** 31; }],
  ['a negative count', (e) => { e.count = -3; }],
  ['a count as text', (e) => { e.count = '1'; }],
  ['a null count', (e) => { e.count = null; }],
  ['a reason as a number', (e) => { e.reason = 5; }],
  ['a time as a number', (e) => { e.firstTimestamp = 5; }],
  ['an unknown member', (e) => { e.bogus = true; }],
  ['an unknown member inside', (e) => { e.source.extra = 'x'; }],
  ['a source as a list', (e) => { e.source = ['kubelet']; }],
  ['a member fewer', (e) => { delete e.type; }],
  ['members in another order', (e) => { const { type, ...rest } = e; for (const k of Object.keys(e)) delete e[k]; Object.assign(e, { type }, rest); }],
  ['labels', (e) => { e.metadata.labels = { a: 'b' }; }],
  ['a label value as a number', (e) => { e.metadata.labels = { a: 1 }; }],
];

const podChanges: [string, (p: any) => void][] = [
  ['another port', (p) => { p.spec.containers[0].ports[0].containerPort = 8080; }],
  ['a port past int32', (p) => { p.spec.containers[0].ports[0].containerPort = 2 ** 40; }],
  ['a fractional grace period', (p) => { p.spec.terminationGracePeriodSeconds = 0.5; }],
  ['a grace period past int32 (int64)', (p) => { p.spec.terminationGracePeriodSeconds = 2 ** 40; }],
  ['a fractional memory quantity', (p) => { p.spec.containers[0].resources.limits.memory = 1.5; }],
  ['a memory quantity as a boolean', (p) => { p.spec.containers[0].resources.limits.memory = true; }],
  ['a second container', (p) => { p.spec.containers.push({ name: 'side', image: 'busybox' }); }],
  ['a container with an unknown member', (p) => { p.spec.containers[0].bogus = 1; }],
  ['another label key', (p) => { p.metadata.labels = { tier: 'web' }; }],
];

/** What validateFields does to a body: its warnings and what is left of it, or the 400's message. */
function outcome(def: ResourceDefinition, body: KubeObject, mode: FieldValidation, shapes?: CleanShapes): unknown {
  try {
    const warnings = validateFields(def, body, mode, undefined, shapes);
    return { warnings, body: JSON.stringify(body) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

for (const [def, exemplar, changes] of [[events, event, eventChanges], [pods, pod, podChanges]] as const) {
  test(`${def.kind}: with a clean ${def.kind} remembered, every body gets what the walk alone gives it`, () => {
    for (const mode of ['Warn', 'Strict', 'Ignore'] as FieldValidation[]) {
      for (const [what, change] of changes) {
        const shapes = new CleanShapes();
        assert.deepEqual(outcome(def, exemplar(), mode, shapes), { warnings: [], body: JSON.stringify(exemplar()) });
        const body = exemplar();
        change(body);
        const plain = structuredClone(body);
        assert.deepEqual(outcome(def, body, mode, shapes), outcome(def, plain, mode), `${what} (${mode})`);
      }
    }
  });
}

test('a body alike to a clean one is found; one differing where the walk looks is not', () => {
  const shapes = new CleanShapes();
  assert.deepEqual(validateFields(events, event(), 'Warn', undefined, shapes), []);
  const alike = event();
  alike.metadata.name = 'db.2';
  (alike as any).count = 12;
  assert.equal(shapes.has(events, alike), true);
  assert.equal(shapes.has(pods, alike), false, 'remembered by resource');
  const fractional = event();
  (fractional as any).count = 2.5;
  assert.equal(shapes.has(events, fractional), false);
  const unknown = event();
  (unknown as any).bogus = 1;
  assert.equal(shapes.has(events, unknown), false);
});
