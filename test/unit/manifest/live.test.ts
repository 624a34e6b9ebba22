import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { Cluster } from '../../../src/cluster/cluster';
import { ManualClock } from '../../../src/cluster/clock';
import { NODES, PODS, SERVICEACCOUNTS, type ApiClient } from '../../../src/cluster/client/client';
import type { Node, Pod } from '../../../src/cluster/api/types';
import { liveHoverAt } from '../../../src/manifest/live/live-hover';
import { runtimeDiagnostics } from '../../../src/manifest/live/runtime-diagnostics';
import { takeSnapshot } from '../../../src/manifest/live/snapshot';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const textAt = (text: string, range: [number, number]) => text.slice(range[0], range[1]);
const hover = (text: string, needle: string, snapshot: Parameters<typeof liveHoverAt>[2]) => liveHoverAt(text, text.indexOf(needle) + 1, snapshot);

async function start(): Promise<{ cluster: Cluster; clock: ManualClock; client: ApiClient }> {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  const client = cluster.client();
  for (let i = 0; i < 50; i++) {
    const accounts = await client.resource(SERVICEACCOUNTS).list({ namespace: 'default' });
    if (accounts.items.length > 0) break;
    await clock.advance(100);
  }
  return { cluster, clock, client };
}

async function apply(client: ApiClient, text: string): Promise<void> {
  for (const doc of parseAllDocuments(text) as { toJS(): Pod }[]) await client.resource<Pod>(PODS).create(doc.toJS(), { namespace: 'default' });
}

test('live hovers: requests against free room, placement against labels and taints, images against the registry and node caches', async () => {
  const { cluster, clock, client } = await start();
  try {
    const nodes = client.resource<Node>(NODES);
    const node1 = await nodes.get('node-1');
    node1.metadata.labels = { ...node1.metadata.labels, disk: 'ssd' };
    node1.spec = { ...node1.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] };
    await nodes.update(node1);
    await apply(client, lines('apiVersion: v1', 'kind: Pod', 'metadata: {name: warm}', 'spec:', '  containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: 500m}}}]'));
    await clock.advance(30_000);
    const snapshot = await takeSnapshot(client);
    const text = lines(
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: probe', 'spec:',
      '  nodeSelector: {disk: ssd}',
      '  tolerations: []',
      '  containers:', '  - name: app', '    image: nginx:1.27',
      '    resources:', '      requests:', '        cpu: "100000"', '        memory: 64Mi',
      '  - name: other', '    image: no-such-image:1',
    );
    const cpu = hover(text, 'cpu:', snapshot)!;
    assert.match(cpu, /requests cpu 100000; it fits on 0 of 2 nodes/);
    assert.match(cpu, /\| node-1 \| \d+(m)? \| no \|/);
    const placement = hover(text, 'nodeSelector', snapshot)!;
    assert.match(placement, /0 of 2 nodes match/);
    assert.match(placement, /\| node-1 \| matches \| taint `dedicated=db:NoSchedule` \|/);
    assert.match(placement, /\| node-2 \| doesn't match \| — \|/);
    const image = hover(text, 'nginx:1.27', snapshot)!;
    const warmNode = (await client.resource<Pod>(PODS).get('warm', { namespace: 'default' })).spec.nodeName!;
    assert.match(image, new RegExp(`docker.io/library/nginx:1.27\` is in the registry, .* compressed; cached on ${warmNode}\\.`));
    assert.match(hover(text, 'no-such-image', snapshot)!, /does not have `docker.io\/library\/no-such-image`; the pod would fail with ErrImagePull/);
    assert.equal(hover(text, 'probe', snapshot), '**Cluster:** no pod `default/probe` yet.');
    const warm = lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: warm');
    assert.match(hover(warm, 'warm', snapshot)!, new RegExp(`^\\*\\*Cluster:\\*\\* pod \`default/warm\` is \\*\\*Running\\*\\* on \`${warmNode}\`, 0 restarts\\.\\n\\nLast event: Normal \\*\\*\\w+\\*\\*`));
  } finally {
    await cluster.stop();
  }
});

test('after apply, runtime outcomes land on the field that caused them', async () => {
  const { cluster, clock, client } = await start();
  try {
    const text = lines(
      'apiVersion: v1', 'kind: Pod', 'metadata: {name: pull}', 'spec:', '  containers:', '  - name: app', '    image: no-such-image:1',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: crash}', 'spec:', '  containers:', '  - name: app', '    image: busybox', '    command: ["sh", "-c", "exit 3"]',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: oom}', 'spec:', '  restartPolicy: Never', '  containers:', '  - name: stress', '    image: polinux/stress',
      '    command: [stress]', '    args: ["--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"]', '    resources:', '      limits:', '        memory: 100Mi',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: config}', 'spec:', '  containers:', '  - name: app', '    image: nginx:1.27',
      '    envFrom:', '    - configMapRef:', '        name: settings',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata: {name: nowhere}', 'spec:', '  nodeSelector:', '    disk: nvme', '  containers:', '  - name: app', '    image: nginx:1.27',
    );
    await apply(client, text);
    for (let i = 0; i < 12; i++) await clock.advance(10_000);
    const found = runtimeDiagnostics(text, await takeSnapshot(client));
    const on = (document: number) => found.filter((d) => d.document === document).map((d) => [textAt(text, d.range), d.message.split(':')[0]]);
    assert.deepEqual(on(0), [['no-such-image:1', 'ImagePullBackOff']]);
    assert.deepEqual(on(1), [['command', 'CrashLoopBackOff']]);
    assert.deepEqual(on(2), [['100Mi', 'OOMKilled']]);
    assert.deepEqual(on(3), [['configMapRef', 'CreateContainerConfigError']]);
    assert.deepEqual(on(4), [['nodeSelector', 'FailedScheduling']]);
    assert.ok(found.every((d) => d.severity === 'warning' && d.code === 'runtime'));
  } finally {
    await cluster.stop();
  }
});
