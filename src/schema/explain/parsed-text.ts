/**
 * One parse per text version: hovers, completion and diagnostics on the same text share the yaml
 * package's documents and the line table, so a hover on a 2,000-line file walks a tree instead of
 * parsing again. The cache is keyed by the text itself (an editor passes the same string for a
 * version) and keeps the few most recent texts.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';

export interface ParsedText {
  readonly text: string;
  readonly documents: readonly Document.Parsed[];
  /** Zero-based line and character of an offset. */
  positionAt(offset: number): { line: number; character: number };
  /** Offset of a zero-based line and character (clamped to the text). */
  offsetAt(line: number, character: number): number;
}

const MAX_CACHED = 8;
const cache = new Map<string, ParsedText>();

export function parseText(text: string): ParsedText {
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const parsed = parseUncached(text);
  cache.set(text, parsed);
  if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value as string);
  return parsed;
}

function parseUncached(text: string): ParsedText {
  const lineCounter = new LineCounter();
  const result = parseAllDocuments(text, { lineCounter, keepSourceTokens: false });
  const documents = Array.isArray(result) ? result : [];
  const starts = lineCounter.lineStarts.length > 0 ? lineCounter.lineStarts : [0];
  return {
    text,
    documents,
    positionAt(offset) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo, character: offset - starts[lo] };
    },
    offsetAt(line, character) {
      if (line < 0) return 0;
      if (line >= starts.length) return text.length;
      const next = line + 1 < starts.length ? starts[line + 1] : text.length + 1;
      return Math.min(starts[line] + Math.max(0, character), next - 1, text.length);
    },
  };
}
