import { detectFormat } from './formats';
import type { FileKind } from './model';

/** The file's base name, whatever the separator. */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/**
 * Decide how to read a file from its name, sniffing the start of JSON files for ARM schemas (the format
 * specs in formats/ say which name and content is which). Language ids are not needed: without the Bicep
 * or Terraform extensions those files are plain text.
 */
export function detectFileKind(path: string, text = ''): FileKind {
  return detectFormat(baseName(path).toLowerCase(), text).kind;
}

/** Extensions of configuration and shell files whose values are written without quotes. */
const UNQUOTED_CONFIG_EXTENSIONS = ['.properties', '.ini', '.cfg', '.conf', '.sh', '.bash', '.zsh', '.cmd', '.bat', '.env', '.toml', 'dockerfile'];
/** Extension-less configuration files (AWS, Git, SSH, netrc). */
const UNQUOTED_CONFIG_NAMES = new Set(['credentials', 'config', 'netrc', '_netrc', 'pgpass']);

let lastUnquoted = { path: '', result: false };

/**
 * Files read as plain text ('code') whose `NAME=value` / `name: value` lines hold unquoted values: INI,
 * properties, shell scripts and profiles, and extension-less dotfiles (.bash_profile, .bashrc, .credentials,
 * .npmrc, .netrc, .git-credentials).
 */
export function isUnquotedConfigPath(path: string): boolean {
  // Asked once per candidate line of the same file: remember the last answer.
  if (path !== lastUnquoted.path) lastUnquoted = { path, result: unquotedConfigName(baseName(path).toLowerCase()) };
  return lastUnquoted.result;
}

function unquotedConfigName(name: string): boolean {
  if (UNQUOTED_CONFIG_EXTENSIONS.some((x) => name.endsWith(x))) return true;
  if (UNQUOTED_CONFIG_NAMES.has(name)) return true;
  // A dotfile with no other dot: .bash_profile, .credentials, .npmrc (not .eslintrc.js).
  return name.length > 1 && name[0] === '.' && name.indexOf('.', 1) === -1;
}

const DOCUMENTATION_EXTENSIONS = ['.md', '.markdown', '.mdx', '.rst', '.adoc', '.txt'];

/** Documentation (README.md, docs/*.rst): sample passwords there teach, they are not deployed. */
export function isDocumentationPath(path: string): boolean {
  const name = baseName(path).toLowerCase();
  return DOCUMENTATION_EXTENSIONS.some((x) => name.endsWith(x));
}

/** Files that are never worth scanning (lockfiles hold integrity hashes, maps hold minified code). */
export function isIgnoredByDefault(path: string): boolean {
  const name = baseName(path).toLowerCase();
  return (
    name === 'package-lock.json' ||
    name === '.package-lock.json' ||
    name === 'yarn.lock' ||
    name === 'pnpm-lock.yaml' ||
    name === 'packages.lock.json' ||
    name === '.terraform.lock.hcl' ||
    name.endsWith('.map') ||
    name.endsWith('.min.js')
  );
}
