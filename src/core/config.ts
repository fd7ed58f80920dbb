import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Level } from './model';

/**
 * The project config file (`.azure-secure-dev.json`, JSON with comments), read by both the CLI and
 * the editor:
 *   {
 *     "rules": { "SECRET-GENERIC-PASSWORD": "off", "APPSVC-HTTP2": "warning" },
 *     "ignorePaths": ["test/fixtures/**", "*.snap"],
 *     "maxFileSizeKB": 4096,
 *     "baseline": ".azure-secure-dev-baseline.json",
 *     "allowInlineSuppressions": true
 *   }
 */
export const CONFIG_FILE_NAME = '.azure-secure-dev.json';

export interface ProjectConfig {
  rules: Record<string, Level>;
  ignorePaths: string[];
  maxFileSizeKB?: number;
  baseline?: string;
  allowInlineSuppressions: boolean;
}

export class ConfigError extends Error {}

const LEVELS: readonly string[] = ['error', 'warning', 'info', 'hint', 'off'];

export function emptyConfig(): ProjectConfig {
  return { rules: {}, ignorePaths: [], allowInlineSuppressions: true };
}

/** Text in, validated config out. Throws ConfigError with a message that says what to change. */
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
  const known = new Set(['$schema', 'rules', 'ignorePaths', 'maxFileSizeKB', 'baseline', 'allowInlineSuppressions']);
  for (const key of Object.keys(obj)) if (!known.has(key)) throw new ConfigError(`${source}: unknown property "${key}"`);
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) throw new ConfigError(`${source}: "rules" must be an object of rule id to level`);
    for (const [id, level] of Object.entries(obj.rules as Record<string, unknown>)) {
      if (typeof level !== 'string' || !LEVELS.includes(level)) throw new ConfigError(`${source}: rule "${id}" has level ${JSON.stringify(level)}; use one of ${LEVELS.join(', ')}`);
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
  return config;
}
