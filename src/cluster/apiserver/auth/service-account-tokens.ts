/**
 * Service account tokens (TokenRequest, `kubectl create token`): JWTs in the shape kube-apiserver
 * issues (iss, sub, aud, iat, nbf, exp, jti, and the `kubernetes.io` claim naming the namespace
 * and the service account), signed ES256 with a key kept in the data directory so that tokens
 * survive a restart. Times are the cluster clock's: a token lives its expirationSeconds of
 * cluster time, as everything else in the simulation does.
 *
 * A token authenticates as `system:serviceaccount:<ns>:<name>` with the groups kube-apiserver
 * gives it, while its service account exists with the uid the token names: as in kube-apiserver, a
 * token dies with its account, and a new account of the same name does not revive it. The accounts
 * are looked up synchronously, from a cache the cluster keeps (`followAccounts`).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../clock';
import type { UserInfo } from '../types';
import { SYSTEM_AUTHENTICATED } from './identities';

/** kube-apiserver's --service-account-issuer, and the audience a token gets when it names none (--api-audiences defaults to the issuer). */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCE = ISSUER;
export const SYSTEM_SERVICE_ACCOUNTS = 'system:serviceaccounts';
const USER_PREFIX = 'system:serviceaccount:';

export interface ServiceAccountRef {
  namespace: string;
  name: string;
  uid: string;
}

export interface IssuedToken {
  token: string;
  /** Cluster time the token stops being accepted, in ms. */
  expiresAt: number;
}

interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  nbf: number;
  sub: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The user a service account's token authenticates as; `jti` names the credential, as kube-apiserver's extra does. */
export function serviceAccountUser(namespace: string, name: string, uid?: string, jti?: string): UserInfo {
  return {
    name: `${USER_PREFIX}${namespace}:${name}`,
    groups: [SYSTEM_SERVICE_ACCOUNTS, `${SYSTEM_SERVICE_ACCOUNTS}:${namespace}`, SYSTEM_AUTHENTICATED],
    ...(uid ? { uid } : {}),
    ...(jti ? { extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti}`] } } : {}),
  };
}

/** The uid of a service account as the cluster knows it now; undefined when there is none. */
export type AccountLookup = (namespace: string, name: string) => string | undefined;

export class ServiceAccountTokens {
  private accountUid: AccountLookup | undefined;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly keyId: string;

  /** Loads `<dataDir>/sa.key` or creates it (mode 0600); without a data dir the key lives in memory. */
  constructor(private readonly clock: Clock, dataDir?: string) {
    const file = dataDir ? join(dataDir, 'sa.key') : undefined;
    if (file && existsSync(file)) {
      this.privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    } else {
      this.privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      if (file) writeFileSync(file, this.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    }
    this.publicKey = createPublicKey(this.privateKey);
    // As kube-apiserver: the key id is the SHA-256 of the public key, so verifiers can pick the key.
    this.keyId = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('base64url');
  }

  /** From now on a token is accepted only while its account exists with the uid it names. */
  followAccounts(lookup: AccountLookup): void {
    this.accountUid = lookup;
  }

  issue(account: ServiceAccountRef, audiences: string[], expirationSeconds: number): IssuedToken {
    const now = Math.floor(this.clock.now() / 1000);
    const claims: Claims = {
      aud: audiences, exp: now + expirationSeconds, iat: now, iss: ISSUER, jti: randomUUID(), nbf: now,
      sub: `${USER_PREFIX}${account.namespace}:${account.name}`,
      'kubernetes.io': { namespace: account.namespace, serviceaccount: { name: account.name, uid: account.uid } },
    };
    const signingInput = `${b64url({ alg: 'ES256', kid: this.keyId })}.${b64url(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${signingInput}.${signature.toString('base64url')}`, expiresAt: claims.exp * 1000 };
  }

  /** The user for a token this server issued for the API's audience and that has not expired; else undefined. */
  authenticate(token: string): UserInfo | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const ok = verify('sha256', Buffer.from(`${header}.${payload}`), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
    if (!ok) return undefined;
    let claims: Partial<Claims>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Claims>;
    } catch {
      return undefined;
    }
    const now = this.clock.now() / 1000;
    if (claims.iss !== ISSUER || !Array.isArray(claims.aud) || !claims.aud.includes(API_AUDIENCE)) return undefined;
    if (typeof claims.exp !== 'number' || now >= claims.exp || (typeof claims.nbf === 'number' && now < claims.nbf)) return undefined;
    const k8s = claims['kubernetes.io'];
    if (!k8s || typeof k8s.namespace !== 'string' || typeof k8s.serviceaccount?.name !== 'string') return undefined;
    if (this.accountUid && this.accountUid(k8s.namespace, k8s.serviceaccount.name) !== k8s.serviceaccount.uid) return undefined;
    return serviceAccountUser(k8s.namespace, k8s.serviceaccount.name, k8s.serviceaccount.uid, typeof claims.jti === 'string' ? claims.jti : undefined);
  }
}
