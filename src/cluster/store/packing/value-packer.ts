import { performance } from 'node:perf_hooks';
import { StoredKv } from './stored-kv';
import { ValueBlock } from './value-block';
import { ValueCodec } from './value-codec';
import { applyDelta, deltaOf } from './value-delta';
import { prefixEnd } from '../types';

/**
 * Packs the values the store holds in memory, in the background and never on a write's path.
 *
 * A write's value stays plain (readers and watchers of fresh writes never inflate anything); what
 * the packer packs is every version written before its previous pass, about one interval ago: by
 * then most have been superseded (history, kept until compaction) or are objects nobody writes
 * (Running pods, events). A pass packs in slices of a few milliseconds and yields to the event loop
 * between them; while the store is busy (the loop more than half busy, or over ~2,000 writes a
 * second) a pass packs for 5 ms only (~500 values) and leaves the rest, plain, for a quieter
 * moment: under a sustained heavy load the backlog waits rather than the writes. It runs on real timers, which are unref'd: this is
 * the process's own housekeeping, not cluster behaviour, and must not wait for the cluster clock.
 *
 * Dictionaries: values are deflated against a dictionary learned per resource prefix
 * (`/registry/pods/`, `/registry/events/` ...) from the newest versions of the first keys packed
 * there: the text objects of a kind share is most of each object. A prefix is packed once it has
 * seen enough text to learn from, so a store holding a handful of objects never packs at all.
 * A dictionary never changes once made (values packed with it need it to unpack, and each value
 * keeps its codec). What a prefix holds can change, though: the first events of a cluster are its
 * nodes' (NodeReady, NodeHasSufficientMemory), its pods' come later and are most of them, and they
 * packed to ~220 bytes against the nodes' dictionary instead of ~150 against their own. So after
 * every REVIEW_AFTER values a prefix learns a candidate from its newest versions and packs the next
 * TRIAL_VALUES with both; the candidate takes over only if it packs them clearly smaller. A prefix
 * makes at most MAX_CODECS dictionaries.
 *
 * Blocks: a value packed in an earlier pass (so written at least two intervals ago) that is still
 * its key's newest version, at version MAX_BLOCKED_VERSION or below, is cold. A quiet pass walks a
 * prefix's keys in key order and deflates its cold values together, BLOCK_CHARS of text a block
 * (value-block.ts, walkBlocks below). Waiting a pass first leaves out what is about to be written
 * again (a pod is written 3 times in its first seconds), and older versions are left out
 * altogether: compaction drops them soon, and each dead value in a block is bytes kept for
 * nothing. Compaction still kills members (a key written again or deleted): after every
 * compaction a pass sweeps the blocks, lets go of members no longer retained, drops a block with
 * none left and repacks the rest of a block that lost half of them with other cold values of its
 * prefix (or, fewer than a block's worth, packs them on their own again).
 *
 * History: a version already superseded when its turn comes (a pod as created, a Lease before its
 * renewal) is kept until the compactor's round, and read rarely (a read or watch at an old
 * revision, a prevKv). It is packed as a reverse delta against the key's next version where that is
 * smaller (value-delta.ts, `packSuperseded`): a pod as created to ~10 characters instead of ~60. A
 * read of it reads the next version first, which may be a delta too; chains stay within MAX_CHAIN.
 * A superseded version no short delta packs (a pod's ContainerCreating version) waits for a
 * block's worth of its resource's and is deflated with them (`gatherSuperseded`); the block is
 * kept by its members only, and goes with the compactor's round that drops them. Once the packer
 * is done with a key's superseded versions, the engine folds them into a fossil (fossil.ts), which
 * names the block by an id and keeps it for as long as one of its versions does.
 */

/** What the packer asks the engine about a version it is about to pack. */
export interface PackerSource {
  /** Whether the store still holds this version (compaction may have dropped it since it was written). */
  holds(kv: StoredKv): boolean;
  /** Whether it is its key's newest version. */
  isLatest(kv: StoredKv): boolean;
  /**
   * The version after `kv`, a superseded version the store still holds as an object, and how many
   * deltas a read of one of them would apply were `kv` a delta against it (see `deltaFor`).
   */
  successor(kv: StoredKv): { base: StoredKv; chain: number } | undefined;
  /** The packer is done with a superseded version of `key`: the store may fold what it can of the key's history (engine.ts). */
  fold(key: string): void;
  /** Visits the newest live versions of the keys in [start, end) in key order, until `visit` returns false. */
  scan(start: string, end: string, visit: (kv: StoredKv) => boolean): void;
}

