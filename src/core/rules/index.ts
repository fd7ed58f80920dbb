// The rule registry. Each settings rule is one unit (metadata, detector, live check, examples: see ./unit.ts);
// everything else is derived from the list below: the catalog, the checker and its dispatch order, the live
// posture checks and the docs index. Adding a rule: write its unit, add it here, write docs/rules/<ID>.md.
// Two checkers read whole texts instead of entries and report under the units' rule ids (they have no rules of
// their own): commands in scripts and pipelines, and the app's own config and code.

import type { Checker, RuleMeta } from '../model';
import type { LiveCheck } from '../posture/common';
import { basicAuth } from './appservice/basicAuth';
import { clientCert } from './appservice/clientCert';
import { cors } from './appservice/cors';
import { detailedErrors } from './appservice/detailedErrors';
import { ftps } from './appservice/ftps';
import { funcStorageIdentity } from './appservice/funcStorageIdentity';
import { http2 } from './appservice/http2';
import { httpEndpoint } from './appservice/httpEndpoint';
import { httpsOnly } from './appservice/httpsOnly';
import { entryChecker, entryCheckerPatterns } from './appservice';
import { keyVaultRefs } from './appservice/keyVaultRefs';
import { managedIdentity } from './appservice/managedIdentity';
import { minTls } from './appservice/minTls';
import { network } from './appservice/network';
import { plaintextSecret } from './appservice/plaintextSecret';
import { remoteDebug } from './appservice/remoteDebug';
import { runFromPackage } from './appservice/runFromPackage';
import { sqlEncrypt } from './appservice/sqlEncrypt';
import { versionHeader } from './appservice/versionHeader';
import { appConfigChecker } from './appconfig';
import { engineRules } from './engineRules';
import { secretChecker, secretRules } from './secrets';
import { scriptChecker } from './scripts';
import { storageHttpsOnly } from './storage/httpsOnly';
import { storageMinTls } from './storage/minTls';
import { storagePublicBlob } from './storage/publicBlob';
import { storageSharedKey } from './storage/sharedKey';
import type { RuleUnit } from './unit';

/**
 * The settings rule units in catalog order, which is also the order their detectors run in (findings on the same
 * range keep it: FUNC-STORAGE-IDENTITY before APPSVC-SETTING-PLAINTEXT-SECRET on an AzureWebJobsStorage key,
 * APPSVC-HTTPS-ONLY before APPSVC-MANAGED-IDENTITY on a site's type). Append new units.
 */
export const ruleUnits: readonly RuleUnit[] = [
  httpsOnly,
  minTls,
  ftps,
  http2,
  remoteDebug,
  detailedErrors,
  cors,
  network,
  basicAuth,
  managedIdentity,
  funcStorageIdentity,
  plaintextSecret,
  runFromPackage,
  httpEndpoint,
  sqlEncrypt,
  keyVaultRefs,
  clientCert,
  storageMinTls,
  storageHttpsOnly,
  storagePublicBlob,
  storageSharedKey,
  versionHeader,
];

const unitRules: readonly RuleMeta[] = ruleUnits.flatMap((u) => u.rules);

/** Every built-in rule with a detector, in catalog order. The engine, SARIF, docs and settings all read this list. */
export const allRules: readonly RuleMeta[] = [...secretRules, ...unitRules];
/** The settings rule units' checker: it reads parsed entries only, so a document without entries gives it nothing. */
export const unitsChecker: Checker = entryChecker(ruleUnits);
export const allCheckers: readonly Checker[] = [secretChecker, unitsChecker, scriptChecker, appConfigChecker];
export { engineRules };
export { ENGINE_RULE_ERROR } from './engineRules';
export { PLAINTEXT_SECRET_SETTING } from './appservice/plaintextSecret';

/** Live posture checks declared by the rule units (the posture-only rules add theirs in src/core/posture). */
export const unitLiveChecks: readonly LiveCheck[] = ruleUnits.flatMap((u) => u.live ?? []);

/** Every regex the settings rules use, for the ReDoS test. */
export const unitPatterns: readonly RegExp[] = [...entryCheckerPatterns, ...ruleUnits.flatMap((u) => u.patterns ?? [])];

const byId = new Map([...allRules, ...engineRules].map((r) => [r.id, r]));
export function getRule(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/** The rules docs/rules/README.md lists (each has docs/rules/<id>.md). */
export const documentedRules: readonly RuleMeta[] = [...allRules, ...engineRules];

/** Where a rule's documentation lives (docs/rules/<id>.md in the repository). */
export const DOCS_BASE = 'https://github.com/azure-secure-dev/azure-secure-dev/blob/main/docs/rules/';
export function docsUrl(id: string): string {
  return `${DOCS_BASE}${encodeURIComponent(id)}.md`;
}
/** The docs page of a rule, relative to the repository root. */
export function docsPath(id: string): string {
  return `docs/rules/${id}.md`;
}
