// APPSVC-MIN-TLS and APPSVC-SCM-MIN-TLS: the minimum inbound TLS version of the app and of its SCM (Kudu) site.
// One value test (readMinTls) judges both the template value in the editor and the deployed value in posture.

import type { RuleMeta } from '../../model';
import { clip, unknown, unreadable, webFix, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { RuleExamples, RuleUnit } from '../unit';
import { contentFix, finding, isSiteConfigProperty, isTfSiteArgument, strValue, type EntryCtx } from './context';
import { armApp, bicepApp, terraformApp } from './exampleDocs';

export const MIN_TLS = 'APPSVC-MIN-TLS';
export const SCM_MIN_TLS = 'APPSVC-SCM-MIN-TLS';

const rules: RuleMeta[] = [
  {
    id: MIN_TLS,
    title: 'App Service minimum TLS version below 1.2',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The app accepts TLS 1.0/1.1, which are deprecated and weak; set the minimum TLS version to 1.2 or 1.3.',
  },
  {
    id: SCM_MIN_TLS,
    title: 'SCM (Kudu) minimum TLS version below 1.2',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The SCM/Kudu deployment endpoint accepts TLS 1.0/1.1; set its minimum TLS version to 1.2 or 1.3.',
  },
];

// ---- the value test ------------------------------------------------------------------------------------

const TLS_VERSION = /^1(?:\.[0-9])?$/;

/** What a minimum TLS value says: not set, a version below 1.2, 1.2 or later, or something that is not a version. */
export type MinTlsReading =
  | { kind: 'missing' }
  | { kind: 'weak' | 'ok'; version: string }
  /** Not a version this test knows ('TLS1_2', '2', 'latest'): neither side judges it. */
  | { kind: 'unparsable'; text: string };

/**
 * The one reading of a minimum TLS value ('1.0', '1.1', '1.2', '1.3'; '1' is 1.0), for the template value in the
 * editor and the deployed value in posture, so both always agree. Surrounding spaces are ignored; '' and null
 * are "not set".
 */
export function readMinTls(v: unknown): MinTlsReading {
  if (v === undefined || v === null) return { kind: 'missing' };
  const text = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
  if (text === undefined) return { kind: 'unparsable', text: typeof v };
  if (text === '') return { kind: 'missing' };
  if (!TLS_VERSION.test(text)) return { kind: 'unparsable', text };
  return { kind: Number(text) < 1.2 ? 'weak' : 'ok', version: text };
}

// ---- editor ---------------------------------------------------------------------------------------------

interface TlsSetting {
  ruleId: string;
  armKey: string;
  tfKeys: readonly string[];
}
const SETTINGS: readonly TlsSetting[] = [
  { ruleId: MIN_TLS, armKey: 'mintlsversion', tfKeys: ['minimum_tls_version', 'min_tls_version'] },
  { ruleId: SCM_MIN_TLS, armKey: 'scmmintlsversion', tfKeys: ['scm_minimum_tls_version', 'scm_min_tls_version'] },
];

// ---- live -----------------------------------------------------------------------------------------------

function liveMinTls(c: PostureContext, scm: boolean): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const prop = scm ? 'scmMinTlsVersion' : 'minTlsVersion';
  const reading = readMinTls(c.web?.[prop]);
  if (reading.kind === 'missing') return unknown(`The site configuration did not report ${prop}.`);
  if (reading.kind === 'unparsable') {
    return unknown(`The site configuration reported ${prop} as '${clip(reading.text, 40)}', which is not a TLS version (1.0 to 1.3).`, `'${clip(reading.text, 40)}'`);
  }
  const v = reading.version;
  if (reading.kind === 'ok') return { status: 'pass', value: `TLS ${v}` };
  return {
    status: 'fail',
    value: `TLS ${v}`,
    fix: webFix(c, { [prop]: '1.2' }, prop, v, '1.2', `Require TLS 1.2 or later${scm ? ' on the SCM site' : ''} (${prop} = 1.2).`, [
      `${scm ? 'scm_minimum_tls_version' : 'minimum_tls_version'} = "1.2"`,
    ]),
  };
}

