// App Service / Functions setting rules. One checker runs every rule module in a single pass over
// doc.entries (dispatched by key), then lets modules that need whole-resource facts finish.

import type { Checker, RawFinding, RuleMeta } from '../../model';
import { classifyResources, collectPairNames, contextPatterns, normKey, settingOf, type EntryCtx } from './context';
import { basicAuth } from './basicAuth';
import { debugging } from './debugging';
import { identity } from './identity';
import { keyVaultRefs } from './keyVaultRefs';
import { network } from './network';
import { ruleFrameworkPatterns, type Handlers, type RuleModule, type ScanState } from './rule';
import { settings } from './settings';
import { transport } from './transport';

const modules: RuleModule[] = [transport, debugging, network, basicAuth, identity, settings, keyVaultRefs];

export const appServiceRules: RuleMeta[] = modules.flatMap((m) => m.rules);

/** Every regex the App Service rules use, for the ReDoS test. */
export const appServicePatterns: RegExp[] = [...contextPatterns, ...ruleFrameworkPatterns, ...modules.flatMap((m) => m.patterns ?? [])];

export const appServiceChecker: Checker = {
  ruleIds: appServiceRules.map((r) => r.id),
  check(doc, check) {
    const out: RawFinding[] = [];
    if (doc.entries.length === 0) return out;
    const s: ScanState = { doc, check, resources: classifyResources(doc), flags: new Map(), out };
    const handlers: Handlers[] = [];
    const all: Handlers[] = [];
    const byKey = new Map<string, Handlers[]>();
    for (const m of modules) {
      const h = m.create(s);
      handlers.push(h);
      if (!h.onEntry) continue;
      if (m.keys.includes('*')) all.push(h);
      else
        for (const k of m.keys) {
          const list = byKey.get(k);
          if (list) list.push(h);
          else byKey.set(k, [h]);
        }
    }
    const names = collectPairNames(doc);
    for (const entry of doc.entries) {
      const lkey = normKey(entry.key);
      const lpath = entry.path.map((p) => p.toLowerCase());
      const res = entry.resource !== undefined ? s.resources[entry.resource] : undefined;
      if (res && (entry.valueType === 'expression' || (entry.valueType === 'boolean' && lkey === 'existing'))) {
        let f = s.flags.get(res.index);
        if (!f) s.flags.set(res.index, (f = new Set()));
        if (entry.valueType === 'expression') f.add(`expr:${lkey}`);
        else if (entry.value === 'true') f.add('existing');
      }
      const c: EntryCtx = { doc, check, entry, lkey, lpath, res, setting: settingOf(doc, entry, lpath, res, names) };
      for (const h of all) run(h, c);
      const keyed = byKey.get(lkey);
      if (keyed) for (const h of keyed) run(h, c);
    }
    for (const h of handlers) {
      try {
        h.finish?.();
      } catch {
        // One rule's bug must not hide the others' findings.
      }
    }
    return out;
  },
};

function run(h: Handlers, c: EntryCtx): void {
  try {
    h.onEntry!(c);
  } catch {
    // One rule's bug must not hide the others' findings.
  }
}

export const appServiceCheckers: Checker[] = [appServiceChecker];