export interface PackerStats {
  /** Values packed since the store opened. */
  packed: number;
  /** How many of them are superseded versions packed as a delta against the next one (value-delta.ts). */
  deltas: number;
  /** Blocks made of superseded versions (see `gatherSuperseded`); not among `blocks` below, which the packer keeps. */
  supersededBlocks: number;
  /** Their plain and packed sizes, in characters. */
  plainChars: number;
  packedChars: number;
  /** Values written since the previous pass or waiting for a quieter moment. */
  backlog: number;
  /** Resource prefixes with a dictionary. */
  dictionaries: number;
  /** Blocks held, their live values, and their packed size in characters. */
  blocks: number;
  blockedValues: number;
  blockChars: number;
}

const INTERVAL_MS = 500;
const SLICE_MS = 2;
/** Values shorter than this stay plain: the object around the text costs more than deflate saves. */
export const MIN_PACKED_LENGTH = 64;
/**
 * A pass packs only for BUSY_BUDGET_MS when the event loop was busier than this since the last
 * one, or when more values were written than BUSY_WRITES (a durable store waiting for its fsyncs
 * looks idle to the loop, yet every slice of packing delays the writes it acknowledges).
 * 5,000 idle nodes renew ~500 leases a second: their cluster is not busy.
 */
const BUSY = 0.5;
const BUSY_WRITES = (2000 * INTERVAL_MS) / 1000;
/**
 * What a pass may spend while the loop is busy (per interval: ~1% of the loop). Deflate costs
 * ~10-30 µs a value, more than a put, so packing as fast as a busy store writes would halve its
 * write rate; the backlog waits for a quieter moment instead, and still shrinks meanwhile.
 */
const BUSY_BUDGET_MS = 5;
/** A prefix's dictionary is made once its sampled newest versions hold this much text, or this many values. */
const DICTIONARY_CHARS = 6 * 1024;
const DICTIONARY_SAMPLES = 8;
/**
 * Deflate hashes the whole dictionary again for every value it packs (~1 µs per KB), so the
 * dictionary is only about as long as the longest sample (a Running pod, 3.4 KB, then packs to
 * ~155 bytes in ~15 µs; 8 KB did no better for ~22 µs) and at least 2 KB (leases and events,
 * ~0.7-1.2 KB, pack to ~90-100 bytes in ~9 µs).
 */
const DICTIONARY_MIN_BYTES = 2 * 1024;
const DICTIONARY_MAX_BYTES = 8 * 1024;
const MAX_PREFIXES = 64;
/** Values a prefix packs with its dictionary before it tries a newer one (see the top comment). */
const REVIEW_AFTER = 2048;
const TRIAL_VALUES = 32;
/** The candidate must pack the trial's values to at most this share of what the current codec does. */
const BETTER = 0.9;
const MAX_CODECS = 4;
/**
 * A block holds about this much text, and so much has to be inflated to read one of its values
 * (~20-40 µs, against ~5 for a value packed on its own). Measured on the values of a cluster at 20
 * pods a node: events (~1.2 KB) pack to ~137 bytes each on their own, ~60 in blocks of 28;
 * Running pods (~3.4 KB) to ~170, ~135 in blocks of 10. Larger blocks save little more (events
 * ~56 in 64, pods ~130 in 32) and make every read of one value inflate more.
 */
const BLOCK_CHARS = 32 * 1024;
const MIN_BLOCK_VALUES = 8;
const MAX_BLOCK_VALUES = 64;
/** Deltas in a row a read may have to apply (see `deltaFor`): a Lease renewed 30 times between compactions would otherwise chain 30. */
const MAX_CHAIN = 8;
/** A delta this short is taken without deflating the text to compare (see `packSuperseded`). */
const SMALL_DELTA = 48;
/**
 * Keys written over and over (a node's Lease renews every 10 s: its version climbs) stay out of
 * blocks: their values would be dead by the next compaction, and the blocks repacked for them.
 * The objects that are most of a large cluster are written a few times and then left alone (a
 * Running pod is at version 3 or 4, an event at 1 unless it repeats).
 */
const MAX_BLOCKED_VERSION = 8;
/**
 * A background pass walks a prefix's keys to make blocks once this many blocks' worth of its
 * values are waiting (a walk visits every key of the prefix, ~0.1 µs each: not for one block's
 * worth out of 150,000 pods). `packValues()` makes blocks of whatever is there.
 */
const WALK_AFTER = 4;
/** Walks between two full ones (see walkBlocks); value-block.ts keeps more inflated blocks than this. */
const MAX_GENERATIONS = 12;

