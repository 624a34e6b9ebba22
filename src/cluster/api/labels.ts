/**
 * Label selectors (k8s.io/apimachinery/pkg/labels): the `-l` / `labelSelector` string form with
 * `=`, `==`, `!=`, `in`, `notin`, `key`, `!key`, `>` and `<`, and metav1.LabelSelector
 * ({matchLabels, matchExpressions}). Parse errors carry apimachinery's wording, e.g.
 * `unable to parse requirement: found 'not', expected: in, notin, =, ==, !=, gt, lt`.
 */
import { isQualifiedName, isValidLabelValue } from './validation/names';
import { formatValue } from './field-errors';

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

const BINARY_OPERATORS: Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const UNARY_OPERATORS: Operator[] = ['exists', '!'];

export interface Requirement {
  key: string;
  operator: Operator;
  /** Sorted and de-duplicated, as sets.String keeps them. */
  values: string[];
}

export type Labels = Record<string, string> | undefined | null;

export class SelectorParseError extends Error {}

/** The labels of an object that has none (read only). */
const NO_LABELS: Record<string, string> = Object.freeze({});

/** A parsed selector: every requirement must match (AND). An empty selector matches everything. */
export class LabelSelector {
  constructor(readonly requirements: Requirement[]) {}

  static everything(): LabelSelector {
    return new LabelSelector([]);
  }

  /** labels.Nothing(): what a nil metav1.LabelSelector converts to. */
  static nothing(): LabelSelector {
    const s = new LabelSelector([]);
    s.matchesNothing = true;
    return s;
  }

  private matchesNothing = false;

