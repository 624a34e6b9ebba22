/**
 * Service account tokens: a token this server issued authenticates as its service account until
 * it expires on the cluster clock; a forged, altered, foreign-audience or expired one does not;
 * the signing key outlives a restart when there is a data directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../../../src/cluster/clock';
import { API_AUDIENCE, ServiceAccountTokens } from '../../../../../src/cluster/apiserver/auth/service-account-tokens';

const ACCOUNT = { namespace: 'team-a', name: 'builder', uid: '0b7c6d36-1111-4c3e-9d57-2a4f1c0e9a10' };

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

test('a token authenticates as system:serviceaccount:<ns>:<name> with the service account groups and uid', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const tokens = new ServiceAccountTokens(clock);
  const { token, expiresAt } = tokens.issue(ACCOUNT, [API_AUDIENCE], 3600);
  assert.equal(expiresAt, Date.UTC(2026, 0, 1, 1));
  const claims = claimsOf(token);
  assert.deepEqual(tokens.authenticate(token), {
    name: 'system:serviceaccount:team-a:builder',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated'],
    uid: ACCOUNT.uid,
    extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti as string}`] },
  });
  assert.equal(claims.sub, 'system:serviceaccount:team-a:builder');
  assert.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local');
  assert.deepEqual(claims['kubernetes.io'], { namespace: 'team-a', serviceaccount: { name: 'builder', uid: ACCOUNT.uid } });
  assert.equal((claims.exp as number) - (claims.iat as number), 3600);
});

test('a token expires after its expirationSeconds of cluster time', async () => {
  const clock = new ManualClock();
  const tokens = new ServiceAccountTokens(clock);
  const { token } = tokens.issue(ACCOUNT, [API_AUDIENCE], 600);
  await clock.advance(599_000);
  assert.ok(tokens.authenticate(token));
  await clock.advance(1_000);
  assert.equal(tokens.authenticate(token), undefined);
});

test('an altered token, another server\'s token and a token for another audience are refused', () => {
  const clock = new ManualClock();
  const tokens = new ServiceAccountTokens(clock);
  const { token } = tokens.issue(ACCOUNT, [API_AUDIENCE], 3600);
  const [header, , signature] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ ...claimsOf(token), sub: 'system:serviceaccount:kube-system:admin', 'kubernetes.io': { namespace: 'kube-system', serviceaccount: { name: 'admin', uid: 'x' } } })).toString('base64url');
  assert.equal(tokens.authenticate(`${header}.${forged}.${signature}`), undefined);
  assert.equal(new ServiceAccountTokens(clock).authenticate(token), undefined);
  assert.equal(tokens.authenticate(tokens.issue(ACCOUNT, ['vault'], 3600).token), undefined);
  assert.equal(tokens.authenticate('not.a.jwt'), undefined);
  assert.equal(tokens.authenticate('plain-bearer-token'), undefined);
});

test('with a data directory the signing key is kept (mode 0600), so tokens survive a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-sa-'));
  try {
    const clock = new ManualClock();
    const { token } = new ServiceAccountTokens(clock, dir).issue(ACCOUNT, [API_AUDIENCE], 3600);
    assert.equal(statSync(join(dir, 'sa.key')).mode & 0o777, 0o600);
    assert.equal(new ServiceAccountTokens(clock, dir).authenticate(token)?.name, 'system:serviceaccount:team-a:builder');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with the accounts followed, a token dies with its account and a new account of the same name does not revive it', () => {
  const clock = new ManualClock();
  const tokens = new ServiceAccountTokens(clock);
  const accounts = new Map([['team-a/builder', ACCOUNT.uid]]);
  tokens.followAccounts((namespace, name) => accounts.get(`${namespace}/${name}`));
  const { token } = tokens.issue(ACCOUNT, [API_AUDIENCE], 3600);
  assert.equal(tokens.authenticate(token)?.name, 'system:serviceaccount:team-a:builder');
  accounts.delete('team-a/builder');
  assert.equal(tokens.authenticate(token), undefined);
  accounts.set('team-a/builder', '11111111-2222-4333-8444-555555555555');
  assert.equal(tokens.authenticate(token), undefined);
});