interface PrefixState {
  codec: ValueCodec | undefined;
  samples: string[];
  sampleChars: number;
  /** Versions met before the dictionary was made, packed once it is. */
  waiting: StoredKv[];
  /** Dictionaries this prefix has made, and values packed since its codec was made or last reviewed. */
  codecs: number;
  sinceReview: number;
  /** A newer dictionary on trial against `codec`: what each packed the trial's values to. */
  trial: { candidate: ValueCodec; current: number; packed: number; values: number } | undefined;
  /** Values a block of this prefix holds (from its values' length when its first dictionary was made). */
  blockValues: number;
  /** Cold values waiting for a block (values of retired blocks among them). */
  ready: Set<StoredKv>;
  /** Whether `ready` holds values of retired blocks. */
  retirees: boolean;
  /** Where `settleReady` is in `ready`, when a deadline stopped it. */
  settling: Iterator<StoredKv> | undefined;
  /** A walk over the prefix's keys making blocks of its ready values: where it is, and the values it gathered for the next block. */
  walk: { from: string; gathered: StoredKv[]; full: boolean } | undefined;
  /**
   * Superseded versions no short delta packs, waiting (plain) for a block of their own (see
   * `gatherSuperseded`): at most a block's worth.
   */
  superseded: StoredKv[];
  /** Values in this prefix's live blocks of newest versions, and walks since the last full one (see `walkBlocks`). */
  blocked: number;
  generations: number;
}

export class ValuePacker {
  private pending: StoredKv[] = [];
  private head = 0;
  /** pending[head, ripe) were written before the previous tick: old enough to pack. */
  private ripe = 0;
  private passEnd = 0;
  private timer: NodeJS.Timeout | undefined;
  private passing = false;
  private stopped = false;
  private loop = performance.eventLoopUtilization();
  /** Values tracked since the last tick. */
  private written = 0;
  private readonly prefixes = new Map<string, PrefixState>();
  private readonly stats = { packed: 0, deltas: 0, supersededBlocks: 0, plainChars: 0, packedChars: 0 };
  /** Values packed on their own that were their key's newest version then; cold[0, coldEnd) are handed to their prefixes this pass. */
  private cold: StoredKv[] = [];
  private coldHead = 0;
  private coldEnd = 0;
  private blocks: ValueBlock[] = [];
  /** Compactions since the last sweep of the blocks began, and where the sweep is (read and write index into `blocks`). */
  private compactions = 0;
  private sweeping = false;
  private sweepAt = 0;
  private sweepKept = 0;
  /** The waiting values the sweep has still to look at, per prefix (see `forgetWrittenAgain`); undefined while it sweeps blocks. */
  private forgetting: { state: PrefixState; values: Iterator<StoredKv> }[] | undefined;
  /** Whether this pass runs in a quiet store: only then are blocks made (see `walkBlocks`). */
  private quiet = false;

  constructor(private readonly source: PackerSource) {}

  /** A version just written with a value of `length` characters (called on every put: keep cheap). */
  track(kv: StoredKv, length: number): void {
    if (length < MIN_PACKED_LENGTH || this.stopped) return;
    this.pending.push(kv);
    this.written++;
    if (this.timer === undefined && !this.passing) this.schedule();
  }

  /**
   * Packs every tracked value now, however recent, instead of waiting for the background passes
   * (tests; a benchmark's settle step before reading the heap). Returns how many it packed.
   */
  packAll(): number {
    const before = this.stats.packed;
    this.ripe = this.passEnd = this.pending.length;
    this.coldEnd = Infinity;
    const quiet = this.quiet;
    this.quiet = true;
    this.work(Infinity, 1);
    for (const state of this.prefixes.values()) this.blockSuperseded(state);
    this.quiet = quiet;
    this.coldEnd = 0;
    this.trim();
    this.releaseDeflaters();
    return this.stats.packed - before;
  }

  /** The store compacted: members of blocks may have been dropped (the next pass sweeps). */
  compacted(): void {
    if (this.stopped || (this.blocks.length === 0 && ![...this.prefixes.values()].some((p) => p.ready.size > 0))) return;
    this.compactions++;
    if (this.timer === undefined && !this.passing) this.schedule();
  }

