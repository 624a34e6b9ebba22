import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_FORMAT_WRONG, ERR_NUMERIC, ERR_SUFFIX, Quantity, QuantityParseError, canonicalQuantity, toBytes, toMillicores } from '../../../../src/cluster/api/quantity';
import { seededRandom } from '../../../../src/cluster/scheduler/schedule-one';

test('canonical forms are what kube-apiserver writes back', () => {
  const cases: [string, string][] = [
    ['100m', '100m'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['2', '2'],
    ['2000m', '2'],
    ['1000', '1k'],
    ['1000k', '1M'],
    ['500M', '500M'],
    ['2Gi', '2Gi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['512', '512'],
    ['1e3', '1e3'],
    ['1.5e3', '1500'],
    ['0', '0'],
    ['-1', '-1'],
    ['0.5n', '1n'],
    ['128974848', '128974848'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
});

test('cpu in millicores and memory in bytes round up', () => {
  assert.equal(toMillicores('250m'), 250);
  assert.equal(toMillicores('1.5'), 1500);
  assert.equal(toMillicores('0.0001'), 1);
  assert.equal(toBytes('1Ki'), 1024);
  assert.equal(toBytes('1.5M'), 1_500_000);
  assert.equal(toBytes('100m'), 1);
});

test('quantities compare by value whatever their text', () => {
  assert.equal(Quantity.parse('1').cmp(Quantity.parse('1000m')), 0);
  assert.equal(Quantity.parse('1Gi').cmp(Quantity.parse('1G')), 1);
  assert.equal(Quantity.parse('500m').cmp(Quantity.parse('0.6')), -1);
  assert.equal(Quantity.parse('1').add(Quantity.parse('500m')).toString(), '1500m');
});

test('malformed quantities fail with apimachinery\'s messages', () => {
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  for (const bad of ['', 'abc', '1Gb', '1.2.3']) assert.throws(() => Quantity.parse(bad), { message: ERR_FORMAT_WRONG }, bad);
  assert.throws(() => Quantity.parse('1Gii'), { message: ERR_SUFFIX });
  // The scanner reads "-1" after the sign as a suffix.
  assert.throws(() => Quantity.parse('--1'), { message: ERR_SUFFIX });
  assert.equal(Quantity.tryParse('nope'), undefined);
});

test('parsing a text again gives the same quantity, and malformed text throws every time', () => {
  for (let i = 0; i < 3; i++) {
    assert.equal(Quantity.parse('64Mi').toString(), '64Mi');
    assert.equal(Quantity.parse('100m').cmp(Quantity.fromMilli(100)), 0);
    assert.throws(() => Quantity.parse('1.2.3'), QuantityParseError);
  }
  // Past the memo's bound results stay right.
  for (let i = 0; i < 5000; i++) assert.equal(Quantity.parse(`${i}m`).cmp(Quantity.fromMilli(i)), 0);
  assert.equal(Quantity.parse('64Mi').toString(), '64Mi');
});

test('ParseQuantity takes texts without digits as zero, wraps an exponent to int32, rounds below a nano up and caps binary amounts', () => {
  const cases: [string, string][] = [
    ['+', '0'], ['-', '0'], ['k', '0'], ['Mi', '0'], ['e3', '0'], ['+.', '0'], ['-0', '0'], ['n', '0'], ['Ti', '0'],
    // int32(1<<32) is 0; int32(1<<63-1) is -1.
    ['1e4294967296', '1'], ['1e9223372036854775807', '100e-3'],
    ['1e-20', '1e-9'], ['-1e-20', '-1e-9'], ['1e-2147483648', '1e-9'], ['0e-2147483648', '0'],
    ['8Ei', '9223372036854775807'], ['-8Ei', '-9223372036854775807'],
  ];
  for (const [text, canonical] of cases) assert.equal(Quantity.parse(text).toString(), canonical, text);
  const refused: [string, string][] = [
    ['Pi', ERR_NUMERIC], ['+Ei', ERR_NUMERIC], ['e-10', ERR_NUMERIC], ['.u', '0'],
    ['1e9223372036854775808', ERR_SUFFIX], ['x', ERR_FORMAT_WRONG], ['', ERR_FORMAT_WRONG],
  ];
  for (const [text, message] of refused) {
    if (message === '0') { assert.equal(Quantity.parse(text).toString(), '0', text); continue; }
    assert.throws(() => Quantity.parse(text), (err: Error) => err instanceof QuantityParseError && err.message === message, text);
  }
});

/**
 * Which of ParseQuantity's answers (taken, or which error) a text gets, by the steps of its scanner
 * and of the int64 and inf.Dec paths that decide whether a number is needed: written from the Go
 * source's structure, to check Quantity.parse over texts of the grammar's characters.
 */
function goOutcome(str: string): string {
  if (str === '') return ERR_FORMAT_WRONG;
  if (str === '0') return 'ok';
  let pos = str[0] === '+' || str[0] === '-' ? 1 : 0;
  const digitsFrom = (at: number) => { let i = at; while (i < str.length && str[i]! >= '0' && str[i]! <= '9') i++; return i; };
  const numEnd = digitsFrom(pos);
  let digits = numEnd - pos;
  pos = numEnd;
  if (str[pos] === '.') { const end = digitsFrom(pos + 1); digits += end - pos - 1; pos = end; }
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos]!)) pos++;
  if (str[pos] === '+' || str[pos] === '-') pos++;
  if (digitsFrom(pos) !== str.length) return ERR_FORMAT_WRONG;
  const suffix = str.slice(suffixStart);
  const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
  const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
  let slow: boolean;
  if (suffix in decimal) slow = decimal[suffix]! < -9;
  else if (suffix in binary) slow = 13 - Math.trunc((binary[suffix]! * 3) / 10) < 0;
  else if (/^[eE][-+]?[0-9]+$/.test(suffix)) slow = BigInt.asIntN(32, BigInt(suffix.slice(1))) < -9n;
  else return ERR_SUFFIX;
  // Without digits the int64 path takes it as 0; inf.Dec's needs a digit.
  return digits === 0 && slow ? ERR_NUMERIC : 'ok';
}

test('Quantity.parse takes and refuses what ParseQuantity does, over a seeded set of texts of its grammar', () => {
  const rand = seededRandom(1126);
  const pieces = ['+', '-', '0', '1', '7', '.', 'e', 'E', 'i', 'm', 'k', 'K', 'M', 'G', 'P', 'T', 'n', 'u', 'Ki', 'Mi', 'Pi', 'Ei', '12', 'x', ' '];
  let taken = 0;
  for (let n = 0; n < 20_000; n++) {
    let text = '';
    const length = Math.floor(rand() * 6);
    for (let i = 0; i < length; i++) text += pieces[Math.floor(rand() * pieces.length)];
    let outcome = 'ok';
    try {
      Quantity.parse(text);
    } catch (err) {
      outcome = (err as Error).message;
    }
    assert.equal(outcome, goOutcome(text), JSON.stringify(text));
    if (outcome === 'ok') taken++;
  }
  assert.ok(taken > 2_000, `${taken} texts taken`);
});
