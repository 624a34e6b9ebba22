import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  nameIsDNSSubdomain,
} from '../../../../../src/cluster/api/validation/names';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test('DNS-1123 subdomains: valid names pass, others get apimachinery\'s message', () => {
  for (const ok of ['nginx', 'a.b-c', '0', 'x'.repeat(253)]) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
  assert.deepEqual(isDNS1123Subdomain('Nginx'), [SUBDOMAIN_MSG]);
  assert.deepEqual(isDNS1123Subdomain('-a'), [SUBDOMAIN_MSG]);
  assert.deepEqual(isDNS1123Subdomain('x'.repeat(254)), ['must be no more than 253 characters']);
});

test('DNS-1123 labels: dots get their own message, the example list has Go\'s double space', () => {
  assert.deepEqual(isDNS1123Label('web'), []);
  assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
  assert.deepEqual(isDNS1123Label('My_Container'), [LABEL_MSG]);
  assert.deepEqual(isDNS1123Label('x'.repeat(64)), ['must be no more than 63 characters']);
});

test('DNS-1035 labels must start with a letter (service names)', () => {
  assert.deepEqual(isDNS1035Label('web'), []);
  assert.equal(isDNS1035Label('1web').length, 1);
  assert.match(isDNS1035Label('1web')[0]!, /^a DNS-1035 label must consist of/);
});

test('qualified names: prefix and name parts are checked separately', () => {
  const cases: [string, string[]][] = [
    ['app', []],
    ['example.com/My_name.1', []],
    ['/app', ['prefix part must be non-empty']],
    ['example.com/', ['name part must be non-empty', "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]],
  ];
  for (const [value, want] of cases) assert.deepEqual(isQualifiedName(value), want, value);
  assert.match(isQualifiedName('a/b/c')[0]!, /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  assert.match(isQualifiedName('Bad_Prefix/x')[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
});

test('label values may be empty but not start with a symbol', () => {
  assert.deepEqual(isValidLabelValue(''), []);
  assert.deepEqual(isValidLabelValue('v1.2_3'), []);
  assert.match(isValidLabelValue('-x')[0]!, /^a valid label must be an empty string or consist of alphanumeric/);
  assert.deepEqual(isValidLabelValue('x'.repeat(64)), ['must be no more than 63 characters']);
});

test('config keys and port names', () => {
  assert.deepEqual(isConfigMapKey('app.properties'), []);
  assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
  assert.match(isConfigMapKey('a/b')[0]!, /^a valid config key must consist of alphanumeric characters, '-', '_' or '\.'/);
  assert.deepEqual(isValidPortName('http'), []);
  assert.deepEqual(isValidPortName('8080'), ['must contain at least one letter (a-z)']);
  assert.deepEqual(isValidPortName('a--b'), ['must not contain consecutive hyphens']);
});

test('generateName may end with a dash', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.deepEqual(nameIsDNSSubdomain('web-', false), [SUBDOMAIN_MSG]);
});

test('lengths are counted in UTF-8 bytes, as Go counts them, on either side of a limit', () => {
  const tooLong = 'must be no more than 63 characters';
  // é is two bytes, € three: 31 é are 62 bytes, 32 are 64; 21 € are 63, 22 are 66.
  assert.ok(!isValidLabelValue('é'.repeat(31)).includes(tooLong));
  assert.ok(isValidLabelValue('é'.repeat(32)).includes(tooLong));
  assert.ok(!isValidLabelValue('€'.repeat(21)).includes(tooLong));
  assert.ok(isValidLabelValue('€'.repeat(22)).includes(tooLong));
  assert.ok(!isValidLabelValue('a'.repeat(63)).includes(tooLong));
  assert.ok(isValidLabelValue('a'.repeat(64)).includes(tooLong));
  // 😀 is two UTF-16 units and four bytes: 16 are 64 bytes in 32 units.
  assert.ok(isValidLabelValue('😀'.repeat(16)).includes(tooLong));
  assert.deepEqual(isDNS1123Subdomain(`${'a'.repeat(250)}.€`).filter((e) => e.startsWith('must be no more')), ['must be no more than 253 characters']);
});

test('(seeded) the length check agrees with Buffer.byteLength for names of mixed widths around every limit, lone surrogates too', () => {
  let state = 7;
  const rand = () => ((state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
  // One to four UTF-8 bytes, and a lone surrogate (three bytes: U+FFFD, as Go decodes it from JSON).
  const units = ['a', 'é', '€', '😀', '\ud800'];
  const limits: [number, (s: string) => string[], string][] = [
    [63, isDNS1123Label, 'must be no more than 63 characters'],
    [253, isDNS1123Subdomain, 'must be no more than 253 characters'],
    [63, isValidLabelValue, 'must be no more than 63 characters'],
    [63, (s) => isQualifiedName(s), 'name part must be no more than 63 characters'],
    [253, isConfigMapKey, 'must be no more than 253 characters'],
  ];
  for (let i = 0; i < 4000; i++) {
    const [max, check, message] = limits[i % limits.length]!;
    const target = Math.floor(max / 4) + Math.floor(rand() * (max - Math.floor(max / 4) + 8));
    // Each name draws from its own mix of widths (all one width now and then), so that every ratio of bytes to units is met.
    const mix = units.filter(() => rand() < 0.5);
    if (mix.length === 0) mix.push(units[Math.floor(rand() * units.length)]!);
    let s = '';
    while (Buffer.byteLength(s, 'utf8') < target) s += mix[Math.floor(rand() * mix.length)]!;
    assert.equal(check(s).includes(message), Buffer.byteLength(s, 'utf8') > max, `${JSON.stringify(s)} (${s.length} units, ${Buffer.byteLength(s, 'utf8')} bytes)`);
  }
});