  get summary(): PackerStats {
    let blockedValues = 0;
    let blockChars = 0;
    for (const block of this.blocks) {
      if (block.retired) continue;
      blockedValues += block.live;
      blockChars += block.packedLength;
    }
    return {
      ...this.stats,
      backlog: this.pending.length - this.head,
      dictionaries: [...this.prefixes.values()].filter((p) => p.codec).length,
      blocks: this.blocks.filter((b) => !b.retired).length,
      blockedValues,
      blockChars,
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.head = this.ripe = this.passEnd = 0;
    this.cold = [];
    this.coldHead = this.coldEnd = 0;
    this.blocks = [];
    this.sweeping = false;
    this.forgetting = undefined;
    for (const state of this.prefixes.values()) {
      state.ready = new Set();
      state.superseded = [];
      state.walk = undefined;
      state.settling = undefined;
    }
    this.releaseDeflaters();
  }

  private schedule(): void {
    this.timer = setTimeout(this.tick, INTERVAL_MS);
    this.timer.unref();
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.stopped) return;
    const end = this.ripe;
    this.ripe = this.pending.length;
    const busy = performance.eventLoopUtilization(this.loop).utilization > BUSY || this.written > BUSY_WRITES;
    this.loop = performance.eventLoopUtilization();
    this.written = 0;
    this.coldEnd = this.cold.length;
    if (end <= this.head && this.coldHead >= this.coldEnd && !this.sweepDue() && (busy || !this.walkDue(WALK_AFTER))) {
      if (this.pending.length > this.head || this.walkDue(WALK_AFTER)) this.schedule();
      return;
    }
    this.passing = true;
    this.passEnd = Math.max(end, this.head);
    this.quiet = !busy;
    if (busy) {
      this.packFor(BUSY_BUDGET_MS);
      this.endPass();
    } else {
      this.slice();
    }
  };

  /** A quiet store: the whole pass, in slices with a turn of the event loop between them. */
  private readonly slice = (): void => {
    if (this.stopped) return;
    if (!this.packFor(SLICE_MS)) {
      setImmediate(this.slice).unref();
      return;
    }
    this.endPass();
  };

  /** Works on the pass for `ms`; true once the pass is done. */
  private packFor(ms: number): boolean {
    return this.work(performance.now() + ms, WALK_AFTER);
  }

  /**
   * One pass's work until `deadline`, in order: pack the values written before the previous pass,
   * hand the values packed in earlier passes to their prefixes, sweep the blocks after a
   * compaction, make the blocks the cold values fill. True once all of it is done.
   */
  private work(deadline: number, blocksWorth: number): boolean {
    let n = 0;
    const late = () => (++n & 15) === 0 && performance.now() > deadline;
    while (this.head < this.passEnd) {
      this.packOne(this.take());
      if (late()) return false;
    }
    const coldEnd = Math.min(this.coldEnd, this.cold.length);
    while (this.coldHead < coldEnd) {
      const kv = this.cold[this.coldHead];
      this.cold[this.coldHead++] = undefined as unknown as StoredKv;
      if (kv.block === undefined && this.source.isLatest(kv)) this.prefixState(kv.key)?.ready.add(kv);
      if (late()) break;
    }
    const handedOver = this.coldHead >= coldEnd;
    this.trimCold();
    if (!handedOver) return false;
    if (this.sweepDue() && !this.sweep(deadline)) return false;
    if (!this.quiet) return true;
    for (const [prefix, state] of this.prefixes) {
      // What little waits for a block of superseded versions is not worth keeping plain any longer.
      if (state.superseded.length > 0) this.blockSuperseded(state);
      // A walk that began in an earlier pass did not see the keys before where it began: a
      // second one blocks what waits there (a walk from the start leaves less than a block).
      for (let walks = 0; walks < 2 && this.walkWanted(state, blocksWorth); walks++) {
        if (!this.walkBlocks(prefix, state, deadline)) return false;
      }
      if ((state.retirees || state.settling) && !state.walk && !this.settleReady(state, deadline)) return false;
    }
    return true;
  }

  private sweepDue(): boolean {
    return this.sweeping || this.compactions > 0;
  }

  private walkWanted(state: PrefixState, blocksWorth: number): boolean {
    if (state.codec === undefined) return false;
    if (state.walk !== undefined) return true;
    // In the background, a walk waits for a quarter as many values as the blocks hold: each walk
    // adds a run of blocks interleaved with the others in key order (see walkBlocks).
    const wanted = blocksWorth > 1 ? Math.max(state.blockValues * blocksWorth, state.blocked / 4) : state.blockValues;
    return state.ready.size >= wanted;
  }

  /** Whether a quiet pass has blocks to make. */
  private walkDue(blocksWorth: number): boolean {
    for (const state of this.prefixes.values()) if (this.walkWanted(state, blocksWorth)) return true;
    return false;
  }

