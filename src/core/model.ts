// The shared vocabulary of the engine: what a document looks like once parsed, what a rule is,
// and what a finding carries. Pure data; no editor, no Node built-ins.

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type Level = Severity | 'off';
export type Confidence = 'high' | 'medium' | 'low';
/** 'rule-error': a rule crashed on the file, so its findings are missing (see ENGINE-RULE-ERROR). */
export type RuleTag = 'secret' | 'insecure-setting' | 'rule-error';

/** The kinds of file the engine knows. Decided from the file name (and, in the editor, the language id). */
export type FileKind =
  | 'arm-template' // JSON with $schema deploymentTemplate or a resources array
  | 'arm-parameters' // JSON with $schema deploymentParameters
  | 'appservice-settings' // App Service "Advanced edit" export: [{ name, value, slotSetting }]
  | 'appsettings' // ASP.NET Core appsettings*.json
  | 'local-settings' // Azure Functions local.settings.json
  | 'json' // any other JSON / JSONC
  | 'bicep'
  | 'bicepparam'
  | 'terraform' // .tf, .tfvars
  | 'env' // .env, .env.*
  | 'xml' // web.config, *.config, *.xml
  | 'yaml' // pipelines, Kubernetes manifests, azure.yaml
  | 'code'; // source code and anything else: line-based scanning only

export type ValueType = 'string' | 'boolean' | 'number' | 'null' | 'expression';

/**
 * One scalar assignment found by a parser: `"httpsOnly": false`, `https_only = false`, `KEY=value`,
 * `<add key="x" value="y"/>`, an ARM appSettings `{ name, value }` pair (key = the setting name).
 */
export interface Entry {
  /** Key path from the document root. Array indices are decimal strings; name/value pairs use the name. */
  path: string[];
  /** The property or setting name as written (last meaningful segment of path). */
  key: string;
  /** The value as text, unquoted and unescaped for strings. For expressions, the raw source text. */
  value: string;
  valueType: ValueType;
  /** Offsets of the value token in the document text, quotes included. */
  valueStart: number;
  valueEnd: number;
  /** Offsets of the value's content (inside quotes; equal to the token for unquoted values). */
  contentStart: number;
  contentEnd: number;
  /** Offsets of the key token, when there is one. */
  keyStart?: number;
  keyEnd?: number;
  /** Index into ParsedDocument.resources of the enclosing resource block, if any. */
  resource?: number;
  /**
   * path[path.length - 2] (the key of the enclosing object, array or block), for parsers that know it without
   * building `path`; undefined at the top level. Optional: when `container` is unset, read `path` instead.
   */
  parentKey?: string;
  /**
   * The container the entry sits in, shared by its siblings: `path` is the container's path plus `key`.
   * Optional; lets rules ask structural questions (depth, ancestors) without copying paths.
   */
  container?: PathNode;
}

/** One container (object, array, block) of a parsed document, linked to its parent instead of holding a path. */
export interface PathNode {
  /** The enclosing container; undefined for the root (depth 0). */
  readonly parent?: PathNode;
  /** The container's own last path segment ('' for the root). */
  readonly key: string;
  /** Length of the container's path (0 for the root). */
  readonly depth: number;
}

/** An IaC resource block: ARM resource object, Bicep `resource`, Terraform `resource`. */
export interface ResourceBlock {
  /** 'Microsoft.Web/sites', 'Microsoft.Web/sites/config', 'azurerm_linux_web_app', ... (no api-version). */
  type: string;
  /** Symbolic or declared name, when known ('web', 'ftp', the Bicep symbol, the Terraform label). */
  name?: string;
  /** Range of the whole block, and of the token that best identifies it (type string) for findings. */
  start: number;
  end: number;
  anchorStart: number;
  anchorEnd: number;
  /** Index of the parent resource for nested ARM/Bicep children. */
  parent?: number;
  /** Key path of the resource object itself, where the format has one (ARM: ['resources', '3']). */
  path?: string[];
}

export interface CommentRange {
  start: number;
  end: number;
}

export interface ParsedDocument {
  kind: FileKind;
  text: string;
  entries: Entry[];
  resources: ResourceBlock[];
  /** Comments the parser saw (used to place suppressions); may be empty for formats without comments. */
  comments: CommentRange[];
  /** Parse problems; never thrown. A half-typed file is normal in an editor. */
  errors: { message: string; start: number; end: number }[];
}

/** A deterministic local fix: replace [start, end) with `replacement`. */
export interface TextFix {
  title: string;
  start: number;
  end: number;
  replacement: string;
}

/** What a rule check returns; the engine adds positions, severity, fingerprint. */
export interface RawFinding {
  ruleId: string;
  /** Range of the offending token (the secret literal or the property value), never the whole line. */
  start: number;
  end: number;
  /** Overrides the rule's default message (must never contain the secret value). */
  message?: string;
  /** For secrets: the literal. Used only for the fingerprint hash and placeholder checks; never printed. */
  secret?: string;
  /** For secrets: a human name of the kind, e.g. "Azure Storage account key". */
  secretKind?: string;
  /** Key path and setting name where the value sits, for fixes (Key Vault secret names) and messages. */
  path?: string[];
  settingName?: string;
  fix?: TextFix;
  /** At most this severity, whatever the rule's level (an expired SAS token): a detector can lower, never raise. */
  maxSeverity?: Severity;
}

export interface Finding extends RawFinding {
  severity: Severity;
  confidence: Confidence;
  tag: RuleTag;
  message: string;
  /** 0-based positions of start and end. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Stable across unrelated edits: rule id + hash of the value (so a rotated key is reported again). */
  fingerprint: string;
}

export interface RuleMeta {
  /** Stable id, never reused: posture-rules.md ids for settings (APPSVC-HTTPS-ONLY), SECRET-* for secrets. */
  id: string;
  title: string;
  tag: RuleTag;
  severity: Severity;
  confidence: Confidence;
  /** One sentence: what is wrong and why it matters. Used as the default message. */
  description: string;
  /** Off unless a user turns it on (low-confidence heuristics, opt-in checks). */
  defaultOff?: boolean;
  /** Dropped where a secret rule flags the same value: one problem, reported by the rule that names the secret. */
  yieldsToSecretRules?: boolean;
}

export interface CheckContext {
  /** Path of the file relative to the scanned root (or the document's file name); '/' separators. */
  path: string;
  /**
   * Whether a rule is on for this scan. A checker may skip the work of rules that are off (their findings are
   * dropped anyway); absent: every rule is on.
   */
  isEnabled?: (ruleId: string) => boolean;
}

/**
 * A checker produces findings for one or more rules. Secret detection is one checker that covers
 * every SECRET-* rule in a single pass over the text, so the cost follows candidate lines, not rules.
 */
export interface Checker {
  ruleIds: readonly string[];
  /** File kinds this checker applies to; undefined = all. */
  kinds?: readonly FileKind[];
  check(doc: ParsedDocument, ctx: CheckContext): RawFinding[];
}

export interface Rule {
  meta: RuleMeta;
}
