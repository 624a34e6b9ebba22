/**
 * How objects sit in the store (cluster contract): JSON text under `/registry/<resource>/<ns>/<name>`,
 * with `metadata.resourceVersion` left out; the resourceVersion is the key's modRevision, added on
 * the way out (as etcd3 storage does in kube-apiserver). Stored text always begins
 * `{"apiVersion":…,"kind":…,"metadata":{` so the resourceVersion can be spliced into the text
 * without parsing it: reads that need no filtering never decode the object.
 */
import type { KeyValue } from '../../store/types';
import type { KubeObject } from '../../api/types';
import { handleOf } from './handle';

const METADATA = '"metadata":{';

/** The stored text for an object (its resourceVersion dropped, apiVersion/kind/metadata first). */
export function encodeObject(object: KubeObject, apiVersion: string, kind: string): string {
  return flatText(JSON.stringify(storedShape(object, apiVersion, kind)));
}

/**
 * `text` as one flat string. V8's JSON.stringify returns a large result as a rope of the pieces it
 * built (a ConsString), which held takes ~8% more memory than the flat string (~300 bytes for a
 * Running pod); the store holds stored text for good, and nothing else (a parse, a slice) may
 * flatten it first. A regular expression flattens its subject in place (this one fails at once on
 * JSON text). Number(text) did for JSON.stringify's ropes but not for ropes of concatenated pieces
 * (spec-text.ts builds some): measured, 40,000 such 1.1 KB texts held ~1,770 bytes each after it,
 * ~1,130 after this.
 */
export function flatText(text: string): string {
  NEVER_AT_START.test(text);
  return text;
}

const NEVER_AT_START = /^\u0001/;

/** What the stored text is the JSON of (a shallow view: nested values are the object's own). */
export function storedShape(object: KubeObject, apiVersion: string, kind: string): KubeObject {
  // Rest patterns, though V8 makes them slowly: the shape becomes the shared object of the write
  // (written.ts), which may live long. A member-by-member copy was tried; with it (and a larger
  // cache of entry times) the scaled kubelet bench read ~0.4 KiB a pod more heap, so it was undone.
  const { resourceVersion: _rv, ...metadata } = object.metadata;
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = object;
  return { apiVersion, kind, metadata, ...rest };
}

/**
 * Stored text with members appended to its metadata: `members` is their JSON, each preceded by a
 * comma (`,"a":1,"b":"x"`). What JSON.stringify gives for the stored shape with those members added
 * last to its metadata, found by a scan for the end of the metadata instead of a serialization of
 * the whole object. Undefined when the text does not begin as stored text does.
 */
export function withMetadataMembers(text: string, members: string): string | undefined {
  const { end } = metadataBounds(text);
  if (end < 0) return undefined;
  // An empty metadata gets the members without the first comma.
  const added = text.charCodeAt(end - 1) === 123 /* { */ ? members.slice(1) : members;
  return flatText(text.slice(0, end) + added + text.slice(end));
}

/**
 * Stored text whose metadata ends with the members `last` (their JSON, each preceded by a comma)
 * with those replaced by `members`: what JSON.stringify gives for the stored shape with those
 * members' values changed in place. Undefined unless the metadata ends exactly so.
 */
export function withMetadataTail(text: string, last: string, members: string): string | undefined {
  const { open, end } = metadataBounds(text);
  if (end < 0 || end - last.length <= open + 1 || !text.startsWith(last, end - last.length)) return undefined;
  return flatText(text.slice(0, end - last.length) + members + text.slice(end));
}

/** Where stored text's metadata object opens and closes (its braces); end -1 when the text does not begin as stored text does. */
function metadataBounds(text: string): { open: number; end: number } {
  const i = text.indexOf(METADATA);
  if (i < 0) return { open: -1, end: -1 };
  const open = i + METADATA.length - 1;
  return { open, end: closingBracket(text, open) };
}

/** The index of the bracket that closes the object or array opening at `open` in JSON text, or -1. */
export function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // To the quote that ends the string: the first one after an even number of backslashes.
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q < 0) return -1;
        let b = q - 1;
        while (text.charCodeAt(b) === 92 /* \ */) b--;
        i = q;
        if ((q - 1 - b) % 2 === 0) break;
      }
    } else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (--depth === 0) return i;
    }
  }
  return -1;
}