  /**
   * Makes blocks of `state`'s ready values, walking the prefix's keys in key order: a block holds
   * a run of keys, and a list, which reads in key order, inflates each block once. Blocks of one
   * walk follow each other in key order whatever order the values were written in (names with
   * random suffixes, several bursts), which is why blocks are made in a quiet store only, from
   * whatever waited meanwhile: while a store is busy its cold values wait, packed on their own,
   * and a bring-up of many pods ends up in one key-ordered run of blocks. A walk stops between
   * slices (writes may come in between: a gathered value written again since is left out); the
   * values it gathers at the end that are fewer than a block's worth keep waiting.
   *
   * Later walks (new pods, pods that became cold after the bring-up) make further runs of blocks,
   * interleaved with the earlier ones in key order: a list then moves between as many blocks at
   * once as there are runs, and the inflated blocks kept (value-block.ts) cover MAX_GENERATIONS
   * of them. So every MAX_GENERATIONS walks one is full: it makes blocks of every cold value of
   * the prefix, blocked or not, in one run, and the old blocks go. A background walk waits for
   * a quarter of what the blocks hold (walkWanted), so the values a full walk packs again grow
   * with every walk: over its life a value is deflated about once more.
   */
  private walkBlocks(prefix: string, state: PrefixState, deadline: number): boolean {
    const walk = (state.walk ??= { from: prefix, gathered: [], full: state.generations >= MAX_GENERATIONS });
    const end = prefixEnd(prefix);
    let late = false;
    let visited = 0;
    let last = walk.from;
    this.source.scan(walk.from, end, (kv) => {
      last = kv.key;
      if (state.ready.has(kv) || (walk.full && kv.block !== undefined && kv.version <= MAX_BLOCKED_VERSION)) {
        walk.gathered.push(kv);
        if (walk.gathered.length >= state.blockValues) {
          this.makeBlock(state, walk.gathered.splice(0));
          // A block costs ~1 ms (its values read, 32 KB deflated), and 64 keys can make 8 of them.
          if (performance.now() > deadline) late = true;
        }
      }
      if ((++visited & 63) === 0 && performance.now() > deadline) late = true;
      return !late;
    });
    if (late) {
      walk.from = `${last}\0`; // the next key after the last one visited
      return false;
    }
    state.walk = undefined;
    if (walk.full) {
      this.makeBlock(state, walk.gathered);
      state.generations = 1;
      // The blocks it replaced (the sweep drops them too, where one is under way).
      if (!this.sweeping) this.blocks = this.blocks.filter((b) => !b.retired);
    } else {
      state.generations++;
    }
    // Not done by the deadline: the work loop resumes it (see `work`).
    this.settleReady(state, deadline);
    return true;
  }

  /** A block of `members` (a run of keys), each still its key's newest version; its members leave `ready`. */
  private makeBlock(state: PrefixState, gathered: StoredKv[]): void {
    const members = gathered.filter((kv) => this.source.isLatest(kv));
    if (members.length === 0) return;
    const block = ValueBlock.pack(state.codec!, members, members.map((kv) => kv.value));
    for (const kv of gathered) state.ready.delete(kv);
    if (!block) return;
    for (let i = 0; i < members.length; i++) {
      const old = members[i].block;
      // A full walk moves values out of blocks: the block they leave is done with.
      if (old !== undefined && !old.retired) {
        old.retire();
        state.blocked -= old.live;
      }
      members[i].packIn(block, i);
    }
    state.blocked += members.length;
    this.blocks.push(block);
  }

  /**
   * After a walk (or a sweep), what still waits: values written again since leave (compaction
   * drops them soon, and nothing else would), and values from retired blocks that did not make a
   * new block (fewer than a block's worth) are packed on their own again: waiting in the retired
   * block, they would keep all of its bytes, most of them dead, until their prefix gets new cold
   * values. Up to `deadline`, resumed from where it stopped (many blocks retired by one sweep,
   * after many deletes, leave thousands of values to pack, ~15 µs each): true once done.
   */
  private settleReady(state: PrefixState, deadline: number): boolean {
    const codec = state.codec!;
    const values = (state.settling ??= state.ready.values());
    let n = 0;
    for (let next = values.next(); !next.done; next = values.next()) {
      const kv = next.value;
      if (!this.source.isLatest(kv)) {
        state.ready.delete(kv);
      } else if (kv.block !== undefined && kv.block.retired) {
        const packed = codec.pack(kv.value);
        if (packed !== undefined) kv.pack(codec, packed);
      }
      if ((++n & 15) === 0 && performance.now() > deadline) return false;
    }
    state.settling = undefined;
    state.retirees = false;
    return true;
  }

