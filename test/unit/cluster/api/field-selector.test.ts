import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSupportedFields, parseFieldSelector, unableToFindMessage } from '../../../../src/cluster/api/field-selector';

const pod: Record<string, string> = { 'metadata.name': 'web', 'spec.nodeName': 'node-1', 'status.phase': 'Running' };
const read = (f: string) => pod[f] ?? '';

test('terms are ANDed; = and == are the same; != negates', () => {
  const cases: [string, boolean][] = [
    ['', true],
    ['spec.nodeName=node-1', true],
    ['spec.nodeName==node-1', true],
    ['spec.nodeName!=node-1', false],
    ['spec.nodeName=,status.phase=Running', false],
    ['status.phase!=Pending,metadata.name=web', true],
  ];
  for (const [s, want] of cases) assert.equal(parseFieldSelector(s).matches(read), want, s);
  assert.equal(parseFieldSelector('spec.nodeName=').matches((f) => (f === 'spec.nodeName' ? '' : 'x')), true);
});

test('escaped commas and equals signs stay in the value', () => {
  const s = parseFieldSelector('metadata.name=a\\,b\\=c');
  assert.deepEqual(s.requirements, [{ field: 'metadata.name', operator: '=', value: 'a,b=c' }]);
  assert.equal(s.toString(), 'metadata.name=a\\,b\\=c');
});

test('bad selectors and unsupported fields fail as kube-apiserver says', () => {
  assert.throws(() => parseFieldSelector('nonsense'), { message: "invalid selector: 'nonsense'; can't understand 'nonsense'" });
  assert.throws(() => parseFieldSelector('a=b\\x'), { message: 'invalid field selector: invalid escape sequence: \\x' });
  assert.throws(() => checkSupportedFields(parseFieldSelector('spec.foo=bar'), ['spec.nodeName']), { message: 'field label not supported: spec.foo' });
  assert.doesNotThrow(() => checkSupportedFields(parseFieldSelector('metadata.namespace=x'), []));
  assert.equal(
    unableToFindMessage('', 'v1', 'pods', '', 'spec.foo=bar', 'field label not supported: spec.foo'),
    'Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=bar": field label not supported: spec.foo',
  );
});
