// APPSVC-RUN-FROM-PACKAGE-SAS: WEBSITE_RUN_FROM_PACKAGE points to a blob URL signed with a SAS.

import type { RuleMeta } from '../../model';
import type { RuleExamples, RuleUnit } from '../unit';
import { finding, isLiteral, isSettingValue, RUN_FROM_PACKAGE_SETTING, type EntryCtx } from './context';
import { bicepApp } from './exampleDocs';

export const RUN_FROM_PACKAGE_SAS = 'APPSVC-RUN-FROM-PACKAGE-SAS';

const rules: RuleMeta[] = [
  {
    id: RUN_FROM_PACKAGE_SAS,
    title: 'Run-from-package URL carries a SAS token',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description:
      'WEBSITE_RUN_FROM_PACKAGE points to a blob URL with a SAS signature, a long-lived credential in configuration; use the managed identity (WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID) instead.',
  },
];

const HTTP_ANY = /^https?:\/\//i;
const SAS_SIG = /[?&]sig=/i;

const setting = (value: string) => bicepApp('', `appSettings: [\n        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '${value}' }\n      ]`);
const PACKAGE = 'https://stdeploy.blob.core.windows.net/packages/app.zip';

export const runFromPackage: RuleUnit = {
  rules,
  patterns: [HTTP_ANY, SAS_SIG],
  detector: {
    keys: [],
    settings: true,
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          const e = c.entry;
          const st = c.setting;
          if (!st || st.lname !== RUN_FROM_PACKAGE_SETTING || !isSettingValue(e)) return;
          const v = isLiteral(e) ? e.value.trim() : '';
          if (HTTP_ANY.test(v) && SAS_SIG.test(v)) s.out.push(finding(RUN_FROM_PACKAGE_SAS, e, {}, st.name));
        },
      };
    },
  },
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [RUN_FROM_PACKAGE_SAS]: {
      positives: [{ name: 'package URL with a SAS signature', file: 'main.bicep', text: setting(`${PACKAGE}?sv=2022-11-02&se=2030-01-01&sr=b&sp=r&sig=ZmFrZQ%3D`), at: `'${PACKAGE}?sv=2022-11-02&se=2030-01-01&sr=b&sp=r&sig=ZmFrZQ%3D'` }],
      negatives: [
        { name: 'package URL read with the managed identity', file: 'main.bicep', text: setting(PACKAGE) },
        { name: 'run from a local package (1)', file: 'main.bicep', text: setting('1') },
      ],
    },
  };
}
