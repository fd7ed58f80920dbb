import * as assert from 'node:assert/strict';
import { tokenizeCommands, valueRange } from '../../src/core/commandLine';
import { scanText } from '../../src/core/engine';
import { IncrementalScanner } from '../../src/core/incremental';
import { checkFindingCase, type FindingCase as Case } from '../support/findingCases';

// Azure CLI and Az PowerShell commands in scripts, Dockerfiles and pipeline steps, reported under the App Service
// rule ids of the IaC properties they mirror. Each case: a file, its text, and the findings as
// `RULE flagged-text` (the squiggle) plus the quick fix result when there is one.

const SCRIPT_RULES = /^APPSVC-/;

const POSITIVES: Case[] = [
  // ---- each az flag, sh ----
  { name: 'az webapp update --https-only false', file: 'deploy.sh', text: 'az webapp update -g rg -n app --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'], fixed: 'az webapp update -g rg -n app --https-only true\n' },
  { name: 'az functionapp update --https-only false', file: 'deploy.sh', text: 'az functionapp update -g rg -n fn --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: 'az webapp create --https-only false', file: 'deploy.sh', text: 'az webapp create -g rg -p plan -n app --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: '--flag=value form', file: 'deploy.sh', text: 'az webapp update -n app --https-only=false\n', want: ['APPSVC-HTTPS-ONLY --https-only=false'], fixed: 'az webapp update -n app --https-only=true\n' },
  { name: 'quoted value keeps its quotes in the fix', file: 'deploy.sh', text: 'az webapp config set -n app --min-tls-version "1.0"\n', want: ['APPSVC-MIN-TLS --min-tls-version "1.0"'], fixed: 'az webapp config set -n app --min-tls-version "1.2"\n' },
  { name: 'az webapp config set --min-tls-version 1.1', file: 'deploy.sh', text: 'az webapp config set -n app --min-tls-version 1.1\n', want: ['APPSVC-MIN-TLS --min-tls-version 1.1'] },
  { name: 'az webapp config set --ftps-state AllAllowed', file: 'deploy.sh', text: 'az webapp config set -n app --ftps-state AllAllowed\n', want: ['APPSVC-FTPS --ftps-state AllAllowed'], fixed: 'az webapp config set -n app --ftps-state Disabled\n' },
  { name: 'az webapp config set --remote-debugging-enabled true', file: 'deploy.sh', text: 'az webapp config set -n app --remote-debugging-enabled true\n', want: ['APPSVC-REMOTE-DEBUG --remote-debugging-enabled true'], fixed: 'az webapp config set -n app --remote-debugging-enabled false\n' },
  { name: 'az webapp config set --http20-enabled false', file: 'deploy.sh', text: 'az webapp config set -n app --http20-enabled false\n', want: ['APPSVC-HTTP2 --http20-enabled false'] },
  {
    name: 'every config set flag in one command',
    file: 'deploy.sh',
    text: 'az functionapp config set -n fn --min-tls-version 1.0 --ftps-state AllAllowed --remote-debugging-enabled true --http20-enabled false\n',
    want: ['APPSVC-MIN-TLS --min-tls-version 1.0', 'APPSVC-FTPS --ftps-state AllAllowed', 'APPSVC-REMOTE-DEBUG --remote-debugging-enabled true', 'APPSVC-HTTP2 --http20-enabled false'],
  },
  { name: "az webapp cors add --allowed-origins '*'", file: 'deploy.sh', text: "az webapp cors add -g rg -n app --allowed-origins '*'\n", want: ["APPSVC-CORS-WILDCARD --allowed-origins '*'"] },
  { name: 'cors among several origins, -a alias', file: 'deploy.sh', text: 'az functionapp cors add -n fn -a https://contoso.com "*"\n', want: ['APPSVC-CORS-WILDCARD "*"'] },
  {
    name: 'az resource update basicPublishingCredentialsPolicies/ftp',
    file: 'deploy.sh',
    text: 'az resource update --ids "$SITE_ID/basicPublishingCredentialsPolicies/ftp" --set properties.allow=true\n',
    want: ['APPSVC-BASIC-AUTH-FTP --set properties.allow=true'],
    fixed: 'az resource update --ids "$SITE_ID/basicPublishingCredentialsPolicies/ftp" --set properties.allow=false\n',
  },
  {
    name: 'az resource update basicPublishingCredentialsPolicies scm by --name',
    file: 'deploy.sh',
    text: 'az resource update -g rg --namespace Microsoft.Web --resource-type basicPublishingCredentialsPolicies --parent sites/app --name scm --set properties.allow=true\n',
    want: ['APPSVC-BASIC-AUTH-SCM --set properties.allow=true'],
  },
  {
    name: 'az rest PUT basicPublishingCredentialsPolicies/scm',
    file: 'deploy.sh',
    text: `az rest --method put --uri "https://management.azure.com$SITE/basicPublishingCredentialsPolicies/scm?api-version=2022-03-01" --body '{"properties":{"allow":true}}'\n`,
    want: [`APPSVC-BASIC-AUTH-SCM --body '{"properties":{"allow":true`],
  },
  // ---- continuations and dialects ----
  { name: 'sh backslash continuation', file: 'deploy.sh', text: 'az webapp update \\\n  --name app \\\n  --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: 'value on the next line: the squiggle is on the value', file: 'deploy.sh', text: 'az webapp update --name app --https-only \\\n  false\n', want: ['APPSVC-HTTPS-ONLY false'] },
  { name: 'inside $( ) substitution', file: 'deploy.sh', text: 'out=$(az webapp update -n app --https-only false --query id -o tsv)\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: 'after && and an env assignment', file: 'deploy.sh', text: 'az login --identity && AZURE_CORE_OUTPUT=none az webapp update -n app --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: 'extension-less script with a shebang', file: 'bin/deploy', text: '#!/usr/bin/env bash\naz webapp update -n app --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: 'PowerShell backtick continuation, az', file: 'deploy.ps1', text: 'az webapp config set `\n  --name app `\n  --ftps-state AllAllowed\n', want: ['APPSVC-FTPS --ftps-state AllAllowed'] },
  { name: 'PowerShell $false passed to az', file: 'deploy.ps1', text: 'az webapp update --name $app --https-only $false\n', want: ['APPSVC-HTTPS-ONLY --https-only $false'], fixed: 'az webapp update --name $app --https-only $true\n' },
  { name: 'Set-AzWebApp -HttpsOnly $false', file: 'deploy.ps1', text: 'Set-AzWebApp -ResourceGroupName rg -Name app -HttpsOnly $false\n', want: ['APPSVC-HTTPS-ONLY -HttpsOnly $false'], fixed: 'Set-AzWebApp -ResourceGroupName rg -Name app -HttpsOnly $true\n' },
  { name: 'Set-AzWebApp -HttpsOnly:$false', file: 'deploy.psm1', text: 'Set-AzWebApp -Name app -HttpsOnly:$false\n', want: ['APPSVC-HTTPS-ONLY -HttpsOnly:$false'] },
  {
    name: 'Set-AzWebApp -MinTlsVersion 1.0 -FtpsState AllAllowed, backtick continuation',
    file: 'deploy.ps1',
    text: "Set-AzWebApp -ResourceGroupName rg -Name app `\n  -MinTlsVersion '1.0' `\n  -FtpsState AllAllowed\n",
    want: ["APPSVC-MIN-TLS -MinTlsVersion '1.0'", 'APPSVC-FTPS -FtpsState AllAllowed'],
    fixed: "Set-AzWebApp -ResourceGroupName rg -Name app `\n  -MinTlsVersion '1.2' `\n  -FtpsState Disabled\n",
  },
  { name: 'Set-AzWebAppSlot', file: 'deploy.ps1', text: 'Set-AzWebAppSlot -Name app -Slot staging -HttpsOnly $false\n', want: ['APPSVC-HTTPS-ONLY -HttpsOnly $false'] },
  { name: 'cmd caret continuation', file: 'deploy.cmd', text: '@echo off\r\ncall az webapp update ^\r\n  --name app ^\r\n  --https-only false\r\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: '.bat file', file: 'deploy.bat', text: 'az webapp config set --name app --min-tls-version 1.0\n', want: ['APPSVC-MIN-TLS --min-tls-version 1.0'] },
  // ---- pipelines and Dockerfiles ----
  {
    name: 'GitHub Actions run: block',
    file: '.github/workflows/deploy.yml',
    text: 'jobs:\n  d:\n    steps:\n      - name: Configure\n        run: |\n          az webapp update -n app \\\n            --https-only false\n',
    want: ['APPSVC-HTTPS-ONLY --https-only false'],
    fixed: 'jobs:\n  d:\n    steps:\n      - name: Configure\n        run: |\n          az webapp update -n app \\\n            --https-only true\n',
  },
  { name: 'GitHub Actions run: one line', file: 'ci.yml', text: 'steps:\n  - run: az webapp config set -n app --ftps-state AllAllowed\n', want: ['APPSVC-FTPS --ftps-state AllAllowed'] },
  { name: 'GitHub Actions shell: pwsh', file: 'ci.yml', text: 'steps:\n  - shell: pwsh\n    run: |\n      Set-AzWebApp -Name app `\n        -HttpsOnly $false\n', want: ['APPSVC-HTTPS-ONLY -HttpsOnly $false'] },
  {
    name: 'azure/cli inlineScript',
    file: '.github/workflows/cd.yaml',
    text: 'steps:\n  - uses: azure/cli@v2\n    with:\n      inlineScript: |\n        az webapp config set -n app --min-tls-version 1.0\n',
    want: ['APPSVC-MIN-TLS --min-tls-version 1.0'],
  },
  {
    name: 'AzureCLI@2 inlineScript, scriptType ps',
    file: 'azure-pipelines.yml',
    text: 'steps:\n- task: AzureCLI@2\n  inputs:\n    azureSubscription: sub\n    scriptType: ps\n    scriptLocation: inlineScript\n    inlineScript: |\n      az webapp update `\n        --name app `\n        --https-only false\n',
    want: ['APPSVC-HTTPS-ONLY --https-only false'],
  },
  { name: 'Azure Pipelines script:', file: 'azure-pipelines.yml', text: 'steps:\n- script: az webapp config set -n app --remote-debugging-enabled true\n  displayName: x\n', want: ['APPSVC-REMOTE-DEBUG --remote-debugging-enabled true'] },
  { name: 'Azure Pipelines bash:', file: 'azure-pipelines.yml', text: "steps:\n- bash: |\n    az webapp cors add -n app --allowed-origins '*'\n", want: ["APPSVC-CORS-WILDCARD --allowed-origins '*'"] },
  { name: 'Azure Pipelines pwsh:', file: 'azure-pipelines.yml', text: 'steps:\n- pwsh: Set-AzWebApp -Name app -FtpsState AllAllowed\n', want: ['APPSVC-FTPS -FtpsState AllAllowed'] },
  { name: 'PowerShell@2 inputs.script', file: 'azure-pipelines.yml', text: 'steps:\n- task: PowerShell@2\n  inputs:\n    targetType: inline\n    script: |\n      Set-AzWebApp -Name app `\n        -MinTlsVersion 1.1\n', want: ['APPSVC-MIN-TLS -MinTlsVersion 1.1'] },
  { name: 'GitLab script list', file: '.gitlab-ci.yml', text: 'deploy:\n  script:\n    - az login --identity\n    - az webapp update -n app --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: 'Dockerfile RUN with continuation', file: 'Dockerfile', text: 'FROM mcr.microsoft.com/azure-cli\nRUN az login --identity && \\\n    az webapp update -n app --https-only false\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  // ---- --set, --generic-configurations, az resource update (issue 11) ----
  { name: 'az webapp update --set httpsOnly=false', file: 'deploy.sh', text: 'az webapp update -g rg -n app --set httpsOnly=false\n', want: ['APPSVC-HTTPS-ONLY httpsOnly=false'], fixed: 'az webapp update -g rg -n app --set httpsOnly=true\n' },
  { name: 'az functionapp update --set site_config.ftps_state', file: 'deploy.sh', text: 'az functionapp update -n fn --set site_config.ftps_state=AllAllowed\n', want: ['APPSVC-FTPS site_config.ftps_state=AllAllowed'] },
  {
    name: 'az resource update on a site id',
    file: 'deploy.sh',
    text: 'az resource update --ids /subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app --set properties.httpsOnly=false properties.siteConfig.minTlsVersion=1.0\n',
    want: ['APPSVC-HTTPS-ONLY properties.httpsOnly=false', 'APPSVC-MIN-TLS properties.siteConfig.minTlsVersion=1.0'],
  },
  {
    name: 'generic configurations, inline JSON',
    file: 'deploy.sh',
    text: `az webapp config set -n app --generic-configurations '{"minTlsVersion":"1.0","ftpsState":"AllAllowed"}'\n`,
    want: ['APPSVC-MIN-TLS "1.0"', 'APPSVC-FTPS "AllAllowed"'],
    fixed: `az webapp config set -n app --generic-configurations '{"minTlsVersion":"1.2","ftpsState":"Disabled"}'\n`,
  },
  { name: 'generic configurations, key=value', file: 'deploy.sh', text: 'az webapp config set -n app --generic-configurations remoteDebuggingEnabled=true\n', want: ['APPSVC-REMOTE-DEBUG remoteDebuggingEnabled=true'] },
  {
    name: 'access-restriction set --use-same-restrictions-for-scm-site false after a main rule',
    file: 'deploy.sh',
    text: 'az webapp config access-restriction add -n app --rule-name office --action Allow --ip-address 203.0.113.0/24 --priority 100\naz webapp config access-restriction set -n app --use-same-restrictions-for-scm-site false\n',
    want: ['APPSVC-SCM-EXPOSED --use-same-restrictions-for-scm-site false'],
  },
  {
    name: 'Update-AzWebAppAccessRestrictionConfig -ScmSiteUseMainSiteRestrictionConfig:$false after a main rule',
    file: 'deploy.ps1',
    text: 'Add-AzWebAppAccessRestrictionRule -ResourceGroupName rg -WebAppName app -Name office -Priority 100 -Action Allow -IpAddress 203.0.113.0/24\nUpdate-AzWebAppAccessRestrictionConfig -ResourceGroupName rg -Name app -ScmSiteUseMainSiteRestrictionConfig:$false\n',
    want: ['APPSVC-SCM-EXPOSED -ScmSiteUseMainSiteRestrictionConfig:$false'],
  },
  // ---- heredocs run by a shell ----
  { name: 'Dockerfile RUN <<EOF', file: 'Dockerfile', text: 'FROM x\nRUN <<EOF\naz webapp update -n app --https-only false\nEOF\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },
  { name: 'Dockerfile RUN <<-EOT', file: 'Dockerfile', text: 'FROM x\nRUN <<-EOT\n\taz webapp config set -n app --ftps-state AllAllowed\n\tEOT\n', want: ['APPSVC-FTPS --ftps-state AllAllowed'] },
  { name: 'bash <<EOF in a script', file: 'deploy.sh', text: 'bash <<EOF\naz webapp update -n app --https-only false\nEOF\n', want: ['APPSVC-HTTPS-ONLY --https-only false'] },  // ---- app settings and container env: the environment name (issue 11) ----
  { name: 'az webapp config appsettings set --settings ASPNETCORE_ENVIRONMENT=Development', file: 'deploy.sh', text: 'az webapp config appsettings set -g rg -n app --settings WEBSITE_RUN_FROM_PACKAGE=1 ASPNETCORE_ENVIRONMENT=Development\n', want: ['APPSVC-DETAILED-ERRORS ASPNETCORE_ENVIRONMENT=Development'], fixed: 'az webapp config appsettings set -g rg -n app --settings WEBSITE_RUN_FROM_PACKAGE=1 ASPNETCORE_ENVIRONMENT=Production\n' },
  { name: 'functionapp --slot-settings DOTNET_ENVIRONMENT="Development", quoted value', file: 'deploy.sh', text: 'az functionapp config appsettings set -g rg -n fn --slot-settings DOTNET_ENVIRONMENT="Development"\n', want: ['APPSVC-DETAILED-ERRORS DOTNET_ENVIRONMENT="Development"'], fixed: 'az functionapp config appsettings set -g rg -n fn --slot-settings DOTNET_ENVIRONMENT="Production"\n' },
  { name: 'az containerapp update --set-env-vars in a pipeline step', file: '.github/workflows/deploy.yml', text: 'jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          az containerapp update -n api -g rg \\\n            --set-env-vars ASPNETCORE_ENVIRONMENT=Development\n', want: ['APPSVC-DETAILED-ERRORS ASPNETCORE_ENVIRONMENT=Development'] },
];

const NEGATIVES: Case[] = [
  { name: '--set httpsOnly=true', file: 'deploy.sh', text: 'az webapp update -n app --set httpsOnly=true\n', want: [] },
  { name: '--set with a variable', file: 'deploy.sh', text: 'az webapp update -n app --set httpsOnly=$HTTPS\n', want: [] },
  { name: 'generic configurations from a file', file: 'deploy.sh', text: 'az webapp config set -n app --generic-configurations @config.json\n', want: [] },
  { name: 'az resource update on a storage account', file: 'deploy.sh', text: 'az resource update --ids /subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st --set properties.httpsOnly=false\n', want: [] },
  { name: 'SCM told not to use main rules, but it has its own', file: 'deploy.sh', text: 'az webapp config access-restriction add -n app --rule-name office --ip-address 203.0.113.0/24 --priority 100\naz webapp config access-restriction add -n app --rule-name agents --ip-address 198.51.100.0/24 --priority 100 --scm-site true\naz webapp config access-restriction set -n app --use-same-restrictions-for-scm-site false\n', want: [] },
  { name: 'SCM use-same false with no main restriction in the script', file: 'deploy.sh', text: 'az webapp config access-restriction set -n app --use-same-restrictions-for-scm-site false\n', want: [] },
  { name: 'SCM uses the main rules', file: 'deploy.ps1', text: 'Add-AzWebAppAccessRestrictionRule -ResourceGroupName rg -WebAppName app -Name o -Priority 100 -Action Allow -IpAddress 203.0.113.0/24\nUpdate-AzWebAppAccessRestrictionConfig -ResourceGroupName rg -Name app -ScmSiteUseMainSiteRestrictionConfig\n', want: [] },
  { name: 'Dockerfile heredoc fed to cat', file: 'Dockerfile', text: 'FROM x\nRUN cat <<EOF > /doc.txt\naz webapp update -n app --https-only false\nEOF\n', want: [] },
  { name: 'heredoc fed to tee, and bash -c', file: 'deploy.sh', text: 'tee x <<EOF\naz webapp update -n app --https-only false\nEOF\nbash -c "echo" <<EOF\naz webapp update -n app --https-only false\nEOF\n', want: [] },
  { name: '--https-only true', file: 'deploy.sh', text: 'az webapp update -n app --https-only true\n', want: [] },
  { name: 'appsettings set: Production, a variable, a settings file', file: 'deploy.sh', text: 'az webapp config appsettings set -n app --settings ASPNETCORE_ENVIRONMENT=Production\naz webapp config appsettings set -n app --settings ASPNETCORE_ENVIRONMENT=$ENV_NAME\naz webapp config appsettings set -n app --settings @settings.json\n', want: [] },
  { name: 'Development in an echoed command and in an unrelated flag', file: 'deploy.sh', text: 'echo "az webapp config appsettings set --settings ASPNETCORE_ENVIRONMENT=Development"\naz webapp update -n app --set tags.ASPNETCORE_ENVIRONMENT=Development\n', want: [] },
  { name: '--https-only alone (means true)', file: 'deploy.sh', text: 'az webapp update -n app --https-only\n', want: [] },
  { name: 'secure values', file: 'deploy.sh', text: 'az webapp config set -n app --min-tls-version 1.2 --ftps-state FtpsOnly --remote-debugging-enabled false --http20-enabled true\n', want: [] },
  { name: 'variable of unknown value', file: 'deploy.sh', text: 'az webapp update -n app --https-only $HTTPS\naz webapp update -n app --https-only "${HTTPS_ONLY}"\naz webapp config set -n app --min-tls-version=$(get_tls)\n', want: [] },
  { name: 'PowerShell variable', file: 'deploy.ps1', text: 'Set-AzWebApp -Name app -HttpsOnly $httpsOnly -MinTlsVersion $env:TLS\n', want: [] },
  { name: 'cmd variable', file: 'deploy.cmd', text: 'az webapp update --name app --https-only %HTTPS%\n', want: [] },
  { name: 'pipeline macro', file: 'azure-pipelines.yml', text: 'steps:\n- script: az webapp update -n app --https-only $(httpsOnly)\n', want: [] },
  { name: 'GitHub expression', file: 'ci.yml', text: 'steps:\n  - run: az webapp update -n app --https-only ${{ inputs.https }}\n', want: [] },
  { name: 'sh comment', file: 'deploy.sh', text: '# az webapp update -n app --https-only false\naz webapp list # --https-only false\n', want: [] },
  { name: 'PowerShell comments', file: 'deploy.ps1', text: '# Set-AzWebApp -HttpsOnly $false\n<#\naz webapp update --https-only false\n#>\n', want: [] },
  { name: 'cmd REM and ::', file: 'deploy.cmd', text: 'REM az webapp update --https-only false\r\n:: az webapp update --https-only false\r\n', want: [] },
  { name: "echo'd string", file: 'deploy.sh', text: 'echo "az webapp update -n app --https-only false"\necho az webapp config set --ftps-state AllAllowed\n', want: [] },
  { name: 'Write-Host string', file: 'deploy.ps1', text: "Write-Host 'Set-AzWebApp -HttpsOnly $false'\n", want: [] },
  { name: 'heredoc body', file: 'deploy.sh', text: "cat <<'EOF' > README\naz webapp update -n app --https-only false\nEOF\naz webapp list\n", want: [] },
  { name: 'PowerShell here-string', file: 'deploy.ps1', text: '$doc = @"\naz webapp update --https-only false\n"@\n', want: [] },
  { name: 'az webapp list / show', file: 'deploy.sh', text: 'az webapp list --query "[?httpsOnly==`false`]"\naz webapp show -n app --https-only false\n', want: [] },
  { name: 'other commands with the same flags', file: 'deploy.sh', text: 'mytool update --https-only false\naz storage account update --https-only false\n', want: [] },
  { name: 'markdown is documentation', file: 'README.md', text: '```bash\naz webapp update -n app --https-only false\n```\n', want: [] },
  { name: 'not a script file', file: 'notes.txt', text: 'az webapp update -n app --https-only false\n', want: [] },
  { name: 'YAML key that is not a step', file: 'values.yaml', text: 'description: az webapp update --https-only false\n', want: [] },
  { name: 'Dockerfile exec form and comment', file: 'Dockerfile', text: '# RUN az webapp update --https-only false\nRUN ["az", "webapp", "update", "--https-only", "false"]\n', want: [] },
];

describe('scripts: az / Az PowerShell commands in scripts and pipelines', () => {
  for (const c of POSITIVES) {
    it(`finds: ${c.name}`, () => checkFindingCase(c, SCRIPT_RULES));
  }
  for (const c of NEGATIVES) {
    it(`ignores: ${c.name}`, () => checkFindingCase(c, SCRIPT_RULES));
  }

  it('reports the line and column of the flag in a pipeline block', () => {
    const text = 'jobs:\n  d:\n    steps:\n      - run: |\n          echo hi\n          az webapp update -n app --https-only false\n';
    const f = scanText(text, 'ci.yml').findings.find((x) => x.ruleId === 'APPSVC-HTTPS-ONLY');
    assert.ok(f);
    assert.equal(f.line, 5);
    assert.equal(f.column, text.split('\n')[5].indexOf('--https-only'));
  });

  it('can be suppressed with the usual comment', () => {
    const text = '# azure-secure-dev-ignore APPSVC-HTTPS-ONLY -- test slot only\naz webapp update -n app --https-only false\n';
    const r = scanText(text, 'deploy.sh');
    assert.deepEqual(r.findings.map((f) => f.ruleId), []);
    assert.deepEqual(r.suppressed.map((f) => f.ruleId), ['APPSVC-HTTPS-ONLY']);
  });
});

describe('command-line tokenizer', () => {
  const words = (text: string, dialect: 'sh' | 'pwsh' | 'cmd') => tokenizeCommands(text, dialect).map((c) => c.words.map((w) => (w.dynamic ? `~${w.value}` : w.value)).join(' '));

  const CASES: { name: string; dialect: 'sh' | 'pwsh' | 'cmd'; text: string; want: string[] }[] = [
    { name: 'sh quotes and escapes', dialect: 'sh', text: `a 'b c' "d \\"e\\"" f\\ g`, want: ['a b c d "e" f g'] },
    { name: 'sh separators', dialect: 'sh', text: 'a; b && c || d | e & f', want: ['a', 'b', 'c', 'd', 'e', 'f'] },
    { name: 'sh redirections are not separators', dialect: 'sh', text: 'a 2>&1 b', want: ['a 2>&1 b'] },
    { name: 'sh variables', dialect: 'sh', text: 'a $X ${Y} "$Z" $(b c) `d`', want: ['b c', 'a ~$X ~${Y} ~$Z ~$(b c) ~`d`'] },
    { name: 'sh continuation', dialect: 'sh', text: 'a \\\n  b \\\r\n  c\nd', want: ['a b c', 'd'] },
    { name: 'sh heredoc', dialect: 'sh', text: 'cat <<-EOF\n\tx y\n\tEOF\nz', want: ['cat', 'z'] },
    { name: 'sh comment', dialect: 'sh', text: 'a b # c d\ne#f', want: ['a b', 'e#f'] },
    { name: 'pwsh quotes, escapes, constants', dialect: 'pwsh', text: "a 'b''c' \"d`\"e\" $true $x $env:Y $(f)", want: ['f', "a b'c d\"e $true ~$x ~$env:Y ~$(f)"] },
    { name: 'pwsh continuation and block comment', dialect: 'pwsh', text: 'a `\n b <# c #> d\n# e', want: ['a b d'] },
    { name: 'cmd quotes, variables, continuation, REM', dialect: 'cmd', text: 'REM x\r\na "b c" %X% !Y! ^\r\n d ^& e\r\n:: z', want: ['a b c ~%X% ~!Y! d & e'] },
  ];
  for (const c of CASES) it(c.name, () => assert.deepEqual(words(c.text, c.dialect), c.want));

  it('maps value characters back to the source, inside quotes', () => {
    const text = 'az x --flag="abc"';
    const w = tokenizeCommands(text, 'sh')[0].words[2];
    const r = valueRange(w, 7, 10);
    assert.equal(text.slice(r.start, r.end), 'abc');
  });

  it('never hangs or throws on truncated input', () => {
    for (const t of ['"', "'", '$(', '${', '`', '<<', 'a <<EOF\nb', '@"\nx', '<#', '^', '%']) {
      for (const d of ['sh', 'pwsh', 'cmd'] as const) tokenizeCommands(t, d);
    }
  });
});

describe('scripts and C#: editing keeps the findings of a full scan', () => {
  // These rules read across lines (quotes, continuations, an enclosing `if`): a line window must not be used.
  const CASES: { name: string; file: string; text: string; at: number; insert: string }[] = [
    { name: 'an opening quote at the top of a script swallows the commands', file: 'deploy.sh', text: '#!/bin/bash\n\n\n\naz webapp update -n app --https-only false\n', at: 0, insert: '"' },
    { name: 'a heredoc opened above a command', file: 'deploy.sh', text: 'echo start\n\n\n\naz webapp update -n app --https-only false\nEOF\n', at: 11, insert: 'cat <<EOF' },
    {
      name: 'a Development check added around the call',
      file: 'Program.cs',
      text: 'var app = builder.Build();\n{\n\n\n    app.UseDeveloperExceptionPage();\n}\n',
      at: 27,
      insert: 'if (app.Environment.IsDevelopment())',
    },
  ];
  for (const c of CASES) {
    it(c.name, () => {
      const s = new IncrementalScanner(c.file);
      s.full(c.text);
      const next = c.text.slice(0, c.at) + c.insert + c.text.slice(c.at);
      const got = s.update(next, { unchangedPrefix: c.at, unchangedSuffix: c.text.length - c.at });
      const want = scanText(next, c.file);
      assert.deepEqual(got.findings.map((f) => `${f.ruleId} ${f.start}`), want.findings.map((f) => `${f.ruleId} ${f.start}`));
    });
  }
});
