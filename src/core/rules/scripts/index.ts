// App Service settings changed by commands in scripts, Dockerfiles and CI pipeline steps. Reports under the
// App Service rule ids (no rules of its own): see azCommands.ts.

import type { Checker, ParsedDocument, RawFinding } from '../../model';
import { tokenizeCommands } from '../../commandLine';
import { azCommandPatterns, azCommandRuleIds, checkCommand, finishScript, newScriptFacts } from './azCommands';
import { dockerfileRegions, scriptFileDialect, yamlRegions, type ScriptRegion } from './sources';

/** Cheap test before tokenizing: the text names the Azure CLI or an Az web app cmdlet at all. */
const MENTIONS_COMMAND = /\baz(?:\.cmd|\.exe)?[ \t\r\n\\^`]|set-azwebapp|update-azwebappaccessrestrictionconfig|add-azwebappaccessrestrictionrule/i;
export const scriptPatterns: RegExp[] = [MENTIONS_COMMAND, ...azCommandPatterns];

function regionsOf(doc: ParsedDocument, path: string): ScriptRegion[] {
  if (doc.kind === 'yaml') return yamlRegions(doc);
  const dialect = scriptFileDialect(path, doc.text);
  if (!dialect) return [];
  if (dialect === 'docker') return dockerfileRegions(doc.text);
  return [{ start: 0, end: doc.text.length, dialect }];
}

export const scriptChecker: Checker = {
  ruleIds: azCommandRuleIds,
  kinds: ['code', 'yaml'],
  check(doc, ctx) {
    const out: RawFinding[] = [];
    // Facts that span the commands of one file (access restrictions).
    const facts = newScriptFacts();
    // Regions first: most files are not scripts, and the file name says so without reading the text.
    for (const r of regionsOf(doc, ctx.path)) {
      if (!MENTIONS_COMMAND.test(doc.text.slice(r.start, r.end))) continue;
      for (const c of tokenizeCommands(doc.text, r.dialect, r.start, r.end, { folded: r.folded, heredocScripts: r.heredocScripts })) checkCommand(c, doc.text, out, facts);
    }
    finishScript(facts, out);
    return out;
  },
};
