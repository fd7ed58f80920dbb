// APPSVC-VERSION-HEADER: web.config turns the X-AspNet-Version header on (`<httpRuntime enableVersionHeader="true">`).
// Editor only: the live view does not read web.config.

import type { RuleMeta } from '../../model';
import type { RuleExamples, RuleUnit } from '../unit';
import { contentFix, finding, isDeployedWebConfig, strValue, type EntryCtx } from './context';

export const VERSION_HEADER = 'APPSVC-VERSION-HEADER';

const rules: RuleMeta[] = [
  {
    id: VERSION_HEADER,
    title: 'ASP.NET version header sent',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'medium',
    description: 'web.config turns the X-AspNet-Version response header on, telling attackers which framework version to target; set enableVersionHeader to false.',
  },
];

export const versionHeader: RuleUnit = {
  rules,
  detector: {
    keys: ['enableversionheader'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          if (s.doc.kind !== 'xml' || c.parent !== 'httpruntime' || !isDeployedWebConfig(c.check.path)) return;
          const e = c.entry;
          if (strValue(e)?.toLowerCase() === 'true') s.out.push(finding(VERSION_HEADER, e, { fix: contentFix(e, 'false', 'Set enableVersionHeader to false') }, 'httpRuntime'));
        },
      };
    },
  },
};

const webConfig = (runtime: string) => `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <system.web>\n    ${runtime}\n  </system.web>\n</configuration>\n`;

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [VERSION_HEADER]: {
      positives: [
        { name: 'web.config enableVersionHeader true', file: 'web.config', text: webConfig('<httpRuntime targetFramework="4.8" enableVersionHeader="true" />'), at: '"true"' },
        { name: 'a Release transform', file: 'Web.Release.config', text: '<configuration><system.web><httpRuntime enableVersionHeader="true" /></system.web></configuration>', at: '"true"' },
      ],
      negatives: [
        { name: 'enableVersionHeader false', file: 'web.config', text: webConfig('<httpRuntime enableVersionHeader="false" />') },
        { name: 'a Debug transform', file: 'Web.Debug.config', text: webConfig('<httpRuntime enableVersionHeader="true" />') },
        { name: 'an XML file that is not a web.config', file: 'settings.xml', text: webConfig('<httpRuntime enableVersionHeader="true" />') },
        { name: 'the attribute on another element', file: 'web.config', text: webConfig('<pages enableVersionHeader="true" />') },
      ],
    },
  };
}