  /**
   * Lets go of block members compaction dropped; drops a block with none left, and retires one
   * left with half or fewer, its retained members going back to their prefix to be blocked again
   * (they read from the retired block until then). Then forgets waiting values written again.
   */
  private sweep(deadline: number): boolean {
    if (!this.sweeping) {
      this.sweeping = true;
      this.compactions = 0;
      this.sweepAt = this.sweepKept = 0;
      this.forgetting = undefined;
    }
    const blocks = this.blocks;
    while (this.sweepAt < blocks.length) {
      const block = blocks[this.sweepAt++];
      if (block.retired) continue; // replaced by a full walk
      const members = block.members;
      for (let i = 0; i < members.length; i++) {
        const kv = members[i];
        if (kv !== undefined && !this.source.holds(kv)) {
          members[i] = undefined;
          block.live--;
          const state = this.prefixState(kv.key);
          if (state) state.blocked--;
        }
      }
      if (block.live * 2 > block.size) {
        blocks[this.sweepKept++] = block;
      } else {
        for (const kv of block.retire()) {
          const state = kv === undefined ? undefined : this.prefixState(kv.key);
          if (!state) continue;
          state.ready.add(kv!);
          state.retirees = true;
          state.blocked--;
        }
      }
      if ((this.sweepAt & 15) === 0 && performance.now() > deadline) return false;
    }
    if (this.forgetting === undefined) {
      blocks.length = this.sweepKept;
      this.forgetting = [];
      for (const state of this.prefixes.values()) if (!state.walk && state.ready.size > 0) this.forgetting.push({ state, values: state.ready.values() });
    }
    if (!this.forgetWrittenAgain(deadline)) return false;
    this.forgetting = undefined;
    this.sweeping = false;
    return this.compactions === 0 ? true : this.sweep(deadline);
  }

  /**
   * The sweep's last step: forgets values that waited through busy passes and were written again
   * since (compaction may have dropped them, and the wait would keep them alive until the next
   * walk). Sweeps run in busy passes too, and a busy bring-up leaves every cold value of the
   * cluster waiting (600,000 with 150,000 pods): this step stops at the deadline like the rest of
   * the pass and resumes where it was (a Set's iterator survives deletes).
   */
  private forgetWrittenAgain(deadline: number): boolean {
    const forgetting = this.forgetting!;
    let n = 0;
    while (forgetting.length > 0) {
      const { state, values } = forgetting[forgetting.length - 1];
      for (let next = values.next(); !next.done; next = values.next()) {
        if (!this.source.isLatest(next.value)) state.ready.delete(next.value);
        if ((++n & 255) === 0 && performance.now() > deadline) return false;
      }
      forgetting.pop();
    }
    return true;
  }

  private endPass(): void {
    this.passing = false;
    this.trim();
    this.releaseDeflaters();
    this.loop = performance.eventLoopUtilization();
    if (this.pending.length > 0 || this.cold.length > this.coldHead || this.sweepDue() || this.walkDue(WALK_AFTER)) this.schedule();
  }

  private trimCold(): void {
    if (this.coldHead === 0) return;
    this.cold = this.cold.slice(this.coldHead);
    this.coldEnd = Math.max(0, this.coldEnd - this.coldHead);
    this.coldHead = 0;
  }

  private take(): StoredKv {
    const kv = this.pending[this.head];
    this.pending[this.head++] = undefined as unknown as StoredKv; // let compaction free it before the trim
    return kv;
  }

  private trim(): void {
    if (this.head === 0) return;
    this.pending = this.pending.slice(this.head);
    this.ripe = Math.max(0, this.ripe - this.head);
    this.passEnd = Math.max(0, this.passEnd - this.head);
    this.head = 0;
  }

  private packOne(kv: StoredKv): void {
    const text = kv.plainText;
    if (text === undefined || !this.source.holds(kv)) return;
    this.packPlain(kv, text);
    // Its key's superseded versions may all be packed now (this one, or ones packed while they
    // were the newest and written over since): the history may fold.
    this.source.fold(kv.key);
  }

