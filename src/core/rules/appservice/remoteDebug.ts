// APPSVC-REMOTE-DEBUG: remote debugging off (remoteDebuggingEnabled / remote_debugging_enabled).

import type { RuleMeta } from '../../model';
import { str, unknown, unreadable, webFix, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import type { RuleExamples, RuleUnit } from '../unit';
import { boolValue, contentFix, finding, isSiteConfigProperty, isTfSiteArgument, type EntryCtx } from './context';
import { armApp, terraformApp } from './exampleDocs';

export const REMOTE_DEBUG = 'APPSVC-REMOTE-DEBUG';

const rules: RuleMeta[] = [
  {
    id: REMOTE_DEBUG,
    title: 'Remote debugging enabled',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'Remote debugging is on, which opens extra ports and lets a debugger attach to the production process; turn it off.',
  },
];

function liveRemoteDebug(c: PostureContext): Verdict {
  const why = unreadable('web', c.input.web);
  if (why) return unknown(why);
  const v = c.web?.remoteDebuggingEnabled;
  if (v !== true) return { status: 'pass', value: 'Off' };
  const version = str(c.web?.remoteDebuggingVersion);
  return {
    status: 'fail',
    value: `On${version ? ` (${version})` : ''}`,
    fix: webFix(c, { remoteDebuggingEnabled: false }, 'remoteDebuggingEnabled', true, false, 'Turn off remote debugging.', ['remote_debugging_enabled = false']),
  };
}

const live: LiveCheck[] = [
  {
    ruleId: REMOTE_DEBUG,
    category: 'Identity',
    rank: 50,
    label: 'Remote debugging',
    why: 'Remote debugging opens extra inbound ports and lets a debugger attach to the running app.',
    sources: ['web'],
    scope: 'site',
    evaluate: liveRemoteDebug,
  },
];

export const remoteDebug: RuleUnit = {
  rules,
  detector: {
    keys: ['remotedebuggingenabled', 'remote_debugging_enabled'],
    create(s) {
      return {
        onEntry(c: EntryCtx) {
          if (!isSiteConfigProperty(c, 'remotedebuggingenabled') && !isTfSiteArgument(c, 'remote_debugging_enabled')) return;
          const e = c.entry;
          if (boolValue(e) === true) s.out.push(finding(REMOTE_DEBUG, e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
        },
      };
    },
  },
  live,
};

/** True- and false-positive examples by rule id (test/unit/ruleCatalog.test.ts runs them; a function, so bundles leave them out). */
export function examples(): Readonly<Record<string, RuleExamples>> {
  return {
    [REMOTE_DEBUG]: {
      positives: [
        { name: 'ARM remoteDebuggingEnabled true', file: 'azuredeploy.json', text: armApp('', '"remoteDebuggingEnabled": true'), at: 'true' },
        { name: 'Terraform remote_debugging_enabled true', file: 'main.tf', text: terraformApp('', 'remote_debugging_enabled = true'), at: 'true' },
        { name: 'az webapp config set --remote-debugging-enabled true in a script', file: 'deploy.sh', text: 'az webapp config set -n app --remote-debugging-enabled true\n', at: '--remote-debugging-enabled true' },
      ],
      negatives: [
        { name: 'remote debugging off', file: 'azuredeploy.json', text: armApp('', '"remoteDebuggingEnabled": false') },
        { name: 'a parameter', file: 'main.tf', text: `variable "debug" {}\n${terraformApp('', 'remote_debugging_enabled = var.debug')}` },
        { name: 'az webapp config set --remote-debugging-enabled false', file: 'deploy.sh', text: 'az webapp config set -n app --remote-debugging-enabled false\n' },
      ],
    },
  };
}
