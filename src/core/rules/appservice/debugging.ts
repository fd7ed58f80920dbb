// Debug surfaces left on: APPSVC-REMOTE-DEBUG, APPSVC-DETAILED-ERRORS.

import type { RuleMeta } from '../../model';
import { boolValue, contentFix, finding, isProductionNamed, isSiteConfigProperty, isDevelopmentNamed, isTfSiteArgument, normKey, strValue, baseNameOf, type EntryCtx } from './context';
import type { RuleModule } from './rule';

export const rules: RuleMeta[] = [
  {
    id: 'APPSVC-REMOTE-DEBUG',
    title: 'Remote debugging enabled',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'Remote debugging is on, which opens extra ports and lets a debugger attach to the production process; turn it off.',
  },
  {
    id: 'APPSVC-DETAILED-ERRORS',
    title: 'Detailed error pages in a deployed app',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'medium',
    description:
      'The deployed app runs with developer error pages (Development environment, ASPNETCORE_DETAILEDERRORS or customErrors Off), which leak stack traces and configuration to clients.',
  },
];

const ENV_NAMES = new Set(['aspnetcore_environment', 'dotnet_environment']);

/** Settings of a deployed app: IaC site settings, a settings export, or a production-named local file / web.config. */
function deployedContext(c: EntryCtx): boolean {
  const st = c.setting;
  if (!st) return false;
  if (st.origin === 'iac' || st.origin === 'export') return true;
  if (st.origin === 'xml') {
    const base = baseNameOf(c.check.path);
    return base === 'web.config' || isProductionNamed(c.check.path);
  }
  return isProductionNamed(c.check.path);
}

export const debugging: RuleModule = {
  rules,
  // Remote debugging arguments, web.config customErrors mode / httpErrors errorMode, and app settings.
  keys: ['remotedebuggingenabled', 'remote_debugging_enabled', 'mode', 'errormode'],
  settings: true,
  create(s) {
    return {
      onEntry(c: EntryCtx) {
        const e = c.entry;
        if (isSiteConfigProperty(c, 'remotedebuggingenabled') || isTfSiteArgument(c, 'remote_debugging_enabled')) {
          if (boolValue(e) === true) s.out.push(finding('APPSVC-REMOTE-DEBUG', e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
          return;
        }
        if (s.doc.kind === 'xml' && !isDevelopmentNamed(c.check.path)) {
          const parent = normKey(c.parent ?? '');
          // <customErrors mode="Off"/> and <httpErrors errorMode="Detailed"/> in web.config.
          if (c.lkey === 'mode' && parent === 'customerrors' && strValue(e)?.toLowerCase() === 'off') {
            s.out.push(finding('APPSVC-DETAILED-ERRORS', e, { fix: contentFix(e, 'RemoteOnly', 'Set customErrors mode to RemoteOnly') }, 'customErrors'));
            return;
          }
          if (c.lkey === 'errormode' && parent === 'httperrors' && strValue(e)?.toLowerCase() === 'detailed') {
            s.out.push(finding('APPSVC-DETAILED-ERRORS', e, { fix: contentFix(e, 'DetailedLocalOnly', 'Set httpErrors errorMode to DetailedLocalOnly') }, 'httpErrors'));
            return;
          }
        }
        const st = c.setting;
        if (!st || st.section !== 'appSettings') return;
        const name = st.lname;
        if (ENV_NAMES.has(name)) {
          if (strValue(e)?.toLowerCase() === 'development' && deployedContext(c)) {
            s.out.push(finding('APPSVC-DETAILED-ERRORS', e, { fix: contentFix(e, 'Production', `Set ${st.name} to Production`) }, st.name));
          }
        } else if (name === 'aspnetcore_detailederrors') {
          const v = strValue(e)?.toLowerCase();
          if ((v === 'true' || v === '1') && deployedContext(c)) {
            s.out.push(finding('APPSVC-DETAILED-ERRORS', e, { fix: contentFix(e, v === '1' ? '0' : 'false', `Set ${st.name} to false`) }, st.name));
          }
        }
      },
    };
  },
};
