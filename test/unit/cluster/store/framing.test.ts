import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameWriter, decodeRecords } from '../../../../src/cluster/store/durable/framing';
import { decodePayload, frameWrites } from '../../../../src/cluster/store/durable/log-record';
import { StoreWatchEvent } from '../../../../src/cluster/store/types';

const put = (key: string, value: string, revision: number): StoreWatchEvent => ({ type: 'put', kv: { key, value, createRevision: revision, modRevision: revision, version: 1 } });
const del = (key: string, revision: number): StoreWatchEvent => ({ type: 'delete', kv: { key, value: '', createRevision: 0, modRevision: revision, version: 0 } });

describe('FrameWriter', () => {
  it('frames revisions written straight from events so that they decode to the same writes, multi-byte text included', () => {
    const writer = new FrameWriter(16); // far too small: every record grows the buffer
    const values = ['✓'.repeat(50_000), 'plain', 'ünïcödé ✓', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP', '\ud800 a lone surrogate', 'x'.repeat(100_000)];
    values.forEach((value, i) => frameWrites(writer, i + 2, [put(`/k/${i}`, value, i + 2), del(`/gone/${i}`, i + 2)]));
    writer.begin();
    writer.raw('{"c":4}');
    writer.end();
    const decoded = decodeRecords(writer.take());
    assert.equal(decoded.truncated, false);
    assert.equal(decoded.payloads.length, values.length + 1);
    values.forEach((value, i) => {
      assert.deepEqual(decodePayload(decoded.payloads[i]!), { r: i + 2, m: [[`/k/${i}`, Buffer.from(value, 'utf8').toString('utf8')], [`/gone/${i}`]] });
    });
    assert.deepEqual(decodePayload(decoded.payloads[values.length]!), { c: 4 });
  });

  it('starts over after take, reusing its buffer, and earlier output stays whole until the next record', () => {
    const writer = new FrameWriter(1024);
    frameWrites(writer, 2, [put('/a', '1', 2)]);
    const first = writer.take();
    assert.equal(decodeRecords(first).payloads.length, 1);
    assert.equal(writer.length, 0);
    frameWrites(writer, 3, [put('/b', '2', 3)]);
    const second = decodeRecords(writer.take());
    assert.deepEqual(second.payloads.map((p) => decodePayload(p)), [{ r: 3, m: [['/b', '2']] }]);
  });

  it('refuses a record with no payload (a zero length reads as the end of the log)', () => {
    const writer = new FrameWriter();
    writer.begin();
    assert.throws(() => writer.end(), /non-empty payload/);
  });
});
