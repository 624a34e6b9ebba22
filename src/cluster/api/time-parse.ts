/**
 * metav1.Time's decoding: kube-apiserver reads a Time from JSON with Go's
 * `time.Parse(time.RFC3339, text)`, whose error is the decode error the request fails with (400,
 * `Pod in version "v1" cannot be handled as a Pod: parsing time "x" as "2006-01-02T15:04:05Z07:00":
 * cannot parse "x" as "2006"`). time.Parse is lenient where RFC 3339 is strict: a one-digit hour,
 * a fraction of a second after `,` as after `.`, zone offsets up to 24:60.
 *
 * The layout walked element by element as Go's parse walks it, with Go's messages: `cannot parse
 * <rest> as <element>` for a value that does not fit an element (the rest of the value from
 * there), `<field> out of range`, `extra text`, and the day checked against its month at the end.
 */

const RFC3339 = '2006-01-02T15:04:05Z07:00';

/** The layout's elements, each with the literal text before it. */
const CHUNKS: readonly (readonly [prefix: string, element: string])[] = [['', '2006'], ['-', '01'], ['-', '02'], ['T', '15'], [':', '04'], [':', '05'], ['', 'Z07:00']];

/** Go's message for `time.Parse(time.RFC3339, value)`, or undefined when it parses. */
export function rfc3339ParseError(value: string): string | undefined {
  return isPlainUtc(value) ? undefined : parseError(value);
}

/** Whether time.Parse(time.RFC3339, value) takes it (no message made). */
export function isRfc3339(value: string): boolean {
  // The shortest text it takes is 19 characters long (`2006-01-02T1:04:05Z`), and begins with the date and `T`.
  return isPlainUtc(value) || (value.length >= 19 && hasDate(value) && parseError(value) === undefined);
}

/** `2006-01-02T` at the start, the fields not checked. */
function hasDate(v: string): boolean {
  return isDigit(v, 0) && isDigit(v, 1) && isDigit(v, 2) && isDigit(v, 3) && v.charCodeAt(4) === 45 && isDigit(v, 5) && isDigit(v, 6)
    && v.charCodeAt(7) === 45 && isDigit(v, 8) && isDigit(v, 9) && v.charCodeAt(10) === 84;
}

/**
 * `2006-01-02T15:04:05Z` with every field in range, read in place: what the API server writes and
 * nearly every time a write carries (a status write has several), answered without the walk below.
 */
function isPlainUtc(v: string): boolean {
  if (v.length !== 20 || v.charCodeAt(19) !== 90 /* Z */) return false;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return false;
  for (let i = 0; i < DIGITS_AT.length; i++) if (!isDigit(v, DIGITS_AT[i]!)) return false;
  const year = numAt(v, 0) * 100 + numAt(v, 2);
  const month = numAt(v, 5);
  const day = numAt(v, 8);
  const hour = numAt(v, 11);
  const minute = numAt(v, 14);
  const second = numAt(v, 17);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year) && hour < 24 && minute < 60 && second < 60;
}

const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

function parseError(value: string): string | undefined {
  let rest = value;
  let year = 0;
  let month = 0;
  let day = 0;
  for (const [prefix, element] of CHUNKS) {
    if (!rest.startsWith(prefix)) return cannotParse(value, rest, prefix);
    rest = rest.slice(prefix.length);
    const hold = rest;
    let bad = false;
    let range = '';
    switch (element) {
      case '2006':
        if (rest.length < 4 || !isDigit(rest, 0) || !isDigit(rest, 1) || !isDigit(rest, 2) || !isDigit(rest, 3)) bad = true;
        else { year = Number(rest.slice(0, 4)); rest = rest.slice(4); }
        break;
      case '01':
        if (!(bad = !twoDigits(rest))) { month = num(rest); rest = rest.slice(2); if (month < 1 || month > 12) range = 'month'; }
        break;
      case '02':
        if (!(bad = !twoDigits(rest))) { day = num(rest); rest = rest.slice(2); }
        break;
      case '15': {
        // The hour alone may have one digit.
        if (!isDigit(rest, 0)) { bad = true; break; }
        const width = isDigit(rest, 1) ? 2 : 1;
        const hour = Number(rest.slice(0, width));
        rest = rest.slice(width);
        if (hour >= 24) range = 'hour';
        break;
      }
      case '04':
        if (!(bad = !twoDigits(rest))) { if (num(rest) >= 60) range = 'minute'; rest = rest.slice(2); }
        break;
      case '05': {
        if ((bad = !twoDigits(rest))) break;
        const second = num(rest);
        rest = rest.slice(2);
        if (second >= 60) { range = 'second'; break; }
        // A fraction of a second the layout does not have is taken (after `.` or `,`).
        if (rest.length >= 2 && (rest[0] === '.' || rest[0] === ',') && isDigit(rest, 1)) {
          let n = 2;
          while (isDigit(rest, n)) n++;
          rest = rest.slice(n);
        }
        break;
      }
      default: {
        if (rest[0] === 'Z') { rest = rest.slice(1); break; }
        if (rest.length < 6 || rest[3] !== ':') { bad = true; break; }
        const hours = rest.slice(1, 3);
        const minutes = rest.slice(4, 6);
        const sign = rest[0];
        rest = rest.slice(6);
        bad = !twoDigits(hours) || !twoDigits(minutes);
        // Go compares with > (offsets of 24 hours or 60 minutes are written), on what it read.
        const h = twoDigits(hours) ? num(hours) : 0;
        const m = !bad ? num(minutes) : 0;
        if (h > 24) range = 'time zone offset hour';
        if (m > 60) range = 'time zone offset minute';
        if (sign !== '+' && sign !== '-') bad = true;
      }
    }
    if (range) return `parsing time ${quote(value)}: ${range} out of range`;
    if (bad) return cannotParse(value, hold, element);
  }
  if (rest !== '') return `parsing time ${quote(value)}: extra text: ${quote(rest)}`;
  if (day < 1 || day > daysIn(month, year)) return `parsing time ${quote(value)}: day out of range`;
  return undefined;
}

function cannotParse(value: string, rest: string, element: string): string {
  return `parsing time ${quote(value)} as ${quote(RFC3339)}: cannot parse ${quote(rest)} as ${quote(element)}`;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

function twoDigits(s: string): boolean {
  return isDigit(s, 0) && isDigit(s, 1);
}

/** The two digits at `i`. */
function numAt(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
}

function num(s: string): number {
  return numAt(s, 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The time package's quote: `"` and `\` escaped, control and non-ASCII characters as \x bytes of their UTF-8. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code >= 0x80) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return out + '"';
}
