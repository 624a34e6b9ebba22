/**
 * Field selectors (k8s.io/apimachinery/pkg/fields): `a=b,c!=d,e==f` with backslash escapes, matched
 * through a per-kind accessor. Unknown fields are rejected the way kube-apiserver rejects them:
 * `field label not supported: spec.foo`, inside the list handler's
 * `Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=x": ...`.
 */

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

export class FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}

  static everything(): FieldSelector {
    return new FieldSelector([]);
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  /** The value the selector requires for `field` with `=`, if any (lets a registry narrow a list, e.g. by metadata.name). */
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  /** `read(field)` gives the object's value for a field; every requirement must hold. */
  matches(read: (field: string) => string): boolean {
    for (const r of this.requirements) if ((read(r.field) === r.value) !== (r.operator === '=')) return false;
    return true;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
  }
}

function splitTerms(selector: string): string[] {
  if (!selector) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

export function escapeValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** fields.ParseSelector: the `fieldSelector` query parameter. Throws FieldSelectorError. */
export function parseFieldSelector(selector: string): FieldSelector {
  const parts = splitTerms(selector).sort();
  const requirements: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const split = splitTerm(part);
    if (!split) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const [field, op, rhs] = split;
    requirements.push({ field, operator: op === '!=' ? '!=' : '=', value: unescapeValue(rhs) });
  }
  return new FieldSelector(requirements);
}

/** Every kind supports these; kinds add their own (ResourceDefinition.selectableFields). */
export const METADATA_FIELDS = ['metadata.name', 'metadata.namespace'];

/** Throws `field label not supported: <field>` for a field outside `supported`. */
export function checkSupportedFields(selector: FieldSelector, supported: Iterable<string>): void {
  const known = new Set([...METADATA_FIELDS, ...supported]);
  for (const r of selector.requirements) {
    if (!known.has(r.field)) throw new FieldSelectorError(`field label not supported: ${r.field}`);
  }
}

/**
 * The message of the 400 a list or watch answers when a selector does not parse or names an
 * unsupported field, e.g. `Unable to find "/v1, Resource=pods" that match label selector "",
 * field selector "spec.foo=bar": field label not supported: spec.foo`.
 */
export function unableToFindMessage(group: string, version: string, resource: string, labelSelector: string, fieldSelector: string, cause: string): string {
  return `Unable to find "${group}/${version}, Resource=${resource}" that match label selector "${labelSelector}", field selector "${fieldSelector}": ${cause}`;
}
