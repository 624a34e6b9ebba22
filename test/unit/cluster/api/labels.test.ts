import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorAsSelector, parseLabelSelector, selectorFromSet } from '../../../../src/cluster/api/labels';

const labels = { app: 'web', tier: 'frontend', env: 'prod' };

test('selectors match as kubectl -l does', () => {
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier=backend', false],
    ['app=web, tier in (frontend)', true],
    ['env in (in,notin,prod)', true],
  ];
  for (const [selector, want] of cases) assert.equal(parseLabelSelector(selector).matches(labels), want, selector);
});

test('numeric gt and lt compare integers', () => {
  assert.equal(parseLabelSelector('n>5').matches({ n: '10' }), true);
  assert.equal(parseLabelSelector('n<5').matches({ n: '10' }), false);
  assert.equal(parseLabelSelector('n>5').matches({ n: 'x' }), false);
});

test('parse errors carry apimachinery\'s wording', () => {
  const cases: [string, string][] = [
    ['component not in (a)', "unable to parse requirement: found 'not', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
  ];
  for (const [selector, message] of cases) assert.throws(() => parseLabelSelector(selector), { message }, selector);
  assert.throws(() => parseLabelSelector('app=-x'), /values\[0\]\[app\]: Invalid value: "-x": a valid label must be an empty string/);
});

test('metav1.LabelSelector: nil selects nothing, empty everything', () => {
  assert.equal(labelSelectorAsSelector(undefined).matches(labels), false);
  assert.equal(labelSelectorAsSelector({}).matches(labels), true);
  const s = labelSelectorAsSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] });
  assert.equal(s.matches(labels), true);
  assert.equal(s.toString(), 'app=web,env in (prod,staging)');
  assert.throws(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }), { message: '"Gt" is not a valid label selector operator' });
  assert.equal(selectorFromSet({ app: 'web' }).matches({ app: 'db' }), false);
});
