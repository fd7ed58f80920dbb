// The output channel's side of ENGINE-RULE-ERROR: the diagnostic shows the user which rule crashed; the log gets
// where our code failed, once per rule and document version (typing re-checks the same version's crash again).
// No vscode here, so the unit tests can drive it.
import { ruleCrashLine, type RuleCrash } from '../../core/rules/engineRules';

export class RuleErrorLog {
  private readonly logged = new Map<string, { version: number; rules: Set<string> }>();

  constructor(private readonly write: (line: string) => void) {}

  /** The crashes one check of `version` of a document met. */
  report(docKey: string, relPath: string, version: number, crashes: readonly RuleCrash[]): void {
    if (!crashes.length) return;
    let seen = this.logged.get(docKey);
    if (!seen || seen.version !== version) {
      seen = { version, rules: new Set() };
      this.logged.set(docKey, seen);
    }
    for (const crash of crashes) {
      const rules = crash.ruleIds.join(',');
      if (seen.rules.has(rules)) continue;
      seen.rules.add(rules);
      this.write(ruleCrashLine(crash, { path: relPath, version }));
    }
  }

  forget(docKey: string): void {
    this.logged.delete(docKey);
  }
}
