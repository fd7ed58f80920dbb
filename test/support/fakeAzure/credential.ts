// A static TokenCredential for tests (never DefaultAzureCredential: it probes the managed-identity endpoint).
// Records every getToken call (scopes, tenant) so tests can assert the challenge flow asked for the right thing.

import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';

export interface RecordingCredential extends TokenCredential {
  readonly calls: Array<{ scopes: string[]; tenantId?: string }>;
}

export function staticCredential(token = 'fake-token'): RecordingCredential {
  const calls: Array<{ scopes: string[]; tenantId?: string }> = [];
  return {
    calls,
    async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken> {
      calls.push({ scopes: Array.isArray(scopes) ? [...scopes] : [scopes], ...(options?.tenantId ? { tenantId: options.tenantId } : {}) });
      return { token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000, tokenType: 'Bearer' };
    },
  };
}
