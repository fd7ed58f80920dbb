// The rule as the unit: one module per rule id (or per small family that shares one value test) holds the rule's
// metadata, its editor detector, its live posture check and, as the module's `examples()` export (a function, so
// bundles leave the texts out), its true- and false-positive examples. The registry
// (./index.ts) derives everything else from the list of units: the catalog, the checker and its dispatch, the
// posture check list and the docs index.

import type { RuleMeta } from '../model';
import type { LiveCheck } from '../posture/common';
import type { Detector } from './appservice/rule';

/** One example document. Settings rules need no secret pieces: the text is scanned as it is. */
export interface RuleExample {
  /** What the example shows; the test title. */
  name: string;
  /** File name the text is scanned as (decides the file kind). */
  file: string;
  text: string;
  /** Positives: the source text the finding covers (the value token, quotes included, or the resource type). */
  at?: string;
}

export interface RuleExamples {
  /** Reported by this rule (at `at` when given). */
  positives: RuleExample[];
  /** Not reported by this rule. */
  negatives: RuleExample[];
}

export interface RuleUnit {
  /** The rules the unit reports; each has docs/rules/<id>.md. */
  rules: readonly RuleMeta[];
  /** Editor detector over parsed entries; absent for rules only the live posture view can judge. */
  detector?: Detector;
  /** Live posture checks of the unit's rules, sharing the detector's value tests. */
  live?: readonly LiveCheck[];
  /** Every regex the unit uses, for the ReDoS test. */
  patterns?: readonly RegExp[];
}
