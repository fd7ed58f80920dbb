// Basic (publishing) credentials: APPSVC-BASIC-AUTH-FTP, APPSVC-BASIC-AUTH-SCM. One value test: `allow` true
// (ARM/Bicep basicPublishingCredentialsPolicies) or the Terraform *_publish_basic_authentication_enabled true.

import type { RuleMeta } from '../../model';
import { body, policyFix, unknown, unreadable, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { ArmPublishingPolicy } from '../../posture/types';
import type { RuleExamples, RuleUnit } from '../unit';
import { boolValue, contentFix, finding, isTfSiteArgument, type EntryCtx } from './context';
import { terraformApp } from './exampleDocs';

export const BASIC_AUTH_FTP = 'APPSVC-BASIC-AUTH-FTP';
export const BASIC_AUTH_SCM = 'APPSVC-BASIC-AUTH-SCM';

const rules: RuleMeta[] = [
  {
    id: BASIC_AUTH_FTP,
    title: 'FTP basic authentication enabled',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'FTP accepts basic publishing credentials (a username and password that bypass Microsoft Entra ID and RBAC); disable basic authentication for FTP.',
  },
  {
    id: BASIC_AUTH_SCM,
    title: 'SCM/WebDeploy basic authentication enabled',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The SCM/WebDeploy endpoint accepts basic publishing credentials that bypass Microsoft Entra ID and RBAC; disable basic authentication and deploy with Entra ID (OIDC).',
  },
];

function liveBasicAuth(c: PostureContext, which: 'ftp' | 'scm'): Verdict {
  const source = which === 'ftp' ? 'ftpPolicy' : 'scmPolicy';
  const r = c.input[source];
  const why = unreadable(source, r);
  if (why) return unknown(why);
  const allow = body<ArmPublishingPolicy>(r)?.properties?.allow;
  if (allow === false) return { status: 'pass', value: 'Off' };
  if (allow === true) return { status: 'fail', value: 'On', fix: policyFix(c, which, true) };
  return unknown(`The ${which} publishing credentials policy did not report properties.allow.`);
}

const live: LiveCheck[] = [
  {
    ruleId: BASIC_AUTH_SCM,
    category: 'Identity',
    rank: 10,
    label: 'SCM/WebDeploy basic authentication',
    why: 'Publishing-profile user names and passwords bypass Entra ID, MFA and RBAC; anyone holding them can deploy code.',
    sources: ['scmPolicy'],
    scope: 'site',
    evaluate: (c) => liveBasicAuth(c, 'scm'),
  },
  {
    ruleId: BASIC_AUTH_FTP,
    category: 'Identity',
    rank: 20,
    label: 'FTP basic authentication',
    why: 'FTP publishing credentials bypass Entra ID, MFA and RBAC and give write access to the app files.',
    sources: ['ftpPolicy'],
    scope: 'site',
    evaluate: (c) => liveBasicAuth(c, 'ftp'),
  },
];

const bicepPolicy = (name: string, allow: string) => `resource app 'Microsoft.Web/sites@2024-04-01' existing = {
  name: 'contoso-api'
}

resource ${name}Policy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: '${name}'
  properties: {
    allow: ${allow}
  }
}
`;

export const basicAuth: RuleUnit = {
  rules,
  detector: {
    keys: ['allow', 'ftp_publish_basic_authentication_enabled', 'webdeploy_publish_basic_authentication_enabled'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          let ruleId: string | undefined;
          if (c.lkey === 'allow' && c.res && !c.res.tf && c.parent === 'properties') {
            if (c.res.role === 'ftpPolicy') ruleId = BASIC_AUTH_FTP;
            else if (c.res.role === 'scmPolicy') ruleId = BASIC_AUTH_SCM;
          } else if (isTfSiteArgument(c, 'ftp_publish_basic_authentication_enabled')) ruleId = BASIC_AUTH_FTP;
          else if (isTfSiteArgument(c, 'webdeploy_publish_basic_authentication_enabled')) ruleId = BASIC_AUTH_SCM;
          if (ruleId && boolValue(e) === true) s.out.push(finding(ruleId, e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
        },
      };
    },
  },
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [BASIC_AUTH_FTP]: {
      positives: [
        { name: 'Bicep ftp policy allow true', file: 'main.bicep', text: bicepPolicy('ftp', 'true'), at: 'true' },
        { name: 'Terraform ftp_publish_basic_authentication_enabled true', file: 'main.tf', text: terraformApp('ftp_publish_basic_authentication_enabled = true'), at: 'true' },
        { name: 'az resource update .../basicPublishingCredentialsPolicies/ftp in a script', file: 'deploy.sh', text: 'az resource update --ids "$SITE_ID/basicPublishingCredentialsPolicies/ftp" --set properties.allow=true\n', at: '--set properties.allow=true' },
      ],
      negatives: [
        { name: 'Bicep ftp policy allow false', file: 'main.bicep', text: bicepPolicy('ftp', 'false') },
        { name: 'the scm policy is the other rule', file: 'main.bicep', text: bicepPolicy('scm', 'true') },
      ],
    },
    [BASIC_AUTH_SCM]: {
      positives: [
        { name: 'Bicep scm policy allow true', file: 'main.bicep', text: bicepPolicy('scm', 'true'), at: 'true' },
        { name: 'Terraform webdeploy_publish_basic_authentication_enabled true', file: 'main.tf', text: terraformApp('webdeploy_publish_basic_authentication_enabled = true'), at: 'true' },
        { name: 'az rest PUT .../basicPublishingCredentialsPolicies/scm in a script', file: 'deploy.sh', text: `az rest --method put --uri "https://management.azure.com$SITE/basicPublishingCredentialsPolicies/scm?api-version=2022-03-01" --body '{"properties":{"allow":true}}'\n`, at: `--body '{"properties":{"allow":true` },
      ],
      negatives: [
        { name: 'Terraform webdeploy basic auth off', file: 'main.tf', text: terraformApp('webdeploy_publish_basic_authentication_enabled = false') },
        { name: 'allow on another resource', file: 'main.bicep', text: "resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'st'\n  properties: {\n    allow: true\n  }\n}\n" },
        { name: 'az resource update allowing basic auth by a variable', file: 'deploy.sh', text: 'az resource update --ids "$SITE_ID/basicPublishingCredentialsPolicies/scm" --set properties.allow=$ALLOW\n' },
      ],
    },
  };
}