  private packPlain(kv: StoredKv, text: string): void {
    const state = this.prefixState(kv.key);
    if (!state) return;
    if (state.codec) {
      if (state.trial) return this.packOnTrial(state, kv, text);
      if (!this.source.isLatest(kv)) return this.packSuperseded(state, kv, text);
      this.packWith(state.codec, kv, text);
      if (++state.sinceReview >= REVIEW_AFTER && state.codecs < MAX_CODECS && this.source.isLatest(kv) && this.sampled(state, text)) {
        state.trial = { candidate: new ValueCodec(dictionaryOf(state.samples)), current: 0, packed: 0, values: 0 };
        state.samples = [];
        state.sampleChars = 0;
      }
      return;
    }
    state.waiting.push(kv);
    if (!this.source.isLatest(kv) || !this.sampled(state, text)) return;
    state.codec = new ValueCodec(dictionaryOf(state.samples));
    state.codecs = 1;
    const average = state.sampleChars / state.samples.length;
    state.blockValues = Math.max(MIN_BLOCK_VALUES, Math.min(MAX_BLOCK_VALUES, Math.round(BLOCK_CHARS / average)));
    const waiting = state.waiting;
    state.samples = [];
    state.sampleChars = 0;
    state.waiting = [];
    for (const w of waiting) {
      const plain = w.plainText;
      if (plain === undefined || !this.source.holds(w)) continue;
      if (this.source.isLatest(w)) this.packWith(state.codec, w, plain);
      else {
        this.packSuperseded(state, w, plain);
        this.source.fold(w.key);
      }
    }
  }

  /**
   * A superseded version: as a delta against the key's next version if that comes out at most
   * SMALL_DELTA characters (a pod as created, a Lease before a renewal: ~10-15 characters, ~5 µs),
   * in a block of superseded versions of its resource otherwise (`gatherSuperseded`).
   */
  private packSuperseded(state: PrefixState, kv: StoredKv, text: string): void {
    const found = this.deltaFor(kv, text);
    if (found !== undefined && found.delta.length <= SMALL_DELTA) return this.packedAgainst(kv, text, found.base, found.delta);
    this.gatherSuperseded(state, kv);
  }

  /**
   * Superseded versions a short delta does not pack (a pod's ContainerCreating version against its
   * Running one, a node's status before the next) are deflated together, a block's worth at a time
   * in the order they were written (value-block.ts): the versions a burst supersedes are nearly the
   * same text (one template, one status, names and times in sequence), and each refers back to
   * the ones before it. A ContainerCreating pod packs to ~106 characters on its own, held in a
   * string of its own (~128 bytes), and to ~40-70 bytes of a block, its member index a small
   * integer. Such a version is read rarely (a read or watch at an old revision), at the cost of
   * inflating its block. Its members were superseded together and compaction drops them together,
   * and the block goes with the last of them (see `blockSuperseded`).
   */
  private gatherSuperseded(state: PrefixState, kv: StoredKv): void {
    state.superseded.push(kv);
    if (state.superseded.length >= state.blockValues) this.blockSuperseded(state);
  }

  /** A block of the superseded versions `state` gathered that are still retained (fewer than two: packed on their own). */
  private blockSuperseded(state: PrefixState): void {
    const gathered = state.superseded;
    if (gathered.length === 0) return;
    state.superseded = [];
    const codec = state.codec!;
    const members: StoredKv[] = [];
    const texts: string[] = [];
    for (const kv of gathered) {
      const text = kv.plainText;
      if (text === undefined || !this.source.holds(kv)) continue;
      members.push(kv);
      texts.push(text);
    }
    const block = members.length > 1 ? ValueBlock.pack(codec, members, texts) : undefined;
    if (block === undefined) {
      for (let i = 0; i < members.length; i++) {
        this.packWith(codec, members[i], texts[i]);
        this.source.fold(members[i].key);
      }
      return;
    }
    for (let i = 0; i < members.length; i++) {
      members[i].packIn(block, i);
      this.stats.plainChars += texts[i].length;
    }
    for (const kv of members) this.source.fold(kv.key);
    this.stats.packed += members.length;
    this.stats.packedChars += block.packedLength;
    this.stats.supersededBlocks++;
    // Retired from the start: nothing sweeps it or moves its members (a superseded version is
    // never its key's newest again), and it keeps none of them alive. It lives as long as one of
    // them does, until the compactor's round that drops them all.
    block.retire();
  }

  /**
   * `text` (of `kv`, superseded) as a delta against the key's next version, if one as long as a
   * quarter of the text does it and the chain of deltas it would join stays within MAX_CHAIN: a
   * read of a delta reads the version after it, which may be a delta too, and a watch replaying a
   * key's history reads each of its versions. No delta against a tombstone (a deleted key's last
   * version), which has no text.
   */
  private deltaFor(kv: StoredKv, text: string): { base: StoredKv; delta: string } | undefined {
    const found = this.source.successor(kv);
    if (found === undefined) return undefined;
    const base = found.base;
    if (base.version === 0 || found.chain > MAX_CHAIN) return undefined;
    const baseText = base.value;
    const delta = deltaOf(baseText, text, text.length >> 2);
    // Built to give the text back; checked all the same (a few µs): a wrong delta would be silent.
    if (delta === undefined || applyDelta(baseText, delta) !== text) return undefined;
    return { base, delta };
  }

