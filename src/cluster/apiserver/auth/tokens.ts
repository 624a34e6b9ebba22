/**
 * Bearer tokens: random secrets generated on first start and kept in the data directory (mode 0600),
 * so that a restarted server accepts the kubeconfig it wrote before.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserInfo } from '../types';
import { ADMIN, VIEWER } from './identities';
import type { ServiceAccountTokens } from './service-account-tokens';

export interface TokenFile {
  admin: string;
  viewer: string;
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Loads `<dataDir>/tokens.json`, creating it when absent; without a data dir, fresh tokens in memory. */
export function loadOrCreateTokens(dataDir: string | undefined): TokenFile {
  if (dataDir) {
    const file = join(dataDir, 'tokens.json');
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<TokenFile>;
      if (typeof parsed.admin === 'string' && typeof parsed.viewer === 'string') return { admin: parsed.admin, viewer: parsed.viewer };
    }
    const tokens = { admin: newToken(), viewer: newToken() };
    writeFileSync(file, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
    return tokens;
  }
  return { admin: newToken(), viewer: newToken() };
}

export class TokenAuthenticator {
  private readonly entries: { token: Buffer; user: UserInfo }[];

  constructor(tokens: TokenFile, private readonly serviceAccounts?: ServiceAccountTokens) {
    this.entries = [
      { token: Buffer.from(tokens.admin), user: ADMIN },
      { token: Buffer.from(tokens.viewer), user: VIEWER },
    ];
  }

  /** The user for an `Authorization` header value, or undefined when it names no known token. */
  authenticate(authorization: string | undefined): UserInfo | undefined {
    if (!authorization) return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) return undefined;
    const given = Buffer.from(m[1]!);
    for (const entry of this.entries) {
      if (given.length === entry.token.length && timingSafeEqual(given, entry.token)) return entry.user;
    }
    return this.serviceAccounts?.authenticate(m[1]!);
  }
}
