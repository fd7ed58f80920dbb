// App Service / Functions setting rules. One checker runs every rule module in a single pass over
// doc.entries (dispatched by key), then lets modules that need whole-resource facts finish.

import type { Checker, RawFinding, RuleMeta } from '../../model';
import { classifyResources, contextPatterns, PairNames, Places, type EntryCtx } from './context';
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

/**
 * The order entry handlers run in (findings on the same range keep this order): the modules that look at
 * every entry, then the ones dispatched by key only. At most 31 modules: dispatch uses bit masks.
 */
const entryOrder: RuleModule[] = [debugging, network, identity, settings, keyVaultRefs, transport, basicAuth];
for (const m of modules) if (!entryOrder.includes(m)) entryOrder.push(m);

/** Which modules (bits of entryOrder) an entry can concern, by what each module declares. */
interface Dispatch {
  every: number;
  byKey: Map<string, number>;
  byParent: Map<string, number>;
  byBits: { bits: number; mask: number }[];
  restrictionLists: number;
  settings: number;
}

/** Built once from the modules' declarations (a module without onEntry in a scan is skipped by run). */
function dispatchFor(order: readonly RuleModule[]): Dispatch {
  const d: Dispatch = { every: 0, byKey: new Map(), byParent: new Map(), byBits: [], restrictionLists: 0, settings: 0 };
  order.forEach((m, i) => {
    const bit = 1 << i;
    for (const k of m.keys) {
      if (k === '*') d.every |= bit;
      else d.byKey.set(k, (d.byKey.get(k) ?? 0) | bit);
    }
    for (const p of m.parents ?? []) d.byParent.set(p, (d.byParent.get(p) ?? 0) | bit);
    if (m.bits) d.byBits.push({ bits: m.bits, mask: bit });
    if (m.restrictionLists) d.restrictionLists |= bit;
    if (m.settings) d.settings |= bit;
  });
  return d;
}

const dispatch = dispatchFor(entryOrder);
/** One masks object for every scan, so key facts are cached across documents (see Places). */
const masks = { key: (k: string): number => dispatch.byKey.get(k) ?? 0, parent: (p: string): number => dispatch.byParent.get(p) ?? 0 };

export const appServiceChecker: Checker = {
  ruleIds: appServiceRules.map((r) => r.id),
  check(doc, check) {
    const out: RawFinding[] = [];
    if (doc.entries.length === 0) return out;
    const s: ScanState = { doc, check, resources: classifyResources(doc), computed: new Map(), existing: new Set(), out };
    const created = new Map(modules.map((m) => [m, m.create(s)]));
    const handlers = entryOrder.map((m) => created.get(m)!);
    const d = dispatch;
    const places = new Places(masks);
    const names = new PairNames(doc);
    const entries = doc.entries;
    // One context object, refilled for every entry (handlers read it during onEntry and never keep it).
    const c: EntryCtx = { doc, check, entry: entries[0], lkey: '', place: places.of(entries[0]), parent: undefined, bits: 0, res: undefined, setting: undefined };
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const key = places.word(entry.key);
      const lkey = key.norm;
      const place = places.of(entry);
      const res = entry.resource !== undefined ? s.resources[entry.resource] : undefined;
      if (res) {
        if (entry.valueType === 'expression') {
          let keys = s.computed.get(res.index);
          if (!keys) s.computed.set(res.index, (keys = new Set()));
          keys.add(lkey);
        } else if (entry.valueType === 'boolean' && lkey === 'existing' && entry.value === 'true') s.existing.add(res.index);
      }
      c.entry = entry;
      c.lkey = lkey;
      c.place = place;
      c.parent = place.depth > 0 ? place.lkey : undefined;
      c.bits = place.bits | (entry.container ? key.bits : places.self(entry).bits);
      c.res = res;
      c.setting = undefined;
      c.setting = places.settingOf(c, names);

      let mask = d.every | key.mask | place.mask;
      if (c.setting) mask |= d.settings;
      if (place.restriction !== 0) mask |= d.restrictionLists;
      if (c.bits !== 0) for (const b of d.byBits) if (c.bits & b.bits) mask |= b.mask;
      for (let k = 0; mask !== 0; k++, mask >>>= 1) if (mask & 1) run(handlers[k], c);
    }
    // Whole-resource rules, in module order.
    for (const m of modules) {
      try {
        created.get(m)!.finish?.();
      } catch {
        // One rule's bug must not hide the others' findings.
      }
    }
    return out;
  },
};

function run(h: Handlers, c: EntryCtx): void {
  try {
    h.onEntry?.(c);
  } catch {
    // One rule's bug must not hide the others' findings.
  }
}

export const appServiceCheckers: Checker[] = [appServiceChecker];
