/**
 * Resource lists (`{cpu: "1.5", memory: "1024Mi"}`) are decoded into resource.Quantity by
 * kube-apiserver and written back canonical (`1500m`, `1Gi`); text that does not decode fails the
 * whole request with 400 `<Kind> in version "v1" cannot be handled as a <Kind>: <reason>`.
 */
import { badRequest } from '../errors';
import { Quantity, QuantityParseError, quantityText } from '../quantity';

export function canonicalizeResourceList(list: unknown, kind: string): void {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return;
  const entries = list as Record<string, unknown>;
  for (const [name, value] of Object.entries(entries)) {
    try {
      if (typeof value !== 'string' && typeof value !== 'number') throw new QuantityParseError('quantities must be strings or numbers');
      entries[name] = canonical(quantityText(value));
    } catch (err) {
      throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${(err as Error).message}`);
    }
  }
}

/**
 * Canonical spellings already computed: every pod of a workload asks for the same few quantities,
 * and defaulting runs more than once per write. Bounded; a quantity that fails to parse is not kept.
 */
const canonicalSpellings = new Map<string, string>();
const MAX_CANONICAL_SPELLINGS = 4096;

function canonical(text: string): string {
  let out = canonicalSpellings.get(text);
  if (out === undefined) {
    out = Quantity.parse(text).toString();
    if (canonicalSpellings.size >= MAX_CANONICAL_SPELLINGS) canonicalSpellings.clear();
    canonicalSpellings.set(text, out);
  }
  return out;
}
