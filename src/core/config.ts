import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { looksSecret } from './mask';
import type { Level, Severity } from './model';

/**
 * The project config file (`.azure-secure-dev.json`, JSON with comments), read by both the CLI and
 * the editor:
 *   {
 *     "rules": { "SECRET-GENERIC-PASSWORD": "off", "APPSVC-HTTP2": "warning" },
 *     "ignorePaths": ["test/fixtures/**", "*.snap"],
 *     "maxFileSizeKB": 4096,
 *     "baseline": ".azure-secure-dev-baseline.json",
 *     "allowInlineSuppressions": true,
 *     "failOn": "warning",
 *     "customPatterns": [{ "id": "contoso-token", "pattern": "ctso_[a-z0-9]{16}", "message": "..." }]
 *   }
 */
export const CONFIG_FILE_NAME = '.azure-secure-dev.json';

export interface ProjectConfig {
  rules: Record<string, Level>;
  ignorePaths: string[];
  maxFileSizeKB?: number;
  baseline?: string;
  allowInlineSuppressions: boolean;
  /** Lowest severity that fails a CLI scan (exit 1); 'none' never fails on findings. */
  failOn?: FailOn;
  /** Extra secret patterns (validated and compiled by compileCustomPatterns; a bad one is reported, never run). */
  customPatterns: unknown[];
}

export const FAIL_ON = ['error', 'warning', 'info', 'hint', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];
const SEVERITY_RANK: Record<Severity, number> = { error: 4, warning: 3, info: 2, hint: 1 };

/** The lower of a rule's level and a finding's cap (RawFinding.maxSeverity). */
export function cappedSeverity(level: Severity, cap: Severity | undefined): Severity {
  return cap && SEVERITY_RANK[cap] < SEVERITY_RANK[level] ? cap : level;
}

export function isFailOn(v: unknown): v is FailOn {
  return typeof v === 'string' && (FAIL_ON as readonly string[]).includes(v);
}

/** Does a finding of this severity fail a run with this threshold? */
export function failsAt(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

export class ConfigError extends Error {}

const LEVELS: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];

export function emptyConfig(): ProjectConfig {
  return { rules: {}, ignorePaths: [], allowInlineSuppressions: true, customPatterns: [] };
}

const KNOWN_PROPERTIES = ['$schema', 'rules', 'ignorePaths', 'maxFileSizeKB', 'baseline', 'allowInlineSuppressions', 'failOn', 'customPatterns'];
// A rule id as the catalog writes them (SECRET-JWT, APPSVC-HTTPS-ONLY): safe to repeat in an error.
const RULE_ID_SHAPE = /^[A-Z][A-Z0-9]{0,30}(?:-[A-Z0-9]{1,30}){1,6}$/;

/** 1-based line of a character offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Text in, validated config out. Throws ConfigError with a message that says what to change and where (the
 * line), never what the file holds: `--config` may point at any file, a credentials file included.
 */
export function parseConfig(text: string, source = CONFIG_FILE_NAME): ProjectConfig {
  const errors: ParseError[] = [];
  const raw: unknown = parse(text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const e = errors[0];
    throw new ConfigError(`${source}: ${printParseErrorCode(e.error)} at offset ${e.offset}`);
  }
  if (raw === undefined) return emptyConfig();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${source}: expected a JSON object`);
  const obj = raw as Record<string, unknown>;
  const config = emptyConfig();
  const tree = parseTree(text, [], { allowTrailingComma: true });
  const where = (path: string[]): string => {
    const node = tree && findNodeAtLocation(tree, path);
    // A property's node is its value; its key sits just before it on the same or an earlier line.
    return node ? `${source}:${lineAt(text, node.parent?.offset ?? node.offset)}` : source;
  };
  for (const key of Object.keys(obj)) {
    if (!KNOWN_PROPERTIES.includes(key)) throw new ConfigError(`${where([key])}: unknown property; the known ones are ${KNOWN_PROPERTIES.join(', ')}`);
  }
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) throw new ConfigError(`${source}: "rules" must be an object of rule id to level`);
    for (const [id, level] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (typeof level !== 'string' || !LEVELS.includes(level)) {
        const rule = RULE_ID_SHAPE.test(id) && !looksSecret(id) ? `rule ${id}` : 'a rule';
        throw new ConfigError(`${where(['rules', id])}: ${rule} has an unknown level; use one of ${LEVELS.join(', ')}`);
      }
      config.rules[id] = level as Level;
    }
  }
  if (obj.ignorePaths !== undefined) {
    if (!Array.isArray(obj.ignorePaths) || obj.ignorePaths.some((p) => typeof p !== 'string')) throw new ConfigError(`${source}: "ignorePaths" must be an array of glob strings`);
    config.ignorePaths = obj.ignorePaths as string[];
  }
  if (obj.maxFileSizeKB !== undefined) {
    if (typeof obj.maxFileSizeKB !== 'number' || !(obj.maxFileSizeKB > 0)) throw new ConfigError(`${source}: "maxFileSizeKB" must be a positive number`);
    config.maxFileSizeKB = obj.maxFileSizeKB;
  }
  if (obj.baseline !== undefined) {
    if (typeof obj.baseline !== 'string') throw new ConfigError(`${source}: "baseline" must be a path`);
    config.baseline = obj.baseline;
  }
  if (obj.allowInlineSuppressions !== undefined) {
    if (typeof obj.allowInlineSuppressions !== 'boolean') throw new ConfigError(`${source}: "allowInlineSuppressions" must be true or false`);
    config.allowInlineSuppressions = obj.allowInlineSuppressions;
  }
  if (obj.failOn !== undefined) {
    if (!isFailOn(obj.failOn)) throw new ConfigError(`${where(['failOn'])}: "failOn" must be one of ${FAIL_ON.join(', ')}`);
    config.failOn = obj.failOn;
  }
  if (obj.customPatterns !== undefined) {
    if (!Array.isArray(obj.customPatterns)) throw new ConfigError(`${where(['customPatterns'])}: "customPatterns" must be an array of { "id", "pattern", "message" } objects`);
    config.customPatterns = obj.customPatterns as unknown[];
  }
  return config;
}
