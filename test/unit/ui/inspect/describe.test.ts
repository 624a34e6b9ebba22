import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../../src/cluster/api/types';
import { describePod, eventsTable } from '../../../../src/ui/inspect/describe';

const NOW = Date.parse('2026-01-01T00:01:00Z');

const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] },
  status: {
    phase: 'Running', hostIP: '172.18.0.2', podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }], qosClass: 'Burstable', startTime: '2026-01-01T00:00:01Z',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'nginx', image: 'nginx:1.27', imageID: 'docker.io/library/nginx@sha256:1', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:05Z' } } }],
  },
};

test("describe pod follows kubectl's layout: aligned fields, containers, conditions, QoS, events", () => {
  const text = describePod(pod, [{ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to node-1', lastTimestamp: '2026-01-01T00:00:00Z', source: { component: 'default-scheduler' } }], NOW);
  assert.match(text, /^Name: {13}web$/m);
  assert.match(text, /^Node: {13}node-1\/172\.18\.0\.2$/m);
  assert.match(text, /^Labels: {11}app=web$/m);
  assert.match(text, /^Containers:\n {2}nginx:\n {4}Container ID: *\n {4}Image: {10}nginx:1\.27$/m);
  assert.match(text, /^ {4}State: {10}Running$/m);
  assert.match(text, /^ {4}Requests:\n {6}cpu: {2}100m$/m);
  assert.match(text, /^QoS Class: {19}Burstable$/m);
  assert.match(text, /^ {2}Normal {2}Scheduled {2}60s {3}default-scheduler {2}Successfully assigned default\/web to node-1$/m);
});

test('no events reads <none>, as kubectl prints it', () => {
  assert.equal(eventsTable([], NOW), 'Events:                      <none>');
});
