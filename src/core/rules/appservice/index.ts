// The settings checker: one pass over doc.entries runs the detectors of every settings rule unit (dispatched
// by key, parent key, path bits), then lets units that need whole-resource facts finish. A unit that throws is
// reported as a rule error (ENGINE-RULE-ERROR) once per document and skipped for the rest of it; the other
// units carry on.

import type { Checker, Entry, RawFinding } from '../../model';
import { ruleErrorFinding } from '../engineRules';
import type { RuleUnit } from '../unit';
import { classifyResources, contextPatterns, PairNames, Places, STRUCTURAL, type EntryCtx } from './context';
import { ruleFrameworkPatterns, type Detector, type Handlers, type ScanState } from './rule';

/** Regexes of the checker framework itself, for the ReDoS test (each unit lists its own). */
export const entryCheckerPatterns: RegExp[] = [...contextPatterns, ...ruleFrameworkPatterns];

/** Which detectors (bits of the unit order) an entry can concern, by what each detector declares. */
interface Dispatch {
  every: number;
  byKey: Map<string, number>;
  byParent: Map<string, number>;
  /** Detectors by the STRUCTURAL bits of an entry's path: index = the bits (a table, not a loop per entry). */
  byBits: number[];
  restrictionLists: number;
  settings: number;
}

/** Every combination of STRUCTURAL bits (each a power of two). */
const STRUCTURAL_COMBINATIONS = 2 * Math.max(...Object.values(STRUCTURAL));

/** At most 31 detectors: dispatch uses bit masks. */
const MAX_DETECTORS = 31;

function dispatchFor(detectors: readonly Detector[]): Dispatch {
  if (detectors.length > MAX_DETECTORS) throw new Error(`at most ${MAX_DETECTORS} settings rule units (bit masks); split the checker`);
  const d: Dispatch = { every: 0, byKey: new Map(), byParent: new Map(), byBits: new Array<number>(STRUCTURAL_COMBINATIONS).fill(0), restrictionLists: 0, settings: 0 };
  detectors.forEach((m, i) => {
    const bit = 1 << i;
    for (const k of m.keys) {
      if (k === '*') d.every |= bit;
      else d.byKey.set(k, (d.byKey.get(k) ?? 0) | bit);
    }
    for (const p of m.parents ?? []) d.byParent.set(p, (d.byParent.get(p) ?? 0) | bit);
    if (m.bits) for (let b = 0; b < STRUCTURAL_COMBINATIONS; b++) if (b & m.bits) d.byBits[b] |= bit;
    if (m.restrictionLists) d.restrictionLists |= bit;
    if (m.settings) d.settings |= bit;
  });
  return d;
}

/** One unit's handlers in one scan; `failed` once it threw (it then stays silent for this document). */
interface Running {
  unit: RuleUnit;
  handlers: Handlers;
  failed: boolean;
}

/**
 * The checker for these units, in this order: entry handlers run in it (findings on the same range keep it),
 * and so do the finish steps.
 */
export function entryChecker(units: readonly RuleUnit[]): Checker {
  const withDetector = units.filter((u) => u.detector);
  const detectors = withDetector.map((u) => u.detector!);
  const d = dispatchFor(detectors);
  // One masks object per checker, so key facts are cached across documents (see Places).
  const masks = { key: (k: string): number => d.byKey.get(k) ?? 0, parent: (p: string): number => d.byParent.get(p) ?? 0 };
  return {
    ruleIds: withDetector.flatMap((u) => u.rules.map((r) => r.id)),
    check(doc, check) {
      const out: RawFinding[] = [];
      if (doc.entries.length === 0) return out;
      const s: ScanState = { doc, check, resources: classifyResources(doc), computedProperties: new Set(), existing: new Set(), out };
      const running: Running[] = withDetector.map((unit) => ({ unit, handlers: {}, failed: false }));
      const isEnabled = check.isEnabled;
      // Bits of the units that run: one whose rules are all off (a default-off rule, or one the user turned off)
      // does no work at all.
      let active = 0;
      for (const [k, r] of running.entries()) {
        if (isEnabled && !r.unit.rules.some((m) => isEnabled(m.id))) continue;
        active |= 1 << k;
        try {
          r.handlers = r.unit.detector!.create(s);
        } catch (error) {
          fail(r, out, error);
        }
      }
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
            if (lkey === 'properties') s.computedProperties.add(res.index);
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

        let mask = d.every | key.mask | place.mask | d.byBits[c.bits];
        if (c.setting) mask |= d.settings;
        if (place.restriction !== 0) mask |= d.restrictionLists;
        mask &= active;
        for (let k = 0; mask !== 0; k++, mask >>>= 1) if (mask & 1) onEntry(running[k], c, out);
      }
      // Whole-resource rules, in unit order.
      for (const r of running) {
        if (r.failed || !r.handlers.finish) continue;
        try {
          r.handlers.finish();
        } catch (error) {
          fail(r, out, error);
        }
      }
      return out;
    },
  };
}

function onEntry(r: Running, c: EntryCtx, out: RawFinding[]): void {
  if (r.failed || !r.handlers.onEntry) return;
  try {
    r.handlers.onEntry(c);
  } catch (error) {
    fail(r, out, error, c.entry);
  }
}

/** A unit that throws: one visible rule error for the document (never silence), and no more calls to it. */
function fail(r: Running, out: RawFinding[], error: unknown, at?: Entry): void {
  r.failed = true;
  out.push(ruleErrorFinding(r.unit.rules.map((m) => m.id), error, at ? { start: at.valueStart, end: at.valueEnd } : undefined));
}
