/**
 * Field validation errors worded as k8s.io/apimachinery/pkg/util/validation/field words them, so that
 * `Pod "x" is invalid: spec.containers[0].image: Required value` reads exactly as on a real cluster.
 */

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError'
  | 'FieldValueTypeInvalid';

const typeText: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

const omitValue = Symbol('omitValue');

export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly badValue: unknown,
    readonly detail: string,
  ) {}

  /** The part after the field path, e.g. `Invalid value: "Foo": must be lowercase`. */
  body(): string {
    let s = typeText[this.type];
    const showValue = this.badValue !== omitValue && ['FieldValueNotFound', 'FieldValueDuplicate', 'FieldValueInvalid', 'FieldValueNotSupported', 'FieldValueTypeInvalid'].includes(this.type);
    if (showValue) s += `: ${formatValue(this.badValue)}`;
    if (this.detail) s += `: ${this.detail}`;
    return s;
  }

  toString(): string {
    return this.field ? `${this.field}: ${this.body()}` : this.body();
  }
}

/** Renders a bad value as Go's `%#v`-ish form used by field errors: strings quoted, numbers bare. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[]${value.length ? 'interface {}' : ''}{${value.map(formatValue).join(', ')}}`;
  return JSON.stringify(value);
}

export const required = (field: string, detail = '') => new FieldError('FieldValueRequired', field, omitValue, detail);
export const invalid = (field: string, value: unknown, detail: string) => new FieldError('FieldValueInvalid', field, value, detail);
export const forbidden = (field: string, detail: string) => new FieldError('FieldValueForbidden', field, omitValue, detail);
export const duplicate = (field: string, value: unknown) => new FieldError('FieldValueDuplicate', field, value, '');
export const notFound = (field: string, value: unknown) => new FieldError('FieldValueNotFound', field, value, '');
export const tooLong = (field: string, maxLength: number) =>
  new FieldError('FieldValueTooLong', field, omitValue, `may not be more than ${maxLength} bytes`);
export const tooMany = (field: string, max: number) => new FieldError('FieldValueTooMany', field, omitValue, `must have at most ${max} items`);
export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  const detail = supported.length ? `supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return new FieldError('FieldValueNotSupported', field, value, detail);
}
export const typeInvalid = (field: string, value: unknown, detail: string) => new FieldError('FieldValueTypeInvalid', field, value, detail);

/**
 * Builds field paths the way field.Path does: `spec.containers[0].image`, `metadata.labels[app]`.
 * The text is made when first asked for: validation makes a path for every field it visits, and
 * reads one only to word an error, which a valid object never has.
 */
export class FieldPath {
  private text: string | undefined;
  /** `kind`: how `part` follows the parent's text (child: `.part`; index or key: `[part]`). */
  private constructor(private readonly parent: FieldPath | undefined, private readonly part: string | number, private readonly kind: 'child' | 'index') {}
  static root(name: string): FieldPath {
    const path = new FieldPath(undefined, name, 'child');
    path.text = name;
    return path;
  }
  child(name: string): FieldPath {
    return new FieldPath(this, name, 'child');
  }
  index(i: number): FieldPath {
    return new FieldPath(this, i, 'index');
  }
  key(k: string): FieldPath {
    return new FieldPath(this, k, 'index');
  }
  toString(): string {
    if (this.text === undefined) {
      const base = this.parent!.toString();
      this.text = this.kind === 'index' ? `${base}[${this.part}]` : base ? `${base}.${this.part}` : String(this.part);
    }
    return this.text;
  }
}
