/**
 * Container ids (containerd's 64 hex digits) as one kubelet's runtime gives them: never the same
 * twice in the history of a cluster's store, and the same ones again in a run with the same seed.
 *
 * A kubelet numbers the containers it creates 0, 1, 2 … (a Container keeps only its number, a small
 * integer) within an id space of its own, the `epoch`: the store revision of the write that
 * registered it (see Kubelet.start). Every write has a revision no other write had, on this store
 * and on the data dir it is kept in, so no two kubelets (other nodes, the same node in a later
 * process or added again) share an epoch. The text is a bijection of (epoch, number) for a seed, so
 * two containers never share one. (Drawn from each node's random stream, as ids were before, two
 * nodes' 32-bit streams could overlap, and a process restarted on a data dir drew its first node's
 * ids again.) The seed is mixed in so that two seeds give other ids.
 */

export class ContainerIds {
  private next_ = 0;
  /** Lanes of the mix fixed for this space: the epoch's two halves and the seed. */
  private readonly low: number;
  private readonly high: number;
  private readonly seed: number;
  /** This space among the ones made in this process, for the cache's key; -1: not cached (see the constructor). */
  private readonly slot: number;

  /** `epoch`: a store revision, an integer below 2^53. */
  constructor(seed: number, readonly epoch: number) {
    this.seed = seed >>> 0;
    this.low = epoch >>> 0;
    this.high = Math.floor(epoch / 0x100000000) >>> 0;
    // A slot is never used again: an earlier space under it may still be alive and cache its texts
    // there after any clearing. Past the last one (a million kubelets in one process) a space's
    // texts are made each time they are asked for.
    this.slot = slots < SLOTS ? slots++ : -1;
  }

  /** The number of the next container. */
  next(): number {
    return this.next_++;
  }

  /**
   * The id of container `n`, the same text every time. Asked for at each status of a starting or
   * stopping container: the last few are remembered (process-wide, a bounded set).
   */
  text(n: number): string {
    if (this.slot < 0) return this.format(n);
    const key = this.slot * 0x100000000 + n;
    let id = recentIds.get(key);
    if (id !== undefined) return id;
    id = this.format(n);
    if (recentIds.size >= RECENT_IDS) recentIds.clear();
    recentIds.set(key, id);
    return id;
  }

  /**
   * Rounds of fmix32 over four 32-bit lanes (number, epoch low, epoch high, seed), each step
   * changing one lane by a function that is one-to-one in it for given others: the whole is
   * one-to-one on 128 bits, so the first four words printed tell (epoch, number) apart; the last
   * four are more rounds of the same.
   */
  private format(n: number): string {
    let a = n >>> 0;
    let b = this.low;
    let c = this.high;
    let d = this.seed;
    let k = 0;
    for (let half = 0; half < 2; half++) {
      for (let round = 0; round < 3; round++) {
        a = fmix((a + 0x9e3779b9 + round) >>> 0);
        b = fmix((b ^ a) >>> 0);
        c = fmix((c + b) >>> 0);
        d = fmix((d ^ c) >>> 0);
        a = (a + d) >>> 0;
      }
      k = hex(d, hex(c, hex(b, hex(a, k))));
    }
    return String.fromCharCode.apply(null, HEX_CODES);
  }
}

/** murmur3's finalizer: xor-shifts and odd multiplies, one-to-one on 32 bits. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Puts `word`'s 8 digits into HEX_CODES at `k`; returns where the next go. */
function hex(word: number, k: number): number {
  for (let j = 7; j >= 0; j--) {
    HEX_CODES[k + j] = HEX_DIGITS[word & 15]!;
    word >>>= 4;
  }
  return k + 8;
}

let slots = 0;
/** Spaces the cache tells apart (the first kubelets made in this process). */
const SLOTS = 0x100000;

/** Ids made from their numbers lately (a bounded set: see `text`). */
const recentIds = new Map<number, string>();
const RECENT_IDS = 1024;

/** The char codes of 0-9a-f, and the scratch array `format` fills (one thread: never shared). */
const HEX_DIGITS = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const HEX_CODES: number[] = new Array<number>(64).fill(0);
