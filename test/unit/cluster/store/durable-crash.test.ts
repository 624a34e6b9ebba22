/**
 * Crash safety: a child process streams puts and prints each key only after its promise resolved
 * (the write was acknowledged); the parent kills it with SIGKILL mid-stream and reopens the data
 * directory. Every acknowledged write must be there. Small snapshot thresholds make the child
 * rotate segments and write snapshots while it is being killed.
 *
 * The child is this same bundled file, started with CHILD_ENV set.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { prefixEnd } from '../../../../src/cluster/store/types';

const CHILD_ENV = 'KUBE_SIM_STORE_CRASH_CHILD_DIR';
const IN_FLIGHT = 64;
const KILL_AFTER_ACKS = 3000;

async function child(dir: string): Promise<void> {
  const store = await DurableStore.open({ dataDir: dir, snapshotAfterBytes: 32 * 1024 });
  let next = 0;
  const one = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const key = `/crash/${String(i % 1000).padStart(4, '0')}`;
      const value = `value-${i}`;
      const { revision } = await store.txn([], [{ type: 'put', key, value }]);
      // Pipes are written synchronously on Linux: the line is out before the next write starts.
      process.stdout.write(`${key} ${value} ${revision}\n`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, one));
}

if (process.env[CHILD_ENV]) {
  void child(process.env[CHILD_ENV]);
} else {
  describe('DurableStore crash safety', () => {
    it('keeps every acknowledged write when the process is killed with SIGKILL mid-stream', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kube-sim-crash-'));
      try {
        const proc = spawn(process.execPath, [__filename], { env: { ...process.env, [CHILD_ENV]: dir }, stdio: ['ignore', 'pipe', 'inherit'] });
        let output = '';
        let acks = 0;
        proc.stdout.setEncoding('utf8');
        proc.stdout.on('data', (chunk: string) => {
          output += chunk;
          for (const c of chunk) if (c === '\n') acks++;
          if (acks >= KILL_AFTER_ACKS) proc.kill('SIGKILL');
        });
        const signal = await new Promise<NodeJS.Signals | null>((resolve) => proc.on('close', (_code, sig) => resolve(sig)));
        assert.equal(signal, 'SIGKILL', 'the child was killed, it did not exit on its own');

        // Only whole lines are acknowledgements; a line cut by the kill is not.
        const acked = output.split('\n').slice(0, -1).map((line) => {
          const [key, value, revision] = line.split(' ');
          return { key, value, revision: Number(revision) };
        });
        assert.ok(acked.length >= KILL_AFTER_ACKS);
        const latest = new Map<string, { value: string; revision: number }>();
        for (const a of acked) if ((latest.get(a.key)?.revision ?? 0) < a.revision) latest.set(a.key, a);
        const maxAcked = Math.max(...acked.map((a) => a.revision));

        const store = await DurableStore.open({ dataDir: dir });
        const revision = await store.revision();
        assert.ok(revision >= maxAcked, `store revision ${revision} covers every acknowledged revision (${maxAcked})`);
        const { kvs } = await store.range({ key: '/crash/', end: prefixEnd('/crash/') });
        const stored = new Map(kvs.map((kv) => [kv.key, kv]));
        for (const [key, a] of latest) {
          const kv = stored.get(key);
          assert.ok(kv, `${key} was acknowledged and must exist`);
          // Unacknowledged later writes may have landed too, never older ones.
          assert.ok(kv.modRevision >= a.revision, `${key} at ${kv.modRevision} is not older than acknowledged ${a.revision}`);
          if (kv.modRevision === a.revision) assert.equal(kv.value, a.value);
        }
        // Revisions are contiguous: one write per revision, versions add up.
        const versions = kvs.reduce((sum, kv) => sum + kv.version, 0);
        assert.equal(versions, revision - 1, 'every revision after 1 is exactly one put');
        for (const a of acked) {
          const past = (await store.range({ key: a.key, revision: a.revision })).kvs[0];
          assert.equal(past?.value, a.value, `${a.key} at revision ${a.revision}`);
        }
        await store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
