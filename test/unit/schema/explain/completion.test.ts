import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt } from '../../../../src/schema/explain/completion';

/** Completions at the `|` of a text. */
function at(withCursor: string) {
  const offset = withCursor.indexOf('|');
  return completionsAt(withCursor.slice(0, offset) + withCursor.slice(offset + 1), offset);
}
const labels = (items: { label: string }[]) => items.map((i) => i.label);

test('field names of the object at the cursor, without those already there, with type and description', () => {
  const items = at('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    ima|\n');
  const image = items.find((i) => i.label === 'image')!;
  assert.equal(image.detail, 'string');
  assert.equal(image.insertText, 'image: $0');
  assert.match(image.documentation, /Container image name/);
  assert.ok(labels(items).includes('imagePullPolicy'));
  assert.ok(!labels(items).includes('name'), 'name is already set');
});

test('on an empty line, the map the line belongs to (parsed, not guessed from indentation)', () => {
  const container = at('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    |\n');
  assert.ok(labels(container).includes('resources'));
  assert.equal(container.find((i) => i.label === 'resources')!.insertText, 'resources:\n  $0');
  const spec = at('apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n  |\n');
  assert.ok(labels(spec).includes('restartPolicy'));
  assert.ok(!labels(spec).includes('containers'));
  const root = at('apiVersion: v1\nkind: Pod\n|\n');
  assert.deepEqual(labels(root).sort(), ['metadata', 'spec']);
});

test('required fields sort first', () => {
  const items = at('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - |\n');
  const first = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText))[0];
  assert.equal(first.label, 'name');
  assert.equal(first.required, true);
});

test('after a colon: the enum values, the default first', () => {
  const items = at('apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: |\n');
  assert.deepEqual(labels(items), ['Always', 'Never', 'OnFailure']);
  assert.equal(items.find((i) => i.label === 'Always')!.detail, 'string (default)');
  const partial = at('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    imagePullPolicy: If|\n');
  assert.ok(labels(partial).includes('IfNotPresent'));
  const text = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    imagePullPolicy: If\n';
  assert.equal(text.slice(partial[0].range[0], partial[0].range[1]), 'If');
  assert.deepEqual(labels(at('apiVersion: v1\nkind: Pod\nspec:\n  hostNetwork: |\n')), ['true', 'false']);
});

test('a Pod snippet at the top of a document without a kind', () => {
  const items = at('|');
  assert.equal(items[0].label, 'Pod');
  assert.equal(items[0].kind, 'snippet');
  assert.match(items[0].insertText, /^apiVersion: v1\nkind: Pod\n/);
  assert.equal(at('apiVersion: v1\nkind: ConfigMap\n---\n|').find((i) => i.kind === 'snippet')?.label, 'Pod');
});
