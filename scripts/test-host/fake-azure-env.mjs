// The fake Azure wiring shared by the integration driver (Node host) and the UI check: what code-server (and so
// the Node extension host it spawns) needs to reach test/support/fakeAzure through the REAL Azure SDK clients,
// with no test-only code path in the extension:
//   NODE_EXTRA_CA_CERTS  the fake's throwaway CA (PEM file in a temp dir)
//   HTTPS_PROXY          http://127.0.0.1:<port>: the fake's CONNECT proxy (tunnels every host:443 to the fake)
//   NO_PROXY             127.0.0.1,localhost
//   PATH                 a temp dir holding a fake `az` first: AzureCliCredential runs
//                        `az account get-access-token --output json --resource <r> [--tenant <t>]`
//   user setting         azureSecureDev.auth.method = "azureCli"
// Everything binds and connects to 127.0.0.1 only; the key files live in a 0700 temp dir removed on exit.
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ROOT, removeOnExit } from './host.mjs';

const FAKE_BUNDLE = path.join(ROOT, 'dist-test/fake-azure/index.cjs');

/** Bundles test/support/fakeAzure (TypeScript) for the Node scripts here and requires it. */
export async function loadFakeAzure() {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'test/support/fakeAzure/index.ts')],
    outfile: FAKE_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(FAKE_BUNDLE);
}

/** What the fake `az` prints: the JSON of `az account get-access-token` (a fake token, never a secret). */
function fakeAzScript(logFile) {
  // POSIX sh; node prints the JSON so the dates are right. Any other command fails with a clear message.
  return `#!/bin/sh
# Fake Azure CLI for the test host (scripts/test-host/fake-azure-env.mjs). Only get-access-token is supported.
printf '%s\\n' "$*" >> '${logFile}'
if [ "$1" != "account" ] || [ "$2" != "get-access-token" ]; then
  echo "fake az (test host): only 'az account get-access-token' is supported, not: az $*" >&2
  exit 2
fi
resource=""; tenant=""
while [ $# -gt 0 ]; do
  case "$1" in
    --resource|--scope) resource="$2"; shift ;;
    --tenant) tenant="$2"; shift ;;
  esac
  shift
done
case "$resource" in
  https://vault.azure.net|https://vault.azure.net/|https://management.azure.com|https://management.azure.com/|https://management.core.windows.net/) ;;
  # Sovereign clouds (the move to a China / US Government vault).
  https://vault.azure.cn|https://vault.azure.cn/|https://management.chinacloudapi.cn|https://management.chinacloudapi.cn/|https://management.core.chinacloudapi.cn/) ;;
  https://vault.usgovcloudapi.net|https://vault.usgovcloudapi.net/|https://management.usgovcloudapi.net|https://management.usgovcloudapi.net/|https://management.core.usgovcloudapi.net/) ;;
  *) echo "fake az (test host): unexpected --resource '$resource'" >&2; exit 2 ;;
esac
exec "${process.execPath}" -e '
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const d = new Date(exp * 1000), p = (n) => String(n).padStart(2, "0");
  const local = d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + " " + p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds()) + ".000000";
  console.log(JSON.stringify({
    accessToken: "fake-cli-token-for-" + (process.argv[1] || "resource"),
    expiresOn: local,
    expires_on: exp,
    subscription: "00000000-0000-0000-0000-000000000001",
    tenant: process.argv[2] || "72f988bf-86f1-41af-91ab-2d7cd011db47",
    tokenType: "Bearer",
  }, null, 2));
' "$resource" "$tenant"
`;
}

/**
 * Files and environment for a code-server whose Node extension host talks to the fake Azure.
 * @param {object} o
 * @param {{caPem:string, certPem?:string, keyPem?:string}} o.certs  the fake's CA (+ leaf, when the fake runs in the extension host)
 * @param {number} o.proxyPort  where the CONNECT proxy listens (or will listen)
 * @returns {{ dir:string, caFile:string, azLog:string, env:Record<string,string>, settings:Record<string,unknown>, args:string[] }}
 */
export function fakeAzureEnv({ certs, proxyPort }) {
  const dir = removeOnExit(mkdtempSync(path.join(os.tmpdir(), 'asd-fake-azure-')));
  chmodSync(dir, 0o700);
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, certs.caPem);
  const env = {
    NODE_EXTRA_CA_CERTS: caFile,
    HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
    NO_PROXY: '127.0.0.1,localhost',
    ASD_FAKE_AZURE_PROXY_PORT: String(proxyPort),
  };
  if (certs.certPem && certs.keyPem) {
    // For a fake started inside the extension host (the Node integration suites): same CA, same leaf.
    writeFileSync(path.join(dir, 'cert.pem'), certs.certPem);
    writeFileSync(path.join(dir, 'key.pem'), certs.keyPem, { mode: 0o600 });
    env.ASD_FAKE_AZURE_CERT_DIR = dir;
  }
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const azLog = path.join(dir, 'az-calls.log');
  writeFileSync(azLog, '');
  writeFileSync(path.join(bin, 'az'), fakeAzScript(azLog), { mode: 0o755 });
  env.PATH = `${bin}${path.delimiter}${process.env.PATH || ''}`;
  env.ASD_FAKE_AZ_LOG = azLog;
  // VS Code 1.99 patches Node's https in the extension host (@vscode/proxy-agent). Its default certificate path
  // (v1) passes `ca` = tls.rootCertificates + the OS store to every request, which drops NODE_EXTRA_CA_CERTS
  // (seen as SELF_SIGNED_CERT_IN_CHAIN); the v2 path adds the OS certificates to Node's own store instead, so
  // the CA given through NODE_EXTRA_CA_CERTS stays trusted.
  const settings = { 'azureSecureDev.auth.method': 'azureCli', 'http.systemCertificates': false };
  // The server resolves a login shell's environment for the extension host, and /etc/profile resets PATH
  // (the fake `az` would vanish). VS Code skips that resolution when VSCODE_CLI=1 (code-server has no
  // --force-disable-user-env), so the extension host keeps the environment given here.
  env.VSCODE_CLI = '1';
  const args = [];
  return { dir, caFile, azLog, env, settings, args };
}
