import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { connect, HELD_INPUT_BYTES } from '../../../../../src/cluster/apiserver/transport/upgrade';
import { ManualClock } from '../../../../../src/cluster/clock';
import { OPCODE } from '../../../../../src/cluster/apiserver/transport/websocket';
import type { ChannelSession, InputFlow, OutputFlow } from '../../../../../src/cluster/apiserver/types';

function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!))]);
}

/** A connection whose written frames are decoded (server frames are small and unmasked here). */
function fakeSocket() {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let ended = false;
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      for (let at = 0; at < chunk.length;) {
        const length = chunk[at + 1]! & 0x7f;
        frames.push({ opcode: chunk[at]! & 0x0f, payload: chunk.subarray(at + 2, at + 2 + length) });
        at += 2 + length;
      }
      cb();
    },
    final(cb) { ended = true; cb(); },
  });
  return { socket, frames, ended: () => ended, send: (b: Buffer) => socket.emit('data', b) };
}

function recordingSession() {
  const calls: string[] = [];
  let send: (channel: number, data: string) => void = () => {};
  let end = () => {};
  const session: ChannelSession = {
    protocol: 'v5.channel.k8s.io',
    start(s, e) { send = s; end = e; calls.push('start'); },
    receive(channel, data) { calls.push(`receive ${channel} ${data.toString()}`); },
    closeChannel(channel) { calls.push(`close ${channel}`); },
    hangup() { calls.push('hangup'); },
  };
  return { session, calls, send: (c: number, d: string) => send(c, d), end: () => end() };
}

test('session output goes out as binary frames led by the channel byte, and its end as a normal close', async () => {
  const { socket, frames, ended } = fakeSocket();
  const s = recordingSession();
  connect(socket, Buffer.alloc(0), s.session);
  s.send(1, 'hi\n');
  s.send(3, '{"status":"Success"}');
  s.end();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(frames.map((f) => f.opcode), [OPCODE.binary, OPCODE.binary, OPCODE.close]);
  assert.deepEqual(frames[0]!.payload, Buffer.from('\x01hi\n'));
  assert.equal(frames[1]!.payload[0], 3);
  assert.equal(frames[2]!.payload.readUInt16BE(0), 1000);
  assert.ok(ended());
  socket.destroy();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(s.calls, ['start'], 'no hang-up after the session ended itself');
});

test('stdin and the v5 CLOSE signal reach the session; pings are answered with pongs', () => {
  const { socket, frames, send } = fakeSocket();
  const s = recordingSession();
  connect(socket, clientFrame(OPCODE.binary, Buffer.from('\x00early')), s.session);
  send(clientFrame(OPCODE.ping, Buffer.from('beat')));
  send(clientFrame(OPCODE.binary, Buffer.from([255, 0])));
  assert.deepEqual(s.calls, ['start', 'receive 0 early', 'close 0']);
  assert.deepEqual(frames, [{ opcode: OPCODE.pong, payload: Buffer.from('beat') }]);
});

test('a client close hangs the session up and is answered; a protocol error closes with 1002', () => {
  const a = fakeSocket();
  const s = recordingSession();
  connect(a.socket, Buffer.alloc(0), s.session);
  const code = Buffer.alloc(2);
  code.writeUInt16BE(1000);
  a.send(clientFrame(OPCODE.close, code));
  assert.deepEqual(s.calls, ['start', 'hangup']);
  assert.equal(a.frames[0]!.opcode, OPCODE.close);
  assert.equal(a.frames[0]!.payload.readUInt16BE(0), 1000);

  const b = fakeSocket();
  const t = recordingSession();
  connect(b.socket, Buffer.alloc(0), t.session);
  b.send(Buffer.from([0x82, 0x01, 0x00])); // unmasked
  assert.deepEqual(t.calls, ['start', 'hangup']);
  assert.equal(b.frames[0]!.payload.readUInt16BE(0), 1002);
});

test('the connection dropping hangs the session up once', async () => {
  const { socket } = fakeSocket();
  const s = recordingSession();
  connect(socket, Buffer.alloc(0), s.session);
  socket.destroy();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(s.calls, ['start', 'hangup']);
});

