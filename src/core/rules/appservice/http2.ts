// APPSVC-HTTP2: HTTP/2 enabled (http20Enabled / http2_enabled).

import type { RuleMeta } from '../../model';
import { unknown, unreadable, webFix, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { RuleExamples, RuleUnit } from '../unit';
import { boolValue, contentFix, finding, isSiteConfigProperty, isTfSiteArgument, type EntryCtx } from './context';
import { bicepApp, terraformApp } from './exampleDocs';

export const HTTP2 = 'APPSVC-HTTP2';

const rules: RuleMeta[] = [
  {
    id: HTTP2,
    title: 'HTTP/2 disabled',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description: 'HTTP/2 is disabled; enabling it is the recommended baseline (better performance, fixes head-of-line blocking).',
  },
];

function liveHttp2(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const v = c.web?.http20Enabled;
  if (v === true) return { status: 'pass', value: 'On' };
  return {
    status: 'warning',
    value: 'Off',
    fix: webFix(c, { http20Enabled: true }, 'http20Enabled', v ?? null, true, 'Turn on HTTP/2 (http20Enabled = true).', ['http2_enabled = true']),
  };
}

const live: LiveCheck[] = [
  {
    ruleId: HTTP2,
    category: 'Transport',
    rank: 50,
    label: 'HTTP/2',
    why: 'HTTP/2 requires modern TLS and improves performance; Azure Policy audits apps that leave it off.',
    sources: ['web'],
    scope: 'site',
    evaluate: liveHttp2,
  },
];

export const http2: RuleUnit = {
  rules,
  detector: {
    keys: ['http20enabled', 'http2_enabled'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          if (!isSiteConfigProperty(c, 'http20enabled') && !isTfSiteArgument(c, 'http2_enabled')) return;
          const e = c.entry;
          if (boolValue(e) === false) s.out.push(finding(HTTP2, e, { fix: contentFix(e, 'true', `Set ${e.key} to true`) }));
        },
      };
    },
  },
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [HTTP2]: {
      positives: [
        { name: 'Bicep http20Enabled false', file: 'main.bicep', text: bicepApp('', 'http20Enabled: false'), at: 'false' },
        { name: 'Terraform http2_enabled false', file: 'main.tf', text: terraformApp('', 'http2_enabled = false'), at: 'false' },
        { name: 'az webapp config set --http20-enabled false in a script', file: 'deploy.sh', text: 'az webapp config set -n app --http20-enabled false\n', at: '--http20-enabled false' },
      ],
      negatives: [
        { name: 'HTTP/2 on', file: 'main.bicep', text: bicepApp('', 'http20Enabled: true') },
        { name: 'not set (the editor only reports an explicit false)', file: 'main.tf', text: terraformApp() },
      ],
    },
  };
}