/** The stored text with `metadata.resourceVersion` set to `revision`. */
export function withResourceVersion(text: string, revision: number): string {
  const i = text.indexOf(METADATA);
  if (i < 0) return text;
  const j = i + METADATA.length;
  const sep = text.charCodeAt(j) === 125 /* } */ ? '' : ',';
  return `${text.slice(0, j)}"resourceVersion":"${revision}"${sep}${text.slice(j)}`;
}

/** Decodes a stored key-value into an object that carries its resourceVersion. */
export function decodeKv(kv: KeyValue): KubeObject {
  const object = JSON.parse(kv.value) as KubeObject;
  object.metadata.resourceVersion = String(kv.modRevision);
  return object;
}

/**
 * A JSON body already serialized: the HTTPS transport writes its bytes as they are, the in-process
 * one parses it. Read-only once made: a RawJson may be shared by many responses (see served-cache.ts).
 */
export class RawJson {
  private encoded: Buffer | undefined;
  private source: string | Buffer | (() => string);
  /**
   * The body as the registry's shared objects (read-only, each with its handle: see handle.ts), for
   * an in-process caller that asks for them instead of a parse of its own (an informer's list).
   */
  shared: (() => unknown) | undefined;
  /**
   * A caller-owned object equal to what `parse` gives (members in the same order), made without
   * parsing the text, or undefined when there is none to be had: in process, a copy of the
   * registry's decoded object of the same revision while that is alive (see RegistryStore.servedCopy).
   */
  copy: (() => unknown) | undefined = undefined;

  /** A function is called for the text when it is first needed (an in-process write's answer that nobody reads never is). */
  constructor(source: string | Buffer | (() => string)) {
    this.source = source;
  }

  get text(): string | Buffer {
    if (typeof this.source === 'function') this.source = this.source();
    return this.source;
  }

  /** The UTF-8 bytes of the text, encoded on first use and kept (a shared body is encoded once). */
  get bytes(): Buffer {
    if (this.encoded === undefined) {
      const text = this.text;
      this.encoded = typeof text === 'string' ? Buffer.from(text) : text;
    }
    return this.encoded;
  }

  parse(): unknown {
    const copied = this.copy?.();
    if (copied !== undefined) return copied;
    const text = this.text;
    return JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  }
}

let lastSecond = { at: NaN, text: '' };
let microAt = NaN;
let microText = '';
/** The second `microPrefix` stands for, and its text up to the fraction (`2026-01-01T00:00:00.`). */
let microSecond = NaN;
let microPrefix = '';

/**
 * RFC 3339 with second precision, as metav1.Time serializes (`2026-01-01T00:00:00Z`). The last
 * answer is kept: a burst of writes stamps the same second (or, below, millisecond) again and again.
 */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond.at) lastSecond = { at: second, text: new Date(second * 1000).toISOString().replace('.000Z', 'Z') };
  return lastSecond.text;
}

/**
 * metav1.MicroTime (`2026-01-01T00:00:00.123000Z`). Every request is stamped so (the audit log):
 * the date is formatted once a second, each millisecond only appends its digits.
 */
export function rfc3339Micro(ms: number): string {
  if (ms === microAt) return microText;
  // As new Date(ms) does: the time is truncated to whole milliseconds.
  const whole = Math.trunc(ms);
  const second = Math.floor(whole / 1000);
  if (second !== microSecond) {
    const iso = new Date(second * 1000).toISOString();
    microPrefix = iso.slice(0, iso.length - 4);
    microSecond = second;
  }
  const milli = whole - second * 1000;
  microAt = ms;
  microText = `${microPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}000Z`;
  return microText;
}

/**
 * The `metadata` object of stored text, as JSON text with `resourceVersion` set, found by scanning
 * (strings skipped) rather than parsing: Table rows of large lists carry every object's metadata.
 */
export function metadataText(text: string, revision: number): string {
  const i = text.indexOf(METADATA);
  if (i < 0) return `{"resourceVersion":"${revision}"}`;
  const start = i + METADATA.length - 1;
  let depth = 0;
  let inString = false;
  let end = text.length - 1;
  for (let k = start; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (inString) {
      if (c === 92 /* \ */) k++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
    else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (--depth === 0) {
        end = k;
        break;
      }
    }
  }
  const body = text.slice(start + 1, end);
  return `{"resourceVersion":"${revision}"${body.length > 0 ? ',' : ''}${body}}`;
}

/** The JSON text of a shared object, from its stored text (watch streams write one per watcher; see handle.ts). */
export function servedJsonOf(object: object): string | undefined {
  const handle = handleOf(object);
  return handle !== undefined && handle.storedAsServed ? withResourceVersion(handle.kv.value, handle.kv.modRevision) : undefined;
}
