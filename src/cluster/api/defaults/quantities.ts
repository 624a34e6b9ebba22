/**
 * Resource lists (`{cpu: "1.5", memory: "1024Mi"}`) are decoded into resource.Quantity by
 * kube-apiserver and written back canonical (`1500m`, `1Gi`); text that does not decode fails the
 * whole request with 400 `<Kind> in version "v1" cannot be handled as a <Kind>: <reason>`.
 */
import { badRequest } from '../errors';
import { Quantity, QuantityParseError } from '../quantity';

export function canonicalizeResourceList(list: unknown, kind: string): void {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return;
  const entries = list as Record<string, unknown>;
  for (const [name, value] of Object.entries(entries)) {
    try {
      if (typeof value !== 'string' && typeof value !== 'number') throw new QuantityParseError('quantities must be strings or numbers');
      entries[name] = Quantity.parse(String(value)).toString();
    } catch (err) {
      throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: ${(err as Error).message}`);
    }
  }
}
