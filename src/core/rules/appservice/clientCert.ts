// APPSVC-CLIENT-CERT: incoming client certificates required (clientCertEnabled true and clientCertMode Required).
// Off by default: only B2B and API scenarios where every caller can present a certificate want it; a project
// turns it on with a rule level. One value test (readClientCert) judges the template and the deployed app.

import type { RuleMeta } from '../../model';
import { siteFix, str, unknown, unreadable, type LiveCheck, type PostureContext, type Verdict } from '../../posture/common';
import { bicepSite } from '../../posture/snippets';
import type { RuleExamples, RuleUnit } from '../unit';
import { boolValue, contentFix, finding, isSiteProperty, isTfSiteArgument, strValue, type EntryCtx } from './context';
import { armApp, bicepApp, terraformApp } from './exampleDocs';
import { isReferenceOnly } from './rule';

export const CLIENT_CERT = 'APPSVC-CLIENT-CERT';

const rules: RuleMeta[] = [
  {
    id: CLIENT_CERT,
    title: 'Client certificates not required',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description:
      'The app does not require client certificates (clientCertEnabled is off, or clientCertMode is Optional), so callers are not authenticated by mutual TLS; require them where every caller can present one.',
    defaultOff: true,
  },
];

// ---- the value test ------------------------------------------------------------------------------------

/**
 * required: certificates on and mode Required (the platform's default mode once they are on). optional: on, but
 * callers without one get in. off: not on (missing counts as off, the platform default). unparsable: a mode
 * this test does not know.
 */
export type ClientCertReading = 'required' | 'optional' | 'off' | 'unparsable';

/** `enabled` undefined = not set; `mode` undefined or '' = not set. */
export function readClientCert(enabled: boolean | undefined, mode: string | undefined): ClientCertReading {
  if (enabled !== true) return 'off';
  const m = (mode ?? '').trim().toLowerCase();
  if (m === '' || m === 'required') return 'required';
  if (m === 'optional' || m === 'optionalinteractiveuser') return 'optional';
  return 'unparsable';
}

// ---- editor ---------------------------------------------------------------------------------------------

const ENABLED_TF = ['client_certificate_enabled', 'client_cert_enabled'];
const MODE_TF = ['client_certificate_mode', 'client_cert_mode'];

interface SiteCert {
  enabled?: EntryCtx['entry'];
  mode?: EntryCtx['entry'];
}

// ---- live -----------------------------------------------------------------------------------------------

function liveClientCert(c: PostureContext): Verdict {
  const why = unreadable('site', c.input.site);
  if (why) return unknown(why);
  const p = c.site?.properties;
  const enabled = p?.clientCertEnabled;
  const mode = str(p?.clientCertMode);
  const reading = readClientCert(enabled === true ? true : undefined, mode);
  if (reading === 'required') return { status: 'pass', value: 'Required' };
  if (reading === 'unparsable') return unknown(`The app reported clientCertMode '${mode!.slice(0, 40)}', which this check does not know.`, `'${mode!.slice(0, 40)}'`);
  const properties = { clientCertEnabled: true, clientCertMode: 'Required' };
  const fix = siteFix(
    c,
    reading === 'off' ? 'clientCertEnabled' : 'clientCertMode',
    reading === 'off' ? (enabled ?? null) : mode,
    reading === 'off' ? true : 'Required',
    'Require client certificates (clientCertEnabled = true, clientCertMode = Required).',
    ['client_certificate_enabled = true', 'client_certificate_mode    = "Required"'],
    'Callers that do not present a client certificate are refused.',
  );
  fix.body = { properties };
  fix.bicep = bicepSite(c.target, { properties });
  return { status: 'warning', value: reading === 'off' ? 'Off' : `Optional (${mode})`, fix };
}

const live: LiveCheck[] = [
  {
    ruleId: CLIENT_CERT,
    category: 'Identity',
    rank: 60,
    label: 'Client certificates',
    why: 'Requiring client certificates (mutual TLS) lets only callers holding a trusted certificate reach the app, in front of any authentication in code.',
    sources: ['site'],
    scope: 'site',
    evaluate: liveClientCert,
  },
];

