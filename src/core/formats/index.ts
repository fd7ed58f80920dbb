import type { FileKind } from '../model';
import type { FormatSpec } from './spec';
import { FORMATS } from './specs';

export type { CommentSyntax, FormatSpec, KeyVaultMoveForm, Recheck, SettingsHome } from './spec';
export { FORMATS } from './specs';

/** Bytes of a JSON file read to tell ARM templates, parameter files and settings exports apart. */
const SNIFF_BYTES = 4096;

const BY_KIND = new Map<FileKind, FormatSpec>(FORMATS.map((f) => [f.kind, f]));
const CODE = BY_KIND.get('code')!;

/** The spec of a kind (an unknown kind is read as code: line-based scanning only). */
export function formatOf(kind: FileKind): FormatSpec {
  return BY_KIND.get(kind) ?? CODE;
}

/** The format of a file from its lower-case base name, sniffing the start of the text only when a spec asks. */
export function detectFormat(name: string, text: string): FormatSpec {
  let head: string | undefined;
  const readHead = () => (head ??= text.slice(0, SNIFF_BYTES));
  return FORMATS.find((f) => f.detect(name, readHead)) ?? CODE;
}

export function isJsonLike(kind: FileKind): boolean {
  return formatOf(kind).jsonLike;
}

/** The kinds whose files are always IaC templates (`certain`), or also those that may be one. */
export function iacKinds(includeUncertain: boolean): FileKind[] {
  return FORMATS.filter((f) => f.iac && (includeUncertain || f.iac.certain)).map((f) => f.kind);
}

/** Every comment opener (closer) of every format: suppressions are found without knowing the file's format. */
export const COMMENT_OPENERS: ReadonlySet<string> = new Set(FORMATS.flatMap((f) => f.commentOpeners));
export const COMMENT_CLOSERS: readonly string[] = [...new Set(FORMATS.flatMap((f) => f.commentClosers))];
