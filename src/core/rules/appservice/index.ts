// App Service / Functions setting rules. One checker runs every rule module in a single pass over
// doc.entries (dispatched by key), then lets modules that need whole-resource facts finish.

import type { Checker, RawFinding, RuleMeta } from '../../model';
import { classifyResources, contextPatterns, PairNames, Places, segmentBits, settingOf, type EntryCtx } from './context';
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
    const s: ScanState = { doc, check, resources: classifyResources(doc), computed: new Map(), existing: new Set(), out };
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
    const places = new Places();
    const names = new PairNames(doc);
    for (const entry of doc.entries) {
      const lkey = places.norm(entry.key);
      const place = places.of(entry);
      const res = entry.resource !== undefined ? s.resources[entry.resource] : undefined;
      if (res) {
        if (entry.valueType === 'expression') {
          let keys = s.computed.get(res.index);
          if (!keys) s.computed.set(res.index, (keys = new Set()));
          keys.add(lkey);
        } else if (entry.valueType === 'boolean' && lkey === 'existing' && entry.value === 'true') s.existing.add(res.index);
      }
      const c: EntryCtx = { doc, check, entry, lkey, place, parent: place.depth > 0 ? place.lkey : undefined, bits: place.bits | segmentBits(places.self(entry)), res, setting: undefined };
      c.setting = settingOf(c, places, names);
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
