import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SortedIndex } from '../../../../src/cluster/store/sorted-index';

/** A small deterministic PRNG, so a failure reproduces. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('SortedIndex', () => {
  it('agrees with a sorted array through thousands of random inserts, removes and scans', () => {
    const next = random(42);
    const index = new SortedIndex();
    const model = new Set<string>();
    const keyOf = () => `/r/${Math.floor(next() * 4000).toString(36)}`;
    for (let step = 0; step < 20000; step++) {
      const key = keyOf();
      if (next() < 0.7) {
        if (!model.has(key)) {
          index.insert(key);
          model.add(key);
        }
      } else {
        index.remove(key);
        model.delete(key);
      }
      if (step % 500 === 0) {
        const sorted = [...model].sort();
        assert.deepEqual(index.toArray(), sorted);
        const [a, b] = [keyOf(), keyOf()].sort();
        const got: string[] = [];
        index.scan(a, b, (k) => void got.push(k));
        assert.deepEqual(got, sorted.filter((k) => k >= a && k < b), `scan [${a}, ${b})`);
        const open: string[] = [];
        index.scan(a, undefined, (k) => void open.push(k));
        assert.deepEqual(open, sorted.filter((k) => k >= a));
      }
    }
    assert.equal(index.size, model.size);
  });

  it('places a burst of unordered inserts both by merge (large burst) and one by one (small burst)', () => {
    const index = new SortedIndex();
    const key = (i: number) => `/registry/pods/ns-${String(i % 37).padStart(2, '0')}/pod-${String(i).padStart(5, '0')}`;
    const model: string[] = [];
    const check = (why: string) => {
      const sorted = [...model].sort();
      assert.equal(index.size, model.length, why);
      assert.deepEqual(index.toArray(), sorted, why);
      const got: string[] = [];
      index.scan('/registry/pods/ns-05/', '/registry/pods/ns-060', (k) => void got.push(k));
      assert.deepEqual(got, sorted.filter((k) => k >= '/registry/pods/ns-05/' && k < '/registry/pods/ns-060'), why);
    };
    for (let i = 0; i < 5000; i++) {
      index.insert(key(i));
      model.push(key(i));
    }
    assert.equal(index.size, 5000, 'pending items count before anything is ordered');
    check('one large burst (merged)');
    for (let i = 5000; i < 5100; i++) {
      index.insert(key(i));
      model.push(key(i));
    }
    check('a small burst (placed one by one, splitting chunks)');
    for (let i = 5100; i < 5110; i++) {
      index.insert(key(i));
      model.push(key(i));
    }
    index.remove(key(5105)); // still pending when removed
    index.remove(key(17));
    model.splice(model.indexOf(key(5105)), 1);
    model.splice(model.indexOf(key(17)), 1);
    check('removes of pending and placed keys');
  });

  it('stops a scan when the visitor returns false', () => {
    const index = new SortedIndex();
    for (const key of ['a', 'b', 'c', 'd']) index.insert(key);
    const got: string[] = [];
    index.scan('b', undefined, (k) => {
      got.push(k);
      return got.length < 2;
    });
    assert.deepEqual(got, ['b', 'c']);
  });
});
