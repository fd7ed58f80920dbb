// APPSVC-HTTPS-ONLY: the app redirects HTTP to HTTPS (httpsOnly / https_only true). Missing counts as off:
// the platform default is false and Azure Policy treats a missing value as non-compliant.

import type { RuleMeta } from '../../model';
import { siteFix, unknown, unreadable, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { RuleExamples, RuleUnit } from '../unit';
import { boolValue, contentFix, finding, isSiteProperty, isTfSiteArgument, type EntryCtx } from './context';
import { armApp, bicepApp, terraformApp } from './exampleDocs';
import { isReferenceOnly } from './rule';

export const HTTPS_ONLY = 'APPSVC-HTTPS-ONLY';

const rules: RuleMeta[] = [
  {
    id: HTTPS_ONLY,
    title: 'App Service accepts plain HTTP',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The app does not redirect HTTP to HTTPS (httpsOnly is false or missing), so traffic and cookies can travel unencrypted.',
  },
];

function liveHttpsOnly(c: PostureContext): Verdict {
  const why = unreadable('site', c.input.site);
  if (why) return unknown(why);
  const v = c.site?.properties?.httpsOnly;
  if (v === true) return { status: 'pass', value: 'On' };
  return {
    status: 'fail',
    value: v === false ? 'Off' : 'Not set (off)',
    fix: siteFix(c, 'httpsOnly', v ?? null, true, 'Redirect HTTP to HTTPS (httpsOnly = true).', ['https_only = true']),
  };
}

const live: LiveCheck[] = [
  {
    ruleId: HTTPS_ONLY,
    category: 'Transport',
    rank: 10,
    label: 'HTTPS only',
    why: 'Without HTTPS-only the app answers plain HTTP, so requests, cookies and tokens can be read or changed on the way.',
    sources: ['site'],
    scope: 'site',
    evaluate: liveHttpsOnly,
  },
];

export const httpsOnly: RuleUnit = {
  rules,
  detector: {
    keys: ['httpsonly', 'https_only'],
    create(s) {
      const seen = new Set<number>();
      return {
        onEntry(c: EntryCtx) {
          if (!isSiteProperty(c, 'httpsonly') && !isTfSiteArgument(c, 'https_only')) return;
          const e = c.entry;
          seen.add(c.res!.index);
          if (boolValue(e) === false) s.out.push(finding(HTTPS_ONLY, e, { fix: contentFix(e, 'true', `Set ${e.key} to true`) }));
        },
        finish() {
          for (const r of s.resources) {
            if (!r || r.role !== 'site' || seen.has(r.index)) continue;
            if (s.computedProperties.has(r.index) || isReferenceOnly(s, r)) continue;
            const key = r.tf ? 'https_only' : 'httpsOnly';
            s.out.push({
              ruleId: HTTPS_ONLY,
              start: r.block.anchorStart,
              end: r.block.anchorEnd,
              settingName: key,
              message: `${key} is not set, so the app accepts plain HTTP (the platform default is false); set ${key} to true.`,
            });
          }
        },
      };
    },
  },
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [HTTPS_ONLY]: {
      positives: [
        { name: 'Bicep httpsOnly false', file: 'main.bicep', text: bicepApp().replace('httpsOnly: true', 'httpsOnly: false'), at: 'false' },
        { name: 'ARM httpsOnly false', file: 'azuredeploy.json', text: armApp().replace('"httpsOnly": true', '"httpsOnly": false'), at: 'false' },
        { name: 'Terraform https_only false', file: 'main.tf', text: terraformApp().replace('https_only          = true', 'https_only          = false'), at: 'false' },
        { name: 'Bicep site without httpsOnly (reported on the type)', file: 'main.bicep', text: bicepApp().replace('    httpsOnly: true\n', ''), at: 'Microsoft.Web/sites@2024-04-01' },
        // The same setting changed by a command in a script or pipeline (../scripts).
        { name: 'az webapp update --https-only false in a script', file: 'deploy.sh', text: 'az webapp update -g rg -n app --https-only false\n', at: '--https-only false' },
        { name: 'Set-AzWebApp -HttpsOnly $false in PowerShell', file: 'deploy.ps1', text: 'Set-AzWebApp -ResourceGroupName rg -Name app -HttpsOnly $false\n', at: '-HttpsOnly $false' },
        { name: 'a GitHub Actions run: step', file: '.github/workflows/deploy.yml', text: 'jobs:\n  d:\n    steps:\n      - run: az webapp update -n app --https-only false\n', at: '--https-only false' },
      ],
      negatives: [
        { name: 'Bicep httpsOnly true', file: 'main.bicep', text: bicepApp() },
        { name: 'Terraform https_only true', file: 'main.tf', text: terraformApp() },
        { name: 'an existing site (declared elsewhere)', file: 'main.bicep', text: "resource app 'Microsoft.Web/sites@2024-04-01' existing = {\n  name: 'contoso-api'\n}\n" },
        { name: 'a Terraform data source', file: 'main.tf', text: 'data "azurerm_linux_web_app" "api" {\n  name                = "contoso-api"\n  resource_group_name = "rg"\n}\n' },
        { name: 'a value the script computes', file: 'deploy.sh', text: 'az webapp update -n app --https-only "$HTTPS_ONLY"\n' },
        { name: 'a command in a comment', file: 'deploy.sh', text: '# az webapp update -n app --https-only false\n' },
      ],
    },
  };
}
