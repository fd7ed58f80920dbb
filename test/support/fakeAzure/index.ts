// Fake Azure for tests: Key Vault data plane + Resource Manager over HTTPS on 127.0.0.1, a CONNECT proxy,
// fault injection and a secret-free request log. See docs/fake-azure.md.

export { FakeAzure, type FakeAzureOptions, type FakeRequestLogEntry, type FaultHandle, type FaultSpec } from './server';
export { FakeAzureProxy, type ProxyLogEntry } from './proxy';
export { createFakeHttpClient, FakeAzureAgent, type FakeHttpClient } from './httpClient';
export { staticCredential, type RecordingCredential } from './credential';
export { testCertificates, FAKE_AZURE_DNS_NAMES, type TestCertificates } from './certs';
export * from './state';
export { ARM_THROTTLE_LIMITS, GRAPH_QUOTA_DEFAULT, formatResetsAfter, type BucketSpec, type GraphQuotaSpec, type ThrottleSpec } from './throttle';
export type { GraphPageQuirk } from './resourceGraph';
export type { FakeCallStats } from './server';
export { seedTenant, tenantSubscriptionId, type SeededTenant, type TenantSpec } from './tenant';
