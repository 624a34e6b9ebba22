import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../src/cluster/cluster';
import { ManualClock } from '../../../src/cluster/clock';
import { PODS } from '../../../src/cluster/client/client';
import { dryRunDiagnostics } from '../../../src/manifest/dry-run';
import { fieldRange } from '../../../src/schema/explain/field-range';
import { parseText } from '../../../src/schema/explain/parsed-text';

const lines = (...l: string[]) => `${l.join('\n')}\n`;
const textAt = (text: string, range: [number, number]) => text.slice(range[0], range[1]);

test('field paths from the API server land on the YAML that holds them, or on the nearest ancestor', () => {
  const text = lines('apiVersion: v1', 'kind: Pod', 'spec:', '  containers:', '  - name: a', '    image: ngnix', '  - name: b');
  const doc = parseText(text).documents[0];
  assert.deepEqual(fieldRange(doc, 'spec.containers[0].image'), { range: [text.indexOf('ngnix'), text.indexOf('ngnix') + 5], exact: true });
  const missing = fieldRange(doc, 'spec.containers[1].image')!;
  assert.equal(missing.exact, false);
  assert.equal(textAt(text, missing.range), 'name', 'a missing field shows on its list item\'s first key');
  assert.equal(textAt(text, fieldRange(doc, 'spec.nodeName')!.range), 'spec');
});

test('a server-side dry run reports what only the API server checks, on the field, and creates nothing', async () => {
  const cluster = await Cluster.start({ clock: new ManualClock(), nodes: 0 });
  try {
    const client = cluster.client();
    const text = lines(
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', '  containers:', '  - name: nginx', '    image: nginx',
      '  - name: sidecar', '    ports: [{containerPort: 70000}]',
      '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: ok}', 'data: {a: b}',
    );
    const found = await dryRunDiagnostics(text, client);
    const messages = found.map((d) => d.message);
    assert.ok(messages.includes('spec.containers[1].image: Required value'), messages.join('\n'));
    const image = found.find((d) => d.fieldPath === 'spec.containers[1].image')!;
    assert.equal(textAt(text, image.range), 'name', 'no image: on the container\'s first key');
    assert.equal(image.severity, 'error');
    assert.equal(image.code, 'dry-run');
    const port = found.find((d) => d.fieldPath === 'spec.containers[1].ports[0].containerPort')!;
    assert.equal(textAt(text, port.range), '70000');
    assert.ok(found.every((d) => d.document === 0), 'the valid ConfigMap has no diagnostics');
    const pods = await client.resource(PODS).list({ namespace: 'default' });
    assert.equal(pods.items.length, 0, 'a dry run creates nothing');
  } finally {
    await cluster.stop();
  }
});
