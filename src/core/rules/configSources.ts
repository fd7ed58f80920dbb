// Which files the whole-text checkers (./scripts, ./appconfig) read across lines, for incremental re-checks.
import { scriptFileDialect } from './scripts/sources';

const CSHARP_CONTEXT_CALLS = ['UseDeveloperExceptionPage', 'AllowAnyOrigin', 'SetIsOriginAllowed'];

/**
 * Whether findings in this file depend on other lines (quotes, continuations, heredocs of scripts; the enclosing
 * `if` of a C# call), so an edit must be re-checked over the whole document, not a line window.
 */
export function readsAcrossLines(path: string, text: string): boolean {
  if (scriptFileDialect(path, text)) return true;
  return path.toLowerCase().endsWith('.cs') && CSHARP_CONTEXT_CALLS.some((c) => text.includes(c));
}
