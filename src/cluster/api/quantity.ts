/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): `100m`, `1.5`, `2Gi`,
 * `500M`, `1e3`. A Quantity is held exactly as a BigInt count of nano-units (finer precision is
 * rounded up, as Kubernetes rounds), plus the format its text used, so that `String()` gives the
 * canonical form kube-apiserver writes back (`1.5` → `1500m`, `1024Mi` → `1Gi`, `1000k` → `1M`).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const QUANTITY_REGEX = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** The decoding error for a malformed quantity (the API server answers 400 with it). */
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_REGEX}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

const NANO = 1_000_000_000n;
/** ParseQuantity's cap of a BinarySI amount (maxAllowed, int64's largest), in nano-units. */
const MAX_BINARY_NANOS = (2n ** 63n - 1n) * NANO;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

export class QuantityParseError extends Error {}

/** unicode.IsSpace: what Go's strings.TrimSpace trims (not U+FEFF, which JavaScript's trim() takes too). */
const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;

/**
 * The text of a quantity as Quantity.UnmarshalJSON parses it: a JSON string's text (or a number's)
 * trimmed of white space, so `" 1 "` is the quantity 1.
 */
export function quantityText(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  // Most texts ("100m", "64Mi") neither begin nor end with white space, or anything beyond ASCII.
  return first > 32 && first < 127 && last > 32 && last < 127 ? value : value.replace(GO_SPACE, '');
}

/** Quantity.parse's results by text, and how many it keeps. */
const parsed = new Map<string, Quantity>();
const PARSED_MAX = 4096;

export class Quantity {
  private constructor(
    /** The value times 10^9. */
    readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  static fromNanos(nanos: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(nanos, format);
  }

  static fromMilli(milli: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(Math.round(milli)) * 1_000_000n, format);
  }

