import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERR_FORMAT_WRONG, ERR_SUFFIX, Quantity, QuantityParseError, canonicalQuantity, toBytes, toMillicores } from '../../../../src/cluster/api/quantity';

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
  for (const bad of ['', 'abc', '1Gb', '1.2.3', '--1']) assert.throws(() => Quantity.parse(bad), { message: ERR_FORMAT_WRONG }, bad);
  assert.throws(() => Quantity.parse('1Gii'), { message: ERR_SUFFIX });
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
