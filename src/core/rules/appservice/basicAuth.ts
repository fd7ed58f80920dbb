// Basic (publishing) credentials: APPSVC-BASIC-AUTH-FTP, APPSVC-BASIC-AUTH-SCM.

import type { RuleMeta } from '../../model';
import { boolValue, contentFix, finding, isTfSiteArgument, type EntryCtx } from './context';
import type { RuleModule } from './rule';

export const rules: RuleMeta[] = [
  {
    id: 'APPSVC-BASIC-AUTH-FTP',
    title: 'FTP basic authentication enabled',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'FTP accepts basic publishing credentials (a username and password that bypass Microsoft Entra ID and RBAC); disable basic authentication for FTP.',
  },
  {
    id: 'APPSVC-BASIC-AUTH-SCM',
    title: 'SCM/WebDeploy basic authentication enabled',
    tag: 'insecure-setting',
    severity: 'warning',
    confidence: 'high',
    description: 'The SCM/WebDeploy endpoint accepts basic publishing credentials that bypass Microsoft Entra ID and RBAC; disable basic authentication and deploy with Entra ID (OIDC).',
  },
];

export const basicAuth: RuleModule = {
  rules,
  keys: ['allow', 'ftp_publish_basic_authentication_enabled', 'webdeploy_publish_basic_authentication_enabled'],
  create(s) {
    return {
      onEntry(c: EntryCtx) {
        const e = c.entry;
        let ruleId: string | undefined;
        if (c.lkey === 'allow' && c.res && !c.res.tf && c.parent === 'properties') {
          if (c.res.role === 'ftpPolicy') ruleId = 'APPSVC-BASIC-AUTH-FTP';
          else if (c.res.role === 'scmPolicy') ruleId = 'APPSVC-BASIC-AUTH-SCM';
        } else if (isTfSiteArgument(c, 'ftp_publish_basic_authentication_enabled')) ruleId = 'APPSVC-BASIC-AUTH-FTP';
        else if (isTfSiteArgument(c, 'webdeploy_publish_basic_authentication_enabled')) ruleId = 'APPSVC-BASIC-AUTH-SCM';
        if (ruleId && boolValue(e) === true) s.out.push(finding(ruleId, e, { fix: contentFix(e, 'false', `Set ${e.key} to false`) }));
      },
    };
  },
};