const live: LiveCheck[] = [
  {
    ruleId: MIN_TLS,
    category: 'Transport',
    rank: 20,
    label: 'Minimum TLS version',
    why: 'TLS 1.0 and 1.1 have known weaknesses and are deprecated; clients should be held to TLS 1.2 or later.',
    sources: ['web'],
    scope: 'site',
    evaluate: (c) => liveMinTls(c, false),
  },
  {
    ruleId: SCM_MIN_TLS,
    category: 'Transport',
    rank: 30,
    label: 'SCM (Kudu) minimum TLS version',
    why: 'The SCM site takes deployments and exposes the file system, so it deserves at least the TLS floor of the app itself.',
    sources: ['web'],
    scope: 'site',
    evaluate: (c) => liveMinTls(c, true),
  },
];

export const minTls: RuleUnit = {
  rules,
  patterns: [TLS_VERSION],
  detector: {
    keys: ['mintlsversion', 'minimum_tls_version', 'min_tls_version', 'scmmintlsversion', 'scm_minimum_tls_version', 'scm_min_tls_version'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          for (const t of SETTINGS) {
            if (isSiteConfigProperty(c, t.armKey) || isTfSiteArgument(c, t.tfKeys)) {
              if (readMinTls(strValue(e)).kind === 'weak') s.out.push(finding(t.ruleId, e, { fix: contentFix(e, '1.2', `Set ${e.key} to 1.2`) }));
              return;
            }
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
    [MIN_TLS]: {
      positives: [
        { name: 'Bicep siteConfig minTlsVersion 1.0', file: 'main.bicep', text: bicepApp('', "minTlsVersion: '1.0'"), at: "'1.0'" },
        { name: 'ARM siteConfig minTlsVersion 1.1', file: 'azuredeploy.json', text: armApp('', '"minTlsVersion": "1.1"'), at: '"1.1"' },
        { name: 'Terraform site_config minimum_tls_version 1.0', file: 'main.tf', text: terraformApp('', 'minimum_tls_version = "1.0"'), at: '"1.0"' },
        { name: 'a number in ARM JSON', file: 'azuredeploy.json', text: armApp('', '"minTlsVersion": 1.0'), at: '1.0' },
        { name: 'az webapp config set --min-tls-version 1.0 in a script', file: 'deploy.sh', text: 'az webapp config set -n app --min-tls-version 1.0\n', at: '--min-tls-version 1.0' },
        { name: 'Set-AzWebApp -MinTlsVersion 1.1', file: 'deploy.ps1', text: "Set-AzWebApp -Name app -MinTlsVersion '1.1'\n", at: "-MinTlsVersion '1.1'" },
      ],
      negatives: [
        { name: 'TLS 1.2', file: 'main.bicep', text: bicepApp('', "minTlsVersion: '1.2'") },
        { name: 'TLS 1.3', file: 'main.tf', text: terraformApp('', 'minimum_tls_version = "1.3"') },
        { name: "a value that is not a version ('TLS1_2') is not judged", file: 'main.bicep', text: bicepApp('', "minTlsVersion: 'TLS1_2'") },
        { name: 'a parameter', file: 'main.bicep', text: `param tls string\n${bicepApp('', 'minTlsVersion: tls')}` },
        { name: 'a storage account minimumTlsVersion is another rule', file: 'main.bicep', text: "resource st 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'st'\n  properties: {\n    minimumTlsVersion: 'TLS1_0'\n  }\n}\n" },
        { name: 'az webapp config set --min-tls-version 1.2', file: 'deploy.sh', text: 'az webapp config set -n app --min-tls-version 1.2\n' },
      ],
    },
    [SCM_MIN_TLS]: {
      positives: [
        { name: 'Bicep scmMinTlsVersion 1.0', file: 'main.bicep', text: bicepApp('', "scmMinTlsVersion: '1.0'"), at: "'1.0'" },
        { name: 'Terraform scm_minimum_tls_version 1.1', file: 'main.tf', text: terraformApp('', 'scm_minimum_tls_version = "1.1"'), at: '"1.1"' },
      ],
      negatives: [
        { name: 'SCM TLS 1.2', file: 'main.tf', text: terraformApp('', 'scm_minimum_tls_version = "1.2"') },
        { name: 'a weak app TLS is the other rule', file: 'main.bicep', text: bicepApp('', "minTlsVersion: '1.0'\n      scmMinTlsVersion: '1.3'") },
      ],
    },
  };
}