  private packedAgainst(kv: StoredKv, text: string, base: StoredKv, delta: string): void {
    kv.packAgainst(base, delta);
    this.stats.packed++;
    this.stats.deltas++;
    this.stats.plainChars += text.length;
    this.stats.packedChars += delta.length;
  }

  /** Adds a newest version's text to the samples; true once they are enough to learn a dictionary from. */
  private sampled(state: PrefixState, text: string): boolean {
    state.samples.push(text);
    state.sampleChars += text.length;
    return state.sampleChars >= DICTIONARY_CHARS || state.samples.length >= DICTIONARY_SAMPLES;
  }

  /**
   * Packs with the current codec and measures the candidate on the same text; ends the trial after
   * TRIAL_VALUES. Values are packed with the current codec only: one packed with a candidate that
   * then loses would keep it (its dictionary, its zlib stream, its last text) alive for as long as
   * the value lives, and a prefix tries a candidate every REVIEW_AFTER values.
   */
  private packOnTrial(state: PrefixState, kv: StoredKv, text: string): void {
    const trial = state.trial!;
    const current = state.codec!;
    const byCurrent = current.pack(text);
    const byCandidate = trial.candidate.pack(text);
    if (byCurrent !== undefined && byCandidate !== undefined) {
      trial.current += byCurrent.length;
      trial.packed += byCandidate.length;
      trial.values++;
    }
    if (byCurrent !== undefined) this.packed(current, kv, text, byCurrent);
    if (trial.values < TRIAL_VALUES) return;
    state.trial = undefined;
    state.sinceReview = 0;
    if (trial.packed <= trial.current * BETTER) {
      current.releaseDeflater();
      state.codec = trial.candidate;
      state.codecs++;
    } else {
      trial.candidate.releaseDeflater();
    }
  }

  private packWith(codec: ValueCodec, kv: StoredKv, text: string): void {
    const packed = codec.pack(text);
    if (packed !== undefined) this.packed(codec, kv, text, packed);
  }

  private packed(codec: ValueCodec, kv: StoredKv, text: string, packed: string): void {
    kv.pack(codec, packed);
    if (kv.version <= MAX_BLOCKED_VERSION && this.source.isLatest(kv)) this.cold.push(kv);
    this.stats.packed++;
    this.stats.plainChars += text.length;
    this.stats.packedChars += packed.length;
  }

  private prefixState(key: string): PrefixState | undefined {
    const prefix = resourcePrefix(key);
    let state = this.prefixes.get(prefix);
    if (!state && this.prefixes.size < MAX_PREFIXES) {
      state = { codec: undefined, samples: [], sampleChars: 0, waiting: [], codecs: 0, sinceReview: 0, trial: undefined, blockValues: MAX_BLOCK_VALUES, ready: new Set(), retirees: false, superseded: [], settling: undefined, walk: undefined, blocked: 0, generations: 0 };
      this.prefixes.set(prefix, state);
    }
    return state;
  }

  private releaseDeflaters(): void {
    for (const state of this.prefixes.values()) {
      state.codec?.releaseDeflater();
      state.trial?.candidate.releaseDeflater();
    }
  }
}

/** `/registry/pods/` for `/registry/pods/ns/name`: up to the third slash, or the last one. */
export function resourcePrefix(key: string): string {
  let slashes = 0;
  let last = -1;
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) !== 47 /* / */) continue;
    last = i;
    if (++slashes === 3) break;
  }
  return key.slice(0, last + 1);
}

/**
 * The samples one after the other, the newest last (deflate reaches the end of a dictionary with
 * the shortest distances), cut from the front to the length above.
 */
function dictionaryOf(samples: readonly string[]): Buffer {
  const bytes = Buffer.from(samples.join(''), 'utf8');
  const longest = Math.max(...samples.map((s) => Buffer.byteLength(s, 'utf8')));
  const size = Math.min(DICTIONARY_MAX_BYTES, Math.max(DICTIONARY_MIN_BYTES, Math.ceil(longest * 1.25)));
  return bytes.length > size ? Buffer.from(bytes.subarray(bytes.length - size)) : bytes;
}
