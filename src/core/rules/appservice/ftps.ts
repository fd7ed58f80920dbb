// APPSVC-FTPS: no plain FTP (ftpsState / ftps_state AllAllowed).

import type { RuleMeta } from '../../model';
import { str, unknown, unreadable, webFix, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { RuleExamples, RuleUnit } from '../unit';
import { contentFix, finding, isSiteConfigProperty, isTfSiteArgument, strValue, type EntryCtx } from './context';
import { bicepApp, terraformApp } from './exampleDocs';

export const FTPS = 'APPSVC-FTPS';

const rules: RuleMeta[] = [
  {
    id: FTPS,
    title: 'Plain FTP allowed',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'ftpsState AllAllowed lets deployment credentials and content travel over unencrypted FTP; disable FTP (or require FTPS).',
  },
];

/** The value test: 'AllAllowed' (any case) lets plain FTP in. */
export function allowsPlainFtp(state: string): boolean {
  return state.trim().toLowerCase() === 'allallowed';
}

function liveFtps(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const v = str(c.web?.ftpsState);
  if (!v) return unknown('The site configuration did not report ftpsState.');
  const l = v.toLowerCase();
  if (l === 'disabled') return { status: 'pass', value: 'Disabled' };
  if (l === 'ftpsonly') return { status: 'pass', value: 'FTPS only', hint: 'Disable FTP altogether if nobody deploys over FTPS.' };
  return {
    status: 'fail',
    value: v === 'AllAllowed' ? 'FTP and FTPS allowed' : v,
    fix: webFix(c, { ftpsState: 'Disabled' }, 'ftpsState', v, 'Disabled', 'Turn off FTP and FTPS (ftpsState = Disabled).', ['ftps_state = "Disabled"'], 'FTP deployments stop working; use zip deploy or a pipeline instead.'),
  };
}

const live: LiveCheck[] = [
  {
    ruleId: FTPS,
    category: 'Transport',
    rank: 40,
    label: 'FTP state',
    why: 'Plain FTP sends the deployment credentials and files unencrypted; allow FTPS only, or turn FTP off.',
    sources: ['web'],
    scope: 'site',
    evaluate: liveFtps,
  },
];

export const ftps: RuleUnit = {
  rules,
  detector: {
    keys: ['ftpsstate', 'ftps_state'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          if (!isSiteConfigProperty(c, 'ftpsstate') && !isTfSiteArgument(c, 'ftps_state')) return;
          const e = c.entry;
          const v = strValue(e);
          if (v !== undefined && allowsPlainFtp(v)) s.out.push(finding(FTPS, e, { fix: contentFix(e, 'Disabled', `Set ${e.key} to Disabled`) }));
        },
      };
    },
  },
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [FTPS]: {
      positives: [
        { name: 'Bicep ftpsState AllAllowed', file: 'main.bicep', text: bicepApp('', "ftpsState: 'AllAllowed'"), at: "'AllAllowed'" },
        { name: 'Terraform ftps_state AllAllowed', file: 'main.tf', text: terraformApp('', 'ftps_state = "AllAllowed"'), at: '"AllAllowed"' },
        { name: 'az webapp config set --ftps-state AllAllowed in a script', file: 'deploy.sh', text: 'az webapp config set -n app --ftps-state AllAllowed\n', at: '--ftps-state AllAllowed' },
        { name: 'an Azure Pipelines pwsh: step', file: 'azure-pipelines.yml', text: 'steps:\n- pwsh: Set-AzWebApp -Name app -FtpsState AllAllowed\n', at: '-FtpsState AllAllowed' },
      ],
      negatives: [
        { name: 'FTP disabled', file: 'main.bicep', text: bicepApp('', "ftpsState: 'Disabled'") },
        { name: 'FTPS only', file: 'main.tf', text: terraformApp('', 'ftps_state = "FtpsOnly"') },
        { name: 'az webapp config set --ftps-state Disabled', file: 'deploy.sh', text: 'az webapp config set -n app --ftps-state Disabled\n' },
      ],
    },
  };
}
