/**
 * A version's text as a reverse delta against its successor's: the ranges of the successor's text
 * it shares, and the rest as literal text (git and many MVCC stores keep history the same way).
 * A superseded version differs from the version after it in little: a pod as created is its
 * ContainerCreating version without the kubelet's status and field entry (~13 characters of delta
 * against ~60 deflated on its own), a Lease its next renewal but for the renew time (~25 against
 * ~90). Where a version differs in much (a pod's ContainerCreating status against its Running one),
 * deflating it against its resource's dictionary stays smaller, and the packer keeps that.
 *
 * The delta is a string of operations, each a header and for a copy an offset, as variable-length
 * integers of 7 bits a character (so the string stays one byte a character unless a literal is not):
 * - header = length * 2 + 1, then offset: `length` characters of the successor's text from `offset`;
 * - header = length * 2, then the `length` characters themselves.
 * Offsets and lengths count UTF-16 code units, so any text comes back exactly, lone surrogates too.
 */

/**
 * The longest delta worth making: what a superseded pod, node or Lease deflates to on its own
 * against its resource's dictionary is ~90-160 characters.
 */
const MAX_DELTA = 192;
/** Shorter runs cost more as a copy (2-5 characters) than as literal text. */
const MIN_COPY = 8;
/** How much of the text a resync looks for in the successor. */
const PROBE = 8;
/**
 * Searches of the base (~1 µs each for a pod) before a delta is given up: a text that differs in
 * many places is not worth a delta (a pod's ContainerCreating version against its Running one,
 * ~250 characters, against ~105 deflated on its own), and each literal character may cost one.
 */
const MAX_SEARCHES = 24;
/** Characters between two searches where the first found nothing. */
const SEARCH_STRIDE = 4;

/**
 * `text` as a delta against `base`, or undefined if it would take more than `budget` characters
 * (or MAX_DELTA).
 * Work stops early too: a delta is tried on versions that differ in much, and given up after
 * MAX_SEARCHES searches of `base`.
 */
export function deltaOf(base: string, text: string, budget: number): string | undefined {
  budget = Math.min(budget, MAX_DELTA);
  let out = '';
  let i = 0;
  let j = 0;
  let literalFrom = 0;
  /** Where the last copy ended in the base: searches start there (literal text moves `j` on). */
  let anchor = 0;
  let searches = 0;
  /** No search before this position: the last one, a few characters back, found nothing. */
  let searchFrom = 0;
  const n = text.length;
  while (i < n) {
    let run = common(text, i, base, j);
    // A character changed (a digit of a time, True for False): the text goes on as before after it.
    if (run < MIN_COPY && i >= searchFrom && anchor <= base.length - PROBE && n - i >= PROBE && common(text, i + 1, base, j + 1) < MIN_COPY) {
      // Not the same text here: look for the next characters further on in the base (a new
      // version keeps the order of what it keeps: the kubelet's entries and status come after
      // what the create wrote), nearest first (JSON repeats itself: the nearest is the likely one).
      if (++searches > MAX_SEARCHES) return undefined;
      const at = base.indexOf(text.substr(i, PROBE), anchor);
      if (at >= 0) {
        j = at;
        run = common(text, i, base, j);
      } else {
        // Text the base does not have: searching again at every character of it would cost a
        // search each; a copy found a few characters late costs as many literal characters.
        searchFrom = i + SEARCH_STRIDE;
      }
    }
    if (run >= MIN_COPY || (run > 0 && i + run === n && i === literalFrom)) {
      if (i > literalFrom) out += varint((i - literalFrom) * 2) + text.slice(literalFrom, i);
      out += varint(run * 2 + 1) + varint(j);
      i += run;
      j += run;
      anchor = j;
      literalFrom = i;
    } else {
      // Literal: the next character is tried against the base's next one (a substitution).
      i++;
      j++;
    }
    if (out.length + (i - literalFrom) > budget) return undefined;
  }
  if (i > literalFrom) out += varint((i - literalFrom) * 2) + text.slice(literalFrom, i);
  return out.length <= budget ? out : undefined;
}

/** The text `delta` (from deltaOf) stands for against `base`, as a string of its own (no slice of `base` in it). */
export function applyDelta(base: string, delta: string): string {
  const parts: string[] = [];
  let at = 0;
  while (at < delta.length) {
    let header = 0;
    let shift = 1;
    for (let c = delta.charCodeAt(at++); ; c = delta.charCodeAt(at++)) {
      header += (c & 127) * shift;
      if (c < 128) break;
      shift *= 128;
    }
    const length = Math.floor(header / 2);
    if (header % 2 === 1) {
      let offset = 0;
      shift = 1;
      for (let c = delta.charCodeAt(at++); ; c = delta.charCodeAt(at++)) {
        offset += (c & 127) * shift;
        if (c < 128) break;
        shift *= 128;
      }
      parts.push(base.slice(offset, offset + length));
    } else {
      parts.push(delta.slice(at, at + length));
      at += length;
    }
  }
  // join copies the parts into one new string: the text keeps neither `base` nor `delta` alive.
  return parts.length === 1 ? flat(parts[0]) : parts.join('');
}

/**
 * A copy of `text` that is not a slice of a larger string. Joining one part, or one and empty
 * ones, may give the part itself back (a 35-character slice of a 1 MB string kept all of it),
 * while two non-empty parts are copied; V8 copies slices under 13 characters anyway.
 */
function flat(text: string): string {
  return text.length < 2 ? text : [text.slice(0, 1), text.slice(1)].join('');
}

function common(a: string, i: number, b: string, j: number): number {
  let k = 0;
  const max = Math.min(a.length - i, b.length - j);
  while (k < max && a.charCodeAt(i + k) === b.charCodeAt(j + k)) k++;
  return k;
}

/** `n` (a non-negative integer) as 7-bit characters, low bits first, the high bit set on all but the last. */
export function varint(n: number): string {
  let out = '';
  while (n >= 128) {
    out += String.fromCharCode(128 | (n & 127));
    n = Math.floor(n / 128);
  }
  return out + String.fromCharCode(n);
}