export const clientCert: RuleUnit = {
  rules,
  detector: {
    keys: ['clientcertenabled', 'clientcertmode', ...ENABLED_TF, ...MODE_TF],
    create(s) {
      const sites = new Map<number, SiteCert>();
      return {
        onEntry(c: EntryCtx) {
          let which: keyof SiteCert | undefined;
          if (isSiteProperty(c, 'clientcertenabled') || isTfSiteArgument(c, ENABLED_TF)) which = 'enabled';
          else if (isSiteProperty(c, 'clientcertmode') || isTfSiteArgument(c, MODE_TF)) which = 'mode';
          if (!which) return;
          const index = c.res!.index;
          let site = sites.get(index);
          if (!site) sites.set(index, (site = {}));
          site[which] = c.entry;
        },
        finish() {
          for (const r of s.resources) {
            if (!r || r.role !== 'site') continue;
            const site = sites.get(r.index) ?? {};
            const { enabled, mode } = site;
            if (!enabled) {
              // Not set: off by the platform default, unless the properties are computed or the site is declared elsewhere.
              if (s.computedProperties.has(r.index) || isReferenceOnly(s, r)) continue;
              const key = r.tf ? 'client_certificate_enabled' : 'clientCertEnabled';
              s.out.push({
                ruleId: CLIENT_CERT,
                start: r.block.anchorStart,
                end: r.block.anchorEnd,
                settingName: key,
                message: `${key} is not set, so the app does not ask for client certificates (the platform default is off); set ${key} to true with mode Required.`,
              });
              continue;
            }
            const on = boolValue(enabled);
            if (on === undefined) continue; // an expression: not judged
            const modeText = mode ? strValue(mode) : undefined;
            if (mode && modeText === undefined) continue; // a computed mode: not judged
            const reading = readClientCert(on, modeText);
            if (reading === 'off') s.out.push(finding(CLIENT_CERT, enabled, { fix: contentFix(enabled, 'true', `Set ${enabled.key} to true`) }));
            else if (reading === 'optional' && mode) {
              s.out.push(finding(CLIENT_CERT, mode, { message: `${mode.key} is '${modeText}', so callers without a client certificate get in; use Required.`, fix: contentFix(mode, 'Required', `Set ${mode.key} to Required`) }));
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
    [CLIENT_CERT]: {
      positives: [
        { name: 'Bicep clientCertEnabled false', file: 'main.bicep', text: bicepApp('clientCertEnabled: false'), at: 'false' },
        { name: "Bicep clientCertMode 'Optional'", file: 'main.bicep', text: bicepApp("clientCertEnabled: true\n    clientCertMode: 'Optional'"), at: "'Optional'" },
        { name: 'ARM site without clientCertEnabled (reported on the type)', file: 'azuredeploy.json', text: armApp(), at: 'Microsoft.Web/sites' },
        { name: 'Terraform client_certificate_mode Optional', file: 'main.tf', text: terraformApp('client_certificate_enabled = true\n  client_certificate_mode    = "Optional"'), at: '"Optional"' },
        { name: 'Terraform client_certificate_enabled false', file: 'main.tf', text: terraformApp('client_certificate_enabled = false'), at: 'false' },
      ],
      negatives: [
        { name: "Bicep required ('Required')", file: 'main.bicep', text: bicepApp("clientCertEnabled: true\n    clientCertMode: 'Required'") },
        { name: 'ARM enabled with the default mode (Required)', file: 'azuredeploy.json', text: armApp('"clientCertEnabled": true') },
        { name: 'Terraform required', file: 'main.tf', text: terraformApp('client_certificate_enabled = true\n  client_certificate_mode    = "Required"') },
        { name: 'a parameter decides', file: 'main.bicep', text: `param requireCerts bool\n${bicepApp('clientCertEnabled: requireCerts')}` },
      ],
    },
  };
}