test('the session is told when the client falls behind on its output, and when it has caught up', async () => {
  const pending: (() => void)[] = [];
  const socket = new Duplex({ read() {}, write(_chunk, _enc, cb) { pending.push(cb); }, writableHighWaterMark: 1024 });
  let flow: OutputFlow | undefined;
  let send: (channel: number, data: string) => void = () => {};
  connect(socket, Buffer.alloc(0), { protocol: 'v5.channel.k8s.io', start(s, _end, f) { send = s; flow = f; }, receive() {}, closeChannel() {}, hangup() {} });
  send(1, 'small');
  assert.equal(flow!.blocked(), false);
  send(1, 'x'.repeat(2048));
  assert.equal(flow!.blocked(), true, 'the client has not read: past the high-water mark');
  let resumed = 0;
  flow!.drained(() => resumed++);
  while (pending.length > 0) pending.shift()!();
  await new Promise((r) => setImmediate(r));
  assert.equal(flow!.blocked(), false);
  assert.equal(resumed, 1);
});

test('the server never pings; a session with no data either way for the idle timeout is dropped, pings not counting', async () => {
  const clock = new ManualClock();
  const { socket, frames, send } = fakeSocket();
  const s = recordingSession();
  connect(socket, Buffer.alloc(0), s.session, { clock, timeoutMs: 4 * 3600_000 });
  await clock.advance(3 * 3600_000);
  s.send(1, 'out'); // output counts as activity
  await clock.advance(3 * 3600_000);
  send(clientFrame(OPCODE.binary, Buffer.from('\x00in'))); // and so does input
  for (let i = 0; i < 4 * 720 - 1; i++) {
    await clock.advance(5_000);
    send(clientFrame(OPCODE.ping, Buffer.from('beat'))); // kubectl's pings every 5 s
  }
  assert.deepEqual(s.calls, ['start', 'receive 0 in'], 'pings alone keep nothing alive, but the deadline is not yet here');
  await clock.advance(5_000);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(s.calls, ['start', 'receive 0 in', 'hangup']);
  assert.ok(socket.destroyed);
  assert.deepEqual(new Set(frames.map((f) => f.opcode)), new Set([OPCODE.binary, OPCODE.pong]), 'no ping and no close frame from the server');
});

test('a session can hold the client\'s input back: it waits in order, pings still answered, and past a bound the socket is no longer read', () => {
  const { socket, frames, send } = fakeSocket();
  const calls: string[] = [];
  let input: InputFlow | undefined;
  connect(socket, Buffer.alloc(0), {
    protocol: 'v5.channel.k8s.io',
    start(_s, _e, _f, i) { input = i; },
    receive(channel, data) { calls.push(`receive ${channel} ${data.length > 10 ? `${data.length} bytes` : data.toString()}`); },
    closeChannel(channel) { calls.push(`close ${channel}`); },
    hangup() {},
  });
  send(clientFrame(OPCODE.binary, Buffer.from('\x00a')));
  input!.pause();
  send(Buffer.concat([clientFrame(OPCODE.binary, Buffer.from('\x00b')), clientFrame(OPCODE.binary, Buffer.from([255, 0]))]));
  send(clientFrame(OPCODE.ping, Buffer.from('beat')));
  assert.deepEqual(calls, ['receive 0 a'], 'held back');
  assert.deepEqual(frames.map((f) => f.opcode), [OPCODE.pong], 'pings are still answered');
  assert.ok(!socket.isPaused());
  input!.resume();
  assert.deepEqual(calls, ['receive 0 a', 'receive 0 b', 'close 0']);

  input!.pause();
  const big = Buffer.alloc(65_536, 0x61);
  big[0] = 0;
  for (let i = 0; i < HELD_INPUT_BYTES / big.length; i++) send(bigFrame(big));
  assert.ok(socket.isPaused(), 'past the bound the socket is no longer read');
  input!.resume();
  assert.ok(!socket.isPaused());
  assert.equal(calls.length, 3 + HELD_INPUT_BYTES / big.length);
  socket.destroy();
});

/** A masked client binary frame with a 64-bit length field. */
function bigFrame(payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const head = Buffer.from([0x80 | OPCODE.binary, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 0]);
  head.writeUInt32BE(payload.length, 6);
  return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i & 3]!))]);
}
