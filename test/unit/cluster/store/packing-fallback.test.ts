/**
 * The value codec on a Node.js whose zlib internals are not the ones it was written against (VS
 * Code's extension host runs Electron's Node): its reused streams drive node:zlib's private
 * `_handle`, so a handle that throws, or that answers wrongly, must leave packing to the one-shot
 * calls, never crash the packer (a timer callback: an exception there ends the process) nor give
 * a value back different.
 *
 * The streams are faked by replacing node:zlib's factories for the time of one test (the codec
 * reads them through the module object when it opens a stream).
 */
import { afterEach, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import { ValueCodec } from '../../../../src/cluster/store/packing/value-codec';

const zlib = createRequire(__filename)('node:zlib') as typeof Zlib;
const originals = { createDeflateRaw: zlib.createDeflateRaw, createInflateRaw: zlib.createInflateRaw };
/** node:zlib's factories are read-only (but configurable) properties. */
function replace(name: keyof typeof originals, value: unknown): void {
  Object.defineProperty(zlib, name, { value, writable: false, enumerable: true, configurable: true });
}
afterEach(() => {
  replace('createDeflateRaw', originals.createDeflateRaw);
  replace('createInflateRaw', originals.createInflateRaw);
});

type Factory = (options?: Zlib.ZlibOptions) => Zlib.DeflateRaw | Zlib.InflateRaw;
interface Handle { writeSync(...args: unknown[]): void }

/** Makes `name` return streams whose handle's writeSync is `writeSync(original, args)`. */
function patch(name: 'createDeflateRaw' | 'createInflateRaw', writeSync: (original: Handle['writeSync'], args: unknown[]) => void): void {
  const make = originals[name] as Factory;
  replace(name, (options?: Zlib.ZlibOptions) => {
    const stream = make(options);
    const handle = (stream as unknown as { _handle: Handle })._handle;
    const original = handle.writeSync.bind(handle);
    handle.writeSync = (...args: unknown[]) => writeSync(original, args);
    return stream;
  });
}

const dictionary = Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', labels: { app: 'web' } } }).repeat(20));
const text = (i: number) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } }, spec: { n: i } });

it('a handle whose writeSync throws leaves packing to the one-shot calls, values exact', () => {
  patch('createDeflateRaw', () => { throw new TypeError('The "flush" argument must be of type number'); });
  patch('createInflateRaw', () => { throw new TypeError('The "flush" argument must be of type number'); });
  const codec = new ValueCodec(dictionary);
  for (let i = 0; i < 100; i++) {
    const packed = codec.pack(text(i));
    assert.ok(packed !== undefined, 'packed all the same');
    assert.equal(codec.unpack(packed), text(i));
  }
});

it('an inflate handle that gives wrong bytes is never trusted: every value packed comes back exact, past the first checks too', () => {
  patch('createInflateRaw', (original, args) => {
    original(...args);
    const out = args[4] as Buffer;
    out[0] ^= 1; // a plausible-looking but wrong first byte
  });
  const codec = new ValueCodec(dictionary);
  let packedCount = 0;
  for (let i = 0; i < 200; i++) {
    const packed = codec.pack(text(i));
    if (packed === undefined) continue;
    packedCount++;
    assert.equal(codec.unpack(packed), text(i), `value ${i}`);
  }
  assert.ok(packedCount > 0, 'the one-shot calls still pack');
});

it('a value that cannot survive UTF-8 (a lone surrogate) stays plain without costing the codec its reused streams', () => {
  let oneShot = 0;
  const deflateRawSync = zlib.deflateRawSync;
  Object.defineProperty(zlib, 'deflateRawSync', {
    value: (...args: Parameters<typeof deflateRawSync>) => {
      oneShot++;
      return deflateRawSync(...args);
    },
    writable: false, enumerable: true, configurable: true,
  });
  try {
    const codec = new ValueCodec(dictionary);
    assert.equal(codec.pack(text(0) + '\ud800'), undefined);
    for (let i = 1; i < 100; i++) {
      const packed = codec.pack(text(i));
      assert.ok(packed !== undefined);
      assert.equal(codec.unpack(packed), text(i));
    }
    assert.equal(oneShot, 0, 'every value went through the reused stream');
  } finally {
    Object.defineProperty(zlib, 'deflateRawSync', { value: deflateRawSync, writable: false, enumerable: true, configurable: true });
  }
});