  static fromInt(value: number, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(Math.round(value)) * NANO, format);
  }

  /**
   * Parses like resource.ParseQuantity; throws QuantityParseError with apimachinery's message.
   * The same few texts ("100m", "64Mi") come back on every pod write (defaults, validation, QoS,
   * warnings) and every scheduling pass: results are kept by text (a Quantity is immutable, so one
   * may be shared), up to a bound past which the memo starts over.
   */
  static parse(text: string): Quantity {
    const known = parsed.get(text);
    if (known !== undefined) return known;
    const quantity = Quantity.parseText(text);
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, quantity);
    return quantity;
  }

  /**
   * ParseQuantity's error for `text`, or undefined when it parses: what decoding needs, found
   * without making the value (a power of ten of an exponent up to int32's, which Go never makes).
   */
  static errorOf(text: string): string | undefined {
    if (parsed.has(text)) return undefined;
    try {
      scan(text);
      return undefined;
    } catch (err) {
      if (err instanceof QuantityParseError) return err.message;
      throw err;
    }
  }

  private static parseText(text: string): Quantity {
    const { sign, whole, frac, format, base10Exp, base2Exp } = scan(text);
    if (whole === '' && frac === '') return new Quantity(0n, format);
    // value = (whole.frac) * 10^base10Exp * 2^base2Exp, held as a fraction digits / 10^scale.
    const digits = BigInt(`${whole}${frac}`);
    // Below a nano whatever the digits: rounded up to one (no power of ten of a billion digits made).
    if (base10Exp + whole.length < -9) return new Quantity(digits === 0n ? 0n : sign === '-' ? -1n : 1n, format);
    let numerator = digits * (1n << BigInt(base2Exp)) * NANO;
    let denominator = 10n ** BigInt(frac.length);
    if (base10Exp >= 0) numerator *= 10n ** BigInt(base10Exp);
    else denominator *= 10n ** BigInt(-base10Exp);
    let nanos = numerator / denominator;
    if (numerator % denominator !== 0n) nanos += 1n; // round up, as Kubernetes does below nano precision
    // Only inf.Dec's path reaches past int64, and it caps a binary amount there.
    if (format === 'BinarySI' && nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
    return new Quantity(sign === '-' ? -nanos : nanos, format);
  }

  /** Like parse, but returns undefined for malformed text. */
  static tryParse(text: unknown): Quantity | undefined {
    if (typeof text === 'number') return Number.isFinite(text) ? Quantity.parse(String(text)) : undefined;
    if (typeof text !== 'string') return undefined;
    try {
      return Quantity.parse(text);
    } catch {
      return undefined;
    }
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): number {
    return this.nanos === 0n ? 0 : this.nanos > 0n ? 1 : -1;
  }

  cmp(other: Quantity): number {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.format);
  }

  /** The value in thousandths, rounded up (Quantity.MilliValue): cpu in millicores. */
  milliValue(): number {
    return Number(ceilDiv(this.nanos, 1_000_000n));
  }

  /** The value rounded up to an integer (Quantity.Value): memory in bytes. */
  value(): number {
    return Number(ceilDiv(this.nanos, NANO));
  }

  /** The value as a float (approximate, for display and ratios). */
  asApproximateFloat(): number {
    return Number(this.nanos) / 1e9;
  }

  /** The canonical text kube-apiserver serializes (Quantity.String). */
  toString(): string {
    if (this.nanos === 0n) return '0';
    const negative = this.nanos < 0n;
    const abs = negative ? -this.nanos : this.nanos;
    const sign = negative ? '-' : '';
    const integral = abs % NANO === 0n;
    if (this.format === 'BinarySI' && abs >= 1024n * NANO && integral) {
      let value = abs / NANO;
      let exp = 0;
      while (exp < 60 && value % 1024n === 0n) {
        value /= 1024n;
        exp += 10;
      }
      const suffix = Object.entries(BINARY_SUFFIXES).find(([, e]) => e === exp)?.[0] ?? '';
      return `${sign}${value}${suffix}`;
    }
    // Decimal: the largest exponent (a multiple of 3, from -9) keeping the mantissa an integer.
    let mantissa = abs;
    let exp = -9;
    while (exp < 18 && mantissa % 1000n === 0n) {
      mantissa /= 1000n;
      exp += 3;
    }
    if (this.format === 'DecimalExponent') return `${sign}${mantissa}${exp === 0 ? '' : `e${exp}`}`;
    const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exp)?.[0] ?? '';
    return `${sign}${mantissa}${suffix}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * The parts of a quantity's text as ParseQuantity reads them (sign, digits before and after the
 * point, the suffix's format and exponents), or its error thrown (QuantityParseError).
 */
function scan(text: string): { sign: string; whole: string; frac: string; format: QuantityFormat; base10Exp: number; base2Exp: number } {
  if (text.length === 0) throw new QuantityParseError(ERR_FORMAT_WRONG);
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (!m) throw new QuantityParseError(ERR_FORMAT_WRONG);
  const [, sign = '', whole = '', frac = '', suffix = ''] = m;
  if (!/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix)) throw new QuantityParseError(ERR_FORMAT_WRONG);
  let format: QuantityFormat;
  let base10Exp = 0;
  let base2Exp = 0;
  if (suffix in DECIMAL_SUFFIXES) {
    format = 'DecimalSI';
    base10Exp = DECIMAL_SUFFIXES[suffix]!;
  } else if (suffix in BINARY_SUFFIXES) {
    format = 'BinarySI';
    base2Exp = BINARY_SUFFIXES[suffix]!;
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = 'DecimalExponent';
    // strconv.ParseInt's int64, then converted to int32 as Go converts (wrapping around).
    const exponent = BigInt(suffix.slice(1));
    if (exponent !== BigInt.asIntN(64, exponent)) throw new QuantityParseError(ERR_SUFFIX);
    base10Exp = Number(BigInt.asIntN(32, exponent));
  } else {
    throw new QuantityParseError(ERR_SUFFIX);
  }
  // No digits ("+", "k", ".", "e3") is zero where ParseQuantity's int64 path takes it; where it
  // goes on to inf.Dec (a scale below nano, a binary suffix past Ti), "" is no number.
  if (whole === '' && frac === '' && (base10Exp < -9 || base2Exp >= 50)) throw new QuantityParseError(ERR_NUMERIC);
  return { sign, whole, frac, format, base10Exp, base2Exp };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** Canonical text for a quantity string (unchanged if it does not parse). */
export function canonicalQuantity(text: string): string {
  const q = Quantity.tryParse(text);
  return q ? q.toString() : text;
}

/** cpu in millicores, memory and storage in bytes: what schedulers and kubelets add up. */
export function toMillicores(text: string | undefined): number {
  return text === undefined ? 0 : Quantity.parse(text).milliValue();
}

export function toBytes(text: string | undefined): number {
  return text === undefined ? 0 : Quantity.parse(text).value();
}