  empty(): boolean {
    return !this.matchesNothing && this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    if (this.matchesNothing) return false;
    // A loop, not every(): a watch asks this of every event for every watcher with a selector.
    const present = labels ?? NO_LABELS;
    for (const r of this.requirements) if (!requirementMatches(r, present)) return false;
    return true;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

export function requirementMatches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = labels[r.key];
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(value!)) return false;
      const actual = BigInt(value!);
      const bound = BigInt(r.values[0]!);
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${r.values.join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

/** `key: Invalid value: "x": msg` with an empty path prefix, as field.Error prints it. */
function fieldErr(path: string, value: unknown, msg: string): string {
  return `${path}: Invalid value: ${formatValue(value)}: ${msg}`;
}

function aggregate(errs: string[]): string {
  return errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`;
}

/**
 * labels.NewRequirement: validates key, operator arity and values; throws SelectorParseError with
 * the aggregate message.
 */
export function newRequirement(key: string, operator: Operator, values: string[], path = ''): Requirement {
  const errs: string[] = [];
  const at = (child: string) => (path ? `${path}.${child}` : child);
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(fieldErr(at('key'), key, keyErrs.join('; ')));
  const valuesPath = at('values');
  const shownValues = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(`${valuesPath}: Invalid value: ${shownValues}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(`${valuesPath}: Invalid value: ${shownValues}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(`${valuesPath}: Invalid value: ${shownValues}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(`${valuesPath}: Invalid value: ${shownValues}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errs.push(fieldErr(`${valuesPath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default: {
      const supported = [...BINARY_OPERATORS, ...UNARY_OPERATORS].map((o) => JSON.stringify(o)).join(', ');
      errs.push(`${at('operator')}: Unsupported value: ${JSON.stringify(operator)}: supported values: ${supported}`);
    }
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(fieldErr(`${valuesPath}[${i}][${key}]`, v, msgs.join('; ')));
  });
  if (errs.length) throw new SelectorParseError(aggregate(errs));
  return { key, operator, values: [...new Set(values)].sort() };
}

// ---- the string form -------------------------------------------------------------------------

type Token = 'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const KEYWORDS: Record<string, Token> = {
  ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', in: 'in', '<': '<', '!=': '!=', notin: 'notin', '(': '(',
};

const isWhitespace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isSpecial = (c: string) => '=!(),><'.includes(c);

function lex(s: string): { tok: Token; lit: string }[] {
  const items: { tok: Token; lit: string }[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos]!)) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecial(s[pos]!)) {
      let buffer = '';
      let last: { tok: Token; lit: string } | undefined;
      while (pos < s.length && isSpecial(s[pos]!)) {
        buffer += s[pos];
        const tok = KEYWORDS[buffer];
        if (tok) {
          last = { tok, lit: buffer };
          pos++;
        } else if (last) break;
        else pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = '';
    while (pos < s.length && !isSpecial(s[pos]!) && !isWhitespace(s[pos]!)) buffer += s[pos++];
    const tok = KEYWORDS[buffer];
    items.push({ tok: tok ?? 'id', lit: buffer });
  }
}

class Parser {
  private position = 0;
  constructor(private readonly items: { tok: Token; lit: string }[]) {}

  /** In value context the keywords `in` and `notin` are identifiers. */
  private look(values: boolean): { tok: Token; lit: string } {
    const item = this.items[this.position]!;
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'id', lit: item.lit } : item;
  }

  private next(values: boolean): { tok: Token; lit: string } {
    const item = this.look(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.look(true);
      if (tok === 'id' || tok === '!') {
        try {
          requirements.push(this.requirement());
        } catch (err) {
          throw new SelectorParseError(`unable to parse requirement: ${(err as Error).message}`);
        }
        const after = this.next(true);
        if (after.tok === 'end') return requirements;
        if (after.tok === ',') {
          const following = this.look(true);
          if (following.tok !== 'id' && following.tok !== '!') throw new SelectorParseError(`found '${following.lit}', expected: identifier after ','`);
        } else throw new SelectorParseError(`found '${after.lit}', expected: ',' or 'end of string'`);
      } else if (tok === 'end') {
        return requirements;
      } else {
        throw new SelectorParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private requirement(): Requirement {
    let operator: Operator | undefined;
    let item = this.next(true);
    if (item.tok === '!') {
      operator = '!';
      item = this.next(true);
    }
    if (item.tok !== 'id') throw new Error(`found '${item.lit}', expected: identifier`);
    const key = item.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(fieldErr('', key, keyErrs.join('; ')));
    const ahead = this.look(true).tok;
    if (ahead === 'end' || ahead === ',') return newRequirement(key, operator ?? 'exists', []);
    if (operator === '!') return newRequirement(key, '!', []);
    const op = this.next(false);
    const ops: Partial<Record<Token, Operator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
    const parsed = ops[op.tok];
    if (!parsed) throw new Error(`found '${op.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    const values = parsed === 'in' || parsed === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, parsed, values);
  }

  private setValues(): string[] {
    const open = this.next(true);
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.look(true);
    if (tok === ')') {
      this.next(true);
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    if (this.next(true).tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return values;
  }

  private identifiers(): string[] {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.next(true);
      if (tok === 'id') {
        s.add(lit);
        const after = this.look(true);
        if (after.tok === ',') continue;
        if (after.tok === ')') return [...s];
        throw new Error(`found '${after.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (s.size === 0) s.add('');
        const after = this.look(true);
        if (after.tok === ')') {
          s.add('');
          return [...s];
        }
        if (after.tok === ',') {
          this.next(true);
          s.add('');
        }
      } else {
        throw new Error(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private exactValue(): string[] {
    const ahead = this.look(true).tok;
    if (ahead === 'end' || ahead === ',') return [''];
    const { tok, lit } = this.next(true);
    if (tok === 'id') return [lit];
    throw new Error(`found '${lit}', expected: identifier`);
  }
}

/** labels.Parse: the `labelSelector` query parameter. Throws SelectorParseError. */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements = new Parser(lex(text)).parse();
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new LabelSelector(requirements);
}

export interface LabelSelectorRequirementSpec {
  key: string;
  operator: string;
  values?: string[];
}

/** metav1.LabelSelector as it appears in specs (affinity, topology spread, services' selectors use maps). */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementSpec[];
}

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, an empty selector everything.
 * Throws SelectorParseError for an invalid operator or requirement.
 */
export function labelSelectorAsSelector(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (!spec) return LabelSelector.nothing();
  const matchLabels = spec.matchLabels ?? {};
  const expressions = spec.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return LabelSelector.everything();
  const requirements: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) requirements.push(newRequirement(k, '=', [v]));
  const ops: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };
  for (const e of expressions) {
    const op = ops[e.operator];
    if (!op) throw new SelectorParseError(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
    requirements.push(newRequirement(e.key, op, [...(e.values ?? [])]));
  }
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new LabelSelector(requirements);
}

/** A map selector (Service.spec.selector, nodeSelector): every pair must match. Empty matches all. */
export function selectorFromSet(set: Record<string, string> | undefined): LabelSelector {
  return new LabelSelector(Object.entries(set ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, v]) => ({ key, operator: '=' as Operator, values: [v] })));
}
