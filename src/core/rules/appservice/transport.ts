// TLS and transport: APPSVC-HTTPS-ONLY, APPSVC-MIN-TLS, APPSVC-SCM-MIN-TLS, APPSVC-FTPS, APPSVC-HTTP2.

import type { RuleMeta } from '../../model';
import { boolValue, contentFix, finding, isSiteConfigProperty, isSiteProperty, isTfSiteArgument, strValue, type EntryCtx } from './context';
import { isReferenceOnly, type RuleModule } from './rule';

export const rules: RuleMeta[] = [
  {
    id: 'APPSVC-HTTPS-ONLY',
    title: 'App Service accepts plain HTTP',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The app does not redirect HTTP to HTTPS (httpsOnly is false or missing), so traffic and cookies can travel unencrypted.',
  },
  {
    id: 'APPSVC-MIN-TLS',
    title: 'App Service minimum TLS version below 1.2',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The app accepts TLS 1.0/1.1, which are deprecated and weak; set the minimum TLS version to 1.2 or 1.3.',
  },
  {
    id: 'APPSVC-SCM-MIN-TLS',
    title: 'SCM (Kudu) minimum TLS version below 1.2',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The SCM/Kudu deployment endpoint accepts TLS 1.0/1.1; set its minimum TLS version to 1.2 or 1.3.',
  },
  {
    id: 'APPSVC-FTPS',
    title: 'Plain FTP allowed',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'ftpsState AllAllowed lets deployment credentials and content travel over unencrypted FTP; disable FTP (or require FTPS).',
  },
  {
    id: 'APPSVC-HTTP2',
    title: 'HTTP/2 disabled',
    tag: 'insecure-setting',
    severity: 'info',
    confidence: 'high',
    description: 'HTTP/2 is disabled; enabling it is the recommended baseline (better performance, fixes head-of-line blocking).',
  },
];

interface TlsSpec {
  ruleId: string;
  armKey: string;
  tfKeys: readonly string[];
}
const TLS: TlsSpec[] = [
  { ruleId: 'APPSVC-MIN-TLS', armKey: 'mintlsversion', tfKeys: ['minimum_tls_version', 'min_tls_version'] },
  { ruleId: 'APPSVC-SCM-MIN-TLS', armKey: 'scmmintlsversion', tfKeys: ['scm_minimum_tls_version', 'scm_min_tls_version'] },
];

const TLS_VERSION = /^1(?:\.[0-9])?$/;
export const patterns: RegExp[] = [TLS_VERSION];

/** '1.0' / '1.1' / '1' are below 1.2; '1.2', '1.3' and anything unparsable are not judged. */
function weakTls(v: string | undefined): boolean {
  return v !== undefined && TLS_VERSION.test(v) && Number(v) < 1.2;
}

export const transport: RuleModule = {
  rules,
  patterns,
  keys: ['httpsonly', 'https_only', 'mintlsversion', 'minimum_tls_version', 'min_tls_version', 'scmmintlsversion', 'scm_minimum_tls_version', 'scm_min_tls_version', 'ftpsstate', 'ftps_state', 'http20enabled', 'http2_enabled'],
  create(s) {
    const httpsSeen = new Set<number>();
    return {
      onEntry(c: EntryCtx) {
        const e = c.entry;
        if (isSiteProperty(c, 'httpsonly') || isTfSiteArgument(c, 'https_only')) {
          httpsSeen.add(c.res!.index);
          if (boolValue(e) === false) s.out.push(finding('APPSVC-HTTPS-ONLY', e, { fix: contentFix(e, 'true', `Set ${e.key} to true`) }));
          return;
        }
        for (const t of TLS) {
          if (isSiteConfigProperty(c, t.armKey) || isTfSiteArgument(c, t.tfKeys)) {
            if (weakTls(strValue(e))) s.out.push(finding(t.ruleId, e, { fix: contentFix(e, '1.2', `Set ${e.key} to 1.2`) }));
            return;
          }
        }
        if (isSiteConfigProperty(c, 'ftpsstate') || isTfSiteArgument(c, 'ftps_state')) {
          if (strValue(e)?.toLowerCase() === 'allallowed') s.out.push(finding('APPSVC-FTPS', e, { fix: contentFix(e, 'Disabled', `Set ${e.key} to Disabled`) }));
          return;
        }
        if (isSiteConfigProperty(c, 'http20enabled') || isTfSiteArgument(c, 'http2_enabled')) {
          if (boolValue(e) === false) s.out.push(finding('APPSVC-HTTP2', e, { fix: contentFix(e, 'true', `Set ${e.key} to true`) }));
        }
      },
      finish() {
        // A site with no httpsOnly at all: Azure Policy treats missing as non-compliant (the platform default is false).
        for (const r of s.resources) {
          if (!r || r.role !== 'site' || httpsSeen.has(r.index)) continue;
          if (s.computed.get(r.index)?.has('properties') || isReferenceOnly(s, r)) continue;
          const key = r.tf ? 'https_only' : 'httpsOnly';
          s.out.push({
            ruleId: 'APPSVC-HTTPS-ONLY',
            start: r.block.anchorStart,
            end: r.block.anchorEnd,
            settingName: key,
            message: `${key} is not set, so the app accepts plain HTTP (the platform default is false); set ${key} to true.`,
          });
        }
      },
    };
  },
};
