/**
 * Stored text is held as one flat string (see flatText): a rope of JSON.stringify's pieces held
 * takes more memory, and its first reader pays the flattening copy. Whether a string is a rope shows
 * in what reading a character of it allocates: nothing for a flat string, a copy of the whole text
 * for a rope. The writers are made hot and optimized first (V8's %OptimizeFunctionOnNextCall): an
 * unused `Number(text)`, which flatText once was, is dropped by the optimizing compiler when it
 * knows the text is a string, and shapeText's text built by `+=` then stayed a rope.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Session } from 'node:inspector/promises';
import { setFlagsFromString } from 'node:v8';
import { flatText } from '../../../../../src/cluster/apiserver/registry/codec';
import { shapeText } from '../../../../../src/cluster/apiserver/registry/spec-text';
import { deepFreeze } from '../../../../../src/cluster/api/deep-freeze';

setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const optimizeOnNextCall = new Function('f', 'call', '%PrepareFunctionForOptimization(f); for (let i = 0; i < 100; i++) call(i); %OptimizeFunctionOnNextCall(f);') as (f: unknown, call: (i: number) => string) => void;

const TEXTS = 200;
const LENGTH = 5000;

/** The bytes allocated while a character of each text is read (sampled: a rope's copy is ~LENGTH bytes a text). */
async function bytesToRead(texts: string[]): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    let sum = 0;
    for (const text of texts) sum += text.charCodeAt(LENGTH >> 1);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    assert.ok(sum > 0);
    let bytes = 0;
    const walk = (node: { selfSize: number; children: unknown[] }): void => {
      bytes += node.selfSize;
      node.children.forEach((child) => walk(child as typeof node));
    };
    walk(profile.head);
    return bytes;
  } finally {
    session.disconnect();
  }
}

/**
 * TEXTS results of `write`, with `hot` (`write` itself, or a function it calls) optimized after
 * calls that gave it type feedback (so that it inlines what it calls, flatText say).
 */
function hotTexts(write: (i: number) => string, hot: unknown = write): string[] {
  optimizeOnNextCall(hot, write);
  return Array.from({ length: TEXTS }, (_, i) => write(i));
}

test('a rope read allocates its copy: the measure below can tell a rope from a flat string', async () => {
  const ropes = hotTexts((i) => `${'a'.repeat(LENGTH / 2)}${i}` + 'b'.repeat(LENGTH / 2));
  assert.ok((await bytesToRead(ropes)) > (TEXTS * LENGTH) / 2);
});

test('flatText gives a flat string when its caller is optimized', async () => {
  const texts = hotTexts((i) => flatText(`${'a'.repeat(LENGTH / 2)}${i}` + 'b'.repeat(LENGTH / 2)));
  assert.ok((await bytesToRead(texts)) < (TEXTS * LENGTH) / 20);
});

test('shapeText gives a flat string, serialized whole or member by member', async () => {
  const spec = deepFreeze({ containers: [{ name: 'a', args: ['x'.repeat(LENGTH / 2)] }] });
  const shape = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, managedFields: [{ manager: 'm', time: `${i}`, fieldsV1: {} }] }, spec, status: { message: 'y'.repeat(LENGTH / 2) } });
  for (const keepsSpec of [false, true]) {
    const texts = hotTexts((i) => shapeText(shape(i), undefined, keepsSpec), shapeText);
    assert.equal(texts[7], JSON.stringify(shape(7)));
    assert.ok((await bytesToRead(texts)) < (TEXTS * LENGTH) / 20, `keepsSpec ${keepsSpec}`);
  }
});
