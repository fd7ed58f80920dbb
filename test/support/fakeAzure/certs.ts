// Test-time TLS material for the fake Azure: a throwaway CA and one leaf certificate whose SANs cover the
// Key Vault and Resource Manager hosts of the public and sovereign clouds, plus localhost / 127.0.0.1.
// Keys come from Node's crypto (fast, native); node-forge only builds and signs the X.509 certificates.
// Generated once per process and cached in memory; nothing is written to disk.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestCertificates {
  /** PEM of the throwaway CA: give it to clients as `ca` (or via NODE_EXTRA_CA_CERTS in a child process). */
  caPem: string;
  /** PEM of the leaf certificate the fake serves. */
  certPem: string;
  /** PEM (PKCS#8) of the leaf's private key. */
  keyPem: string;
  /** DNS names in the leaf's subjectAltName. */
  dnsNames: readonly string[];
}

export const FAKE_AZURE_DNS_NAMES = [
  '*.vault.azure.net',
  '*.vault.azure.cn',
  '*.vault.usgovcloudapi.net',
  'management.azure.com',
  'schema.management.azure.com',
  'management.chinacloudapi.cn',
  'management.usgovcloudapi.net',
  'localhost',
] as const;

let cached: TestCertificates | undefined;

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privatePem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privatePem: privateKey,
  };
}

function serial(): string {
  // Positive, 16 bytes.
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b.toString('hex');
}

/** The CA + leaf for this process (created on first call, ~100 ms). */
export function testCertificates(): TestCertificates {
  if (cached) return cached;
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000);
  const notAfter = new Date(now + 24 * 60 * 60 * 1000);

  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = notAfter;
  const caSubject = [
    { name: 'commonName', value: 'Azure Secure Dev fake Azure test CA (throwaway)' },
    { name: 'organizationName', value: 'azure-secure-dev tests' },
  ];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  const leaf = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'fake-azure.localhost' }]);
  cert.setIssuer(caSubject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...FAKE_AZURE_DNS_NAMES.map((value) => ({ type: 2, value })), { type: 7, ip: '127.0.0.1' }],
    },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  cached = {
    caPem: forge.pki.certificateToPem(caCert),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: leaf.privatePem,
    dnsNames: FAKE_AZURE_DNS_NAMES,
  };
  return cached;
}
