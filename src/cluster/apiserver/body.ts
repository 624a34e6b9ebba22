/**
 * Request body decoding with the safety limits of issue 3 §6: bodies are JSON or YAML, at most
 * MAX_BODY_BYTES (the transport stops reading beyond it), nested at most MAX_DEPTH levels, and YAML
 * aliases are bounded so that an alias bomb is rejected instead of expanded.
 */
import { parseDocument } from 'yaml';
import { badRequest, StatusError, unsupportedMediaType } from '../api/errors';

/** kube-apiserver's default --max-request-bytes for JSON/YAML bodies is 3 MiB. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Deeper JSON is refused before parsing (kube-apiserver's json decoder limits depth too). */
export const MAX_DEPTH = 100;
const MAX_YAML_ALIASES = 100;

export const JSON_TYPE = 'application/json';
export const YAML_TYPE = 'application/yaml';
export const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';
export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** The media type of a Content-Type header without parameters, lower case. */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return '';
  const semi = contentType.indexOf(';');
  return (semi >= 0 ? contentType.slice(0, semi) : contentType).trim().toLowerCase();
}

/** Throws 400 when `text` nests arrays/objects deeper than MAX_DEPTH (strings are skipped correctly). */
export function checkJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) throw badRequest(`the request body is nested too deeply: more than ${MAX_DEPTH} levels`);
    } else if (c === 125 || c === 93) depth--;
  }
}

export function parseJson(text: string): unknown {
  checkJsonDepth(text);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function checkValueDepth(value: unknown, depth = 0): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_DEPTH) throw badRequest(`the request body is nested too deeply: more than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) for (const v of value) checkValueDepth(v, depth + 1);
  else for (const k in value as Record<string, unknown>) checkValueDepth((value as Record<string, unknown>)[k], depth + 1);
}

/** Parses YAML (JSON is YAML too) with bounded aliases and depth. */
export function parseYaml(text: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // JSON in a YAML content type (what kubectl sends for apply-patch+yaml): the fast, safe path.
    try {
      return parseJson(text);
    } catch (err) {
      // Flow-style YAML is not always JSON; fall through to the YAML parser.
      if (!(err instanceof StatusError) || err.message.includes('nested too deeply')) throw err;
    }
  }
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
  }
  if (doc.errors.length > 0) throw badRequest(`the request body is not valid YAML: ${doc.errors[0]!.message}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    throw badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
  }
  checkValueDepth(value);
  return value;
}

/**
 * Decodes a request body. `allowed` lists the media types this endpoint takes; anything else is a
 * 415 naming them (protobuf bodies from typed kubectl commands land here: they are not supported yet).
 */
export function decodeBody(raw: Buffer, contentType: string | undefined, allowed: readonly string[]): { value: unknown; mediaType: string } {
  let type = mediaType(contentType);
  if (type === '' && allowed.includes(JSON_TYPE)) type = JSON_TYPE;
  if (!allowed.includes(type)) {
    const err = unsupportedMediaType([...allowed]);
    if (type === PROTOBUF_TYPE) {
      // kubectl's typed commands (create namespace|configmap|secret|deployment, auth can-i) send
      // protobuf and print this message as is: say what works instead.
      err.status.message += ' (Kube Sim does not read protobuf request bodies yet: write a manifest and use "kubectl apply -f" or "kubectl create -f")';
    }
    throw err;
  }
  if (raw.length > MAX_BODY_BYTES) throw badRequest('the request body is too large');
  const text = raw.toString('utf8');
  if (type === YAML_TYPE || type === PATCH_TYPES.apply) return { value: parseYaml(text), mediaType: type };
  return { value: parseJson(text), mediaType: type };
}

/** A key that appears twice in one JSON object, with its path as strict decoding words it. */
export interface DuplicateField {
  /** `metadata.name`, `spec.containers[0].imagePullPolicy`. */
  path: string;
  /** Offset of the repeated key in the text (document order, to interleave with unknown fields). */
  at: number;
}

/**
 * The duplicate keys of a JSON text that JSON.parse accepted (JSON.parse keeps the last silently,
 * as encoding/json does; sigs.k8s.io/json's strict mode reports them). A first pass only answers
 * whether there is any; paths are built only when there is. `firstAt` maps each key path to the
 * offset of its first occurrence.
 */
export function findDuplicateFields(text: string): { duplicates: DuplicateField[]; firstAt: Map<string, number> } | undefined {
  const quick = new JsonKeyScanner(text, false);
  quick.value('');
  if (!quick.found) return undefined;
  const full = new JsonKeyScanner(text, true);
  full.value('');
  return { duplicates: full.duplicates, firstAt: full.firstAt };
}

class JsonKeyScanner {
  pos = 0;
  found = false;
  readonly duplicates: DuplicateField[] = [];
  readonly firstAt = new Map<string, number>();

  constructor(private readonly text: string, private readonly record: boolean) {}

  private ws(): void {
    const t = this.text;
    let c = t.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.pos);
  }

  /** Skips a string starting at pos (at the opening quote); returns its raw contents. */
  private string(): string {
    const t = this.text;
    const start = ++this.pos;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 92) {
        escaped = true;
        this.pos += 2;
      } else if (c === 34 || Number.isNaN(c)) {
        break;
      } else {
        this.pos++;
      }
    }
    const raw = t.slice(start, this.pos);
    this.pos++;
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  value(path: string): void {
    this.ws();
    const c = this.text.charCodeAt(this.pos);
    if (c === 123) this.object(path);
    else if (c === 91) this.array(path);
    else if (c === 34) this.string();
    else {
      const t = this.text;
      let d = c;
      while (!(d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9 || Number.isNaN(d))) d = t.charCodeAt(++this.pos);
    }
  }

  private object(path: string): void {
    this.pos++;
    let seen: Set<string> | undefined;
    let first = true;
    for (;;) {
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 125 || Number.isNaN(c)) {
        this.pos++;
        return;
      }
      if (!first && c === 44) {
        this.pos++;
        this.ws();
      }
      first = false;
      const at = this.pos;
      const key = this.string();
      seen ??= new Set();
      const child = this.record ? (path === '' ? key : `${path}.${key}`) : '';
      if (seen.has(key)) {
        this.found = true;
        if (this.record) this.duplicates.push({ path: child, at });
      } else {
        seen.add(key);
        if (this.record) this.firstAt.set(child, at);
      }
      this.ws();
      this.pos++; // ':'
      this.value(child);
    }
  }

  private array(path: string): void {
    this.pos++;
    let i = 0;
    for (;;) {
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 93 || Number.isNaN(c)) {
        this.pos++;
        return;
      }
      if (i > 0 && c === 44) this.pos++;
      this.value(this.record ? `${path}[${i}]` : '');
      i++;
    }
  }
}

/** The raw body's text when it is JSON (for duplicate-key detection); undefined otherwise. */
export function rawJsonText(rawBody: Buffer | undefined, contentType: string | undefined): string | undefined {
  if (rawBody === undefined || rawBody.length === 0 || rawBody.length > MAX_BODY_BYTES) return undefined;
  const type = mediaType(contentType);
  return type === JSON_TYPE || type === '' ? rawBody.toString('utf8') : undefined;
}
