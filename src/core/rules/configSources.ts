// Insecure configuration outside the App Service IaC properties: commands in scripts and pipelines (reported
// under the App Service rule ids), the storage account behind the app, and the app's own production config.
import type { Checker, RuleMeta } from '../model';
import { appConfigChecker, appConfigRules } from './appconfig';
import { scriptChecker } from './scripts';
import { scriptFileDialect } from './scripts/sources';
import { storageChecker, storageRules } from './storage';

export const configRules: RuleMeta[] = [...storageRules, ...appConfigRules];
export const configCheckers: Checker[] = [scriptChecker, storageChecker, appConfigChecker];

const CSHARP_CONTEXT_CALLS = ['UseDeveloperExceptionPage', 'AllowAnyOrigin'];

/**
 * Whether findings in this file depend on other lines (quotes, continuations, heredocs of scripts; the enclosing
 * `if` of a C# call), so an edit must be re-checked over the whole document, not a line window.
 */
export function readsAcrossLines(path: string, text: string): boolean {
  if (scriptFileDialect(path, text)) return true;
  return path.toLowerCase().endsWith('.cs') && CSHARP_CONTEXT_CALLS.some((c) => text.includes(c));
}
