import type { Checker, RuleMeta } from '../model';
import { appServiceCheckers, appServiceRules } from './appservice';
import { secretChecker, secretRules } from './secrets';
import { configCheckers, configRules } from './configSources';

/** Every built-in rule, in catalog order. The engine, SARIF, docs and settings all read this list. */
export const allRules: readonly RuleMeta[] = [...secretRules, ...appServiceRules, ...configRules];
export const allCheckers: readonly Checker[] = [secretChecker, ...appServiceCheckers, ...configCheckers];

const byId = new Map(allRules.map((r) => [r.id, r]));
export function getRule(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/** Where a rule's documentation lives (docs/rules/<id>.md in the repository). */
export const DOCS_BASE = 'https://github.com/azure-secure-dev/azure-secure-dev/blob/main/docs/rules/';
export function docsUrl(id: string): string {
  return `${DOCS_BASE}${encodeURIComponent(id)}.md`;
}
