// Internal vocabulary of the secret detectors.

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

/** Higher wins when two detectors flag overlapping text: the most specific evidence is reported. */
export const PRIORITY: Record<SecretRuleId, number> = {
  'SECRET-AZURE-IDENTIFIABLE-KEY': 100,
  'SECRET-ENTRA-CLIENT-SECRET': 95,
  'SECRET-AZURE-DEVOPS-PAT': 92,
  'SECRET-PRIVATE-KEY': 90,
  'SECRET-THIRD-PARTY-TOKEN': 85,
  'SECRET-SAS-TOKEN': 80,
  'SECRET-CONNECTION-STRING': 75,
  'SECRET-URI-CREDENTIALS': 70,
  'SECRET-JWT': 60,
  'SECRET-AZURE-KEY-SETTING': 50,
  'SECRET-GENERIC-PASSWORD': 10,
};

/** A detector's result: absolute offsets in the document text. */
export interface Hit {
  ruleId: SecretRuleId;
  start: number;
  end: number;
  /** The literal (fingerprints only; never printed). */
  secret: string;
  /** Human name of the kind, e.g. "Azure Storage account key". Never the value. */
  kind: string;
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
