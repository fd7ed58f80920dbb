// Stands in for test/support/fakeAzure/certs.ts in the Node test bundle (see scripts/test-host/build-tests.mjs):
// the fake Azure started inside the extension host must serve the certificate whose CA the host was started
// with (NODE_EXTRA_CA_CERTS), so it reads the CA + leaf the driver wrote to $ASD_FAKE_AZURE_CERT_DIR.
// Without that variable (another runner) it falls back to certificates made in this process.
import * as fs from 'fs';
import * as path from 'path';
import { FAKE_AZURE_DNS_NAMES, testCertificates as generated, type TestCertificates } from '../../../support/fakeAzure/certs';

export { FAKE_AZURE_DNS_NAMES, type TestCertificates };

let cached: TestCertificates | undefined;

export function testCertificates(): TestCertificates {
  const dir = process.env.ASD_FAKE_AZURE_CERT_DIR;
  if (!dir) return generated();
  cached ??= {
    caPem: fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
    dnsNames: FAKE_AZURE_DNS_NAMES,
  };
  return cached;
}
