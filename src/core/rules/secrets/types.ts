// Internal vocabulary of the secret detectors, and the shape of a secret rule module.

import type { RuleMeta, Severity } from '../../model';
import type { RuleExamples } from './exampleTypes';

export const RULE = {
  identifiable: 'SECRET-AZURE-IDENTIFIABLE-KEY',
  entra: 'SECRET-ENTRA-CLIENT-SECRET',
  connectionString: 'SECRET-CONNECTION-STRING',
  keySetting: 'SECRET-AZURE-KEY-SETTING',
  uri: 'SECRET-URI-CREDENTIALS',
  sas: 'SECRET-SAS-TOKEN',
  privateKey: 'SECRET-PRIVATE-KEY',
  jwt: 'SECRET-JWT',
  thirdParty: 'SECRET-THIRD-PARTY-TOKEN',
  devopsPat: 'SECRET-AZURE-DEVOPS-PAT',
  generic: 'SECRET-GENERIC-PASSWORD',
} as const;

export type SecretRuleId = (typeof RULE)[keyof typeof RULE];

/** A detector's result: absolute offsets in the document text. */
export interface Hit {
  ruleId: SecretRuleId;
  start: number;
  end: number;
  /** The literal (fingerprints only; never printed). */
  secret: string;
  /** Human name of the kind, e.g. "Azure Storage account key". Never the value. */
  kind: string;
  /** Reported at most at this severity (an expired token cannot be used): see RawFinding.maxSeverity. */
  maxSeverity?: Severity;
}

/** What a line detector knows about where it runs. */
export interface LineContext {
  /** The document's file kind. */
  fileKind: string;
  /** Lower-cased file path (for extension checks). */
  path: string;
  /** The whole document, for detectors that need a file-level hint (an endpoint named elsewhere in the file). */
  text?: string;
  /** The line is one string value already unquoted (a JSON-escaped entry), not a line of the file. */
  wholeValue?: boolean;
}

export type LineDetector = (line: string, lineStart: number, ctx: LineContext, out: Hit[]) => void;

/** A line detector and the literals it needs: the registry runs it only on lines that hold one of them. */
export interface LineDetectorSpec {
  /** For tests and profiles. */
  name: string;
  detect: LineDetector;
  /**
   * Lower-case literals, matched case-insensitively. The detector runs only on lines (or windows of long lines)
   * holding one of them, so it must never find anything on a line without one (test/unit/secretAnchors.test.ts).
   */
  anchors: readonly string[];
  /**
   * Also runs on every line another detector's anchor selected: a checksum proves the value without a literal
   * of its own. Its anchors then only add the lines where its context words stand.
   */
  everyCandidate?: boolean;
  /** Reads `name = value` text: not run on the lines of JSON documents, whose parsed entries carry the pairs. */
  namedValues?: boolean;
}

/** A detector over the whole text (blocks that span lines), run when the text holds its marker. */
export interface TextDetectorSpec {
  marker: string;
  detect: (text: string, out: Hit[]) => void;
}

/** One SECRET-* rule (or a small family sharing one value test): everything the registry derives from. */
export interface SecretRule {
  meta: RuleMeta & { id: SecretRuleId };
  /** Higher wins when two detectors flag overlapping text: the most specific evidence is reported. */
  priority: number;
  /** In the order their hits should win ties (same rule, same range). */
  lineDetectors: readonly LineDetectorSpec[];
  textDetectors?: readonly TextDetectorSpec[];
  /** Every regular expression the rule uses, for the ReDoS test. */
  patterns: readonly RegExp[];
  examples: RuleExamples;
}
