import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/cluster/clock';
import { Compactor } from '../../../../src/cluster/store/compactor';
import { MemoryStore } from '../../../../src/cluster/store/memory';

describe('Compactor', () => {
  it('compacts each interval to the revision seen one interval before', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore();
    const put = (key: string) => store.txn([], [{ type: 'put', key, value: 'v' }]);
    const compactor = new Compactor(store, clock, 1000).start();
    await put('a'); // 2
    await clock.advance(1000); // remembers 2, nothing to compact yet
    assert.equal(await store.compactedRevision(), 0);
    await put('b'); // 3
    await put('c'); // 4
    await clock.advance(1000); // compacts to 2, remembers 4
    assert.equal(await store.compactedRevision(), 2);
    await clock.advance(1000); // compacts to 4
    assert.equal(await store.compactedRevision(), 4);
    await clock.advance(1000); // nothing new was written: stays
    assert.equal(await store.compactedRevision(), 4);
    compactor.stop();
    assert.equal(clock.pendingTimers, 0);
  });
});
