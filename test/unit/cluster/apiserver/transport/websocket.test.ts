import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptKey, CLOSE, closePayload, encodeFrame, FrameError, FrameParser, OPCODE, type Message } from '../../../../../src/cluster/apiserver/transport/websocket';

/** A client frame as a client must send it: masked (RFC 6455 §5.3). */
function clientFrame(opcode: number, payload: Buffer, fin = true, mask = Buffer.from([0x37, 0xfa, 0x21, 0x3d])): Buffer {
  const length = payload.length;
  const header: number[] = [(fin ? 0x80 : 0) | opcode];
  if (length < 126) header.push(0x80 | length);
  else if (length < 0x10000) header.push(0x80 | 126, length >> 8, length & 0xff);
  else header.push(0x80 | 127, 0, 0, 0, 0, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!));
  return Buffer.concat([Buffer.from(header), mask, masked]);
}

function parse(...chunks: Buffer[]): Message[] {
  const out: Message[] = [];
  const parser = new FrameParser((m) => out.push(m));
  for (const c of chunks) parser.push(c);
  return out;
}

test('the accept key is the RFC 6455 example', () => {
  assert.equal(acceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('a masked binary frame is unmasked', () => {
  const [m] = parse(clientFrame(OPCODE.binary, Buffer.from([0, 104, 105])));
  assert.deepEqual(m, { opcode: OPCODE.binary, payload: Buffer.from([0, 104, 105]) });
});

test('frames split anywhere, byte by byte or several in one chunk, come out whole and in order', () => {
  const bytes = Buffer.concat([clientFrame(OPCODE.binary, Buffer.from('\x00first')), clientFrame(OPCODE.ping, Buffer.from('p')), clientFrame(OPCODE.binary, Buffer.from('\x00second'))]);
  const expected = [
    { opcode: OPCODE.binary, payload: Buffer.from('\x00first') },
    { opcode: OPCODE.ping, payload: Buffer.from('p') },
    { opcode: OPCODE.binary, payload: Buffer.from('\x00second') },
  ];
  assert.deepEqual(parse(bytes), expected);
  assert.deepEqual(parse(...[...bytes].map((b) => Buffer.from([b]))), expected);
});

test('16-bit and 64-bit lengths', () => {
  const medium = Buffer.alloc(300, 7);
  const large = Buffer.alloc(70_000, 9);
  const out = parse(clientFrame(OPCODE.binary, medium), clientFrame(OPCODE.binary, large));
  assert.deepEqual(out.map((m) => m.payload.length), [300, 70_000]);
  assert.ok(out[1]!.payload.every((b) => b === 9));
});

test('a fragmented message is joined, with a control frame between its fragments delivered first', () => {
  const out = parse(
    clientFrame(OPCODE.binary, Buffer.from('\x00ab'), false),
    clientFrame(OPCODE.ping, Buffer.alloc(0)),
    clientFrame(OPCODE.continuation, Buffer.from('cd'), false),
    clientFrame(OPCODE.continuation, Buffer.from('ef'), true),
  );
  assert.deepEqual(out, [{ opcode: OPCODE.ping, payload: Buffer.alloc(0) }, { opcode: OPCODE.binary, payload: Buffer.from('\x00abcdef') }]);
});

test('protocol violations throw FrameError with the close code to send', () => {
  const unmasked = Buffer.from([0x82, 0x01, 0x00]);
  assert.throws(() => parse(unmasked), (e: unknown) => e instanceof FrameError && e.closeCode === CLOSE.protocolError && /masked/.test(e.message));
  assert.throws(() => parse(clientFrame(OPCODE.continuation, Buffer.from('x'))), FrameError);
  assert.throws(() => parse(clientFrame(OPCODE.ping, Buffer.alloc(126))), FrameError);
  assert.throws(() => parse(clientFrame(OPCODE.ping, Buffer.alloc(1), false)), FrameError);
  assert.throws(() => parse(clientFrame(0x3, Buffer.alloc(1))), FrameError);
  assert.throws(() => parse(Buffer.concat([clientFrame(OPCODE.binary, Buffer.from('a'), false), clientFrame(OPCODE.binary, Buffer.from('b'))])), FrameError);
  const reserved = clientFrame(OPCODE.binary, Buffer.from('a'));
  reserved[0] = reserved[0]! | 0x40;
  assert.throws(() => parse(reserved), FrameError);
});

test('a message over the limit is refused with 1009 before it is buffered', () => {
  const parser = new FrameParser(() => assert.fail('no message'), 1024);
  const header = clientFrame(OPCODE.binary, Buffer.alloc(2048)).subarray(0, 8);
  assert.throws(() => parser.push(header), (e: unknown) => e instanceof FrameError && e.closeCode === CLOSE.tooBig);
});

test('server frames are unmasked, final, with the shortest length encoding', () => {
  assert.deepEqual(encodeFrame(OPCODE.binary, Buffer.from([1, 104])), Buffer.from([0x82, 2, 1, 104]));
  const medium = encodeFrame(OPCODE.binary, Buffer.alloc(200));
  assert.deepEqual([...medium.subarray(0, 4)], [0x82, 126, 0, 200]);
  assert.equal(medium.length, 204);
  const large = encodeFrame(OPCODE.binary, Buffer.alloc(70_000));
  assert.deepEqual([...large.subarray(0, 10)], [0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
  assert.deepEqual(encodeFrame(OPCODE.close, closePayload(CLOSE.normal)), Buffer.from([0x88, 2, 0x03, 0xe8]));
});

test('a frame arriving a byte at a time is joined once, not copied again with each byte', (t) => {
  const payload = Buffer.alloc(8192, 7);
  const frame = clientFrame(OPCODE.binary, payload);
  let copied = 0;
  const concat = Buffer.concat;
  t.mock.method(Buffer, 'concat', (list: readonly Uint8Array[], length?: number) => {
    const joined = concat(list, length);
    copied += joined.length;
    return joined;
  });
  const out: Message[] = [];
  const parser = new FrameParser((m) => out.push(m));
  for (let i = 0; i < frame.length; i++) parser.push(frame.subarray(i, i + 1));
  assert.deepEqual(out, [{ opcode: OPCODE.binary, payload }]);
  assert.ok(copied < 4 * frame.length, `${copied} bytes copied for a ${frame.length}-byte frame`);
});
