// A stand-in `az` for tests: answers `az account get-access-token` like the Azure CLI, so AzureCliCredential
// (and DefaultAzureCredential narrowed with AZURE_TOKEN_CREDENTIALS=AzureCliCredential) work offline.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Writes the script into a fresh folder and returns the folder (prepend it to PATH). */
export function writeFakeAzCli(token = 'fake-cli-token'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-az-'));
  const script = `#!/bin/sh
case "$*" in
  *"account get-access-token"*)
    now=$(date +%s); exp=$((now + 3600))
    printf '{"accessToken":"%s","expiresOn":"%s","expires_on":%s,"subscription":"00000000-0000-0000-0000-000000000000","tenant":"72f988bf-86f1-41af-91ab-2d7cd011db47","tokenType":"Bearer"}\\n' "${token}" "$(date -d @$exp '+%Y-%m-%d %H:%M:%S.000000')" "$exp"
    ;;
  *)
    echo "fake az: unsupported command: $*" >&2
    exit 2
    ;;
esac
`;
  fs.writeFileSync(path.join(dir, 'az'), script, { mode: 0o755 });
  return dir;
}
