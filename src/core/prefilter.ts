// A byte-level prefilter for tree scans: before a file is decoded and parsed, is there anything in it that a
// rule could report? Only for formats parsed into no entries (plain text, 'code': most of the bytes of real
// trees), where every built-in checker needs some literal in the text to report anything. Structured formats
// (JSON, YAML, Bicep, Terraform...) always take the full scan: settings rules report what is ABSENT there.
//
// Result-neutral by construction: a file is skipped only when no checker that runs on its kind can report on
// it. Each checker's literals are derived from its registry exports; a checker this module does not know (a new
// one, a custom pattern) makes every kind it runs on take the full scan.
import type { FileKind, Checker } from './model';
import { FORMATS } from './formats';
import { baseName } from './fileKind';
import { emptyDocument } from './parsers/document';
import { allCheckers, unitsChecker } from './rules';
import { appConfigChecker } from './rules/appconfig';
import { scriptChecker } from './rules/scripts';
import { ANCHORS, secretChecker } from './rules/secrets';
import { AnchorMatcher } from './rules/secrets/anchors';
import { privateKeyRule } from './rules/secrets/privateKey';
import type { ScanOptions } from './engine';

/**
 * What each built-in checker needs in a document without entries to report anything (case-insensitive
 * literals, a necessary condition, not a sufficient one); `[]` = nothing to do on such a document.
 */
const NEEDS_WITHOUT_ENTRIES = new Map<Checker, readonly string[]>([
  // Candidate lines hold an anchor; PEM blocks start with their text detector's marker.
  [secretChecker, [...ANCHORS, ...(privateKeyRule.textDetectors ?? []).map((t) => t.marker)]],
  // Reads parsed entries only.
  [unitsChecker, []],
  // Commands are looked at only where the text names the Azure CLI (`az`) or Set-AzWebApp.
  [scriptChecker, ['az']],
  // C#: .UseDeveloperExceptionPage( / .AllowAnyOrigin( / .SetIsOriginAllowed(; Spring properties: include-stacktrace, JDBC SQL Server URLs;
  // SQL connection strings in code literals name Encrypt= or TrustServerCertificate= (with or without spaces).
  [appConfigChecker, ['usedeveloperexceptionpage', 'allowanyorigin', 'setisoriginallowed', 'include-stacktrace', 'jdbc:sqlserver:', 'encrypt', 'trust']],
]);

/** Kinds whose parser gives no entries (the parse is the empty document), decided once from the format specs. */
const ENTRYLESS_KINDS: ReadonlySet<FileKind> = new Set(FORMATS.filter((f) => f.parse === emptyDocument).map((f) => f.kind));

export interface BytePrefilter {
  /**
   * False when no rule can report on this file, so it need not be decoded nor parsed. `latin1(start, end)` is
   * the bytes [start, end) one character per byte: anchors are ASCII, and every byte of a multi-byte UTF-8
   * character is above 0x7f, so an anchor occurs in those characters exactly where it occurs in the decoded
   * text. The caller has made sure the bytes are UTF-8 text (no BOM, no NUL in the binary sniff window).
   */
  mayReport(path: string, length: number, latin1: (start: number, end: number) => string): boolean;
}

/** Bytes looked at per step: files that hold an anchor usually do early, so most files are read only in part. */
const CHUNK = 16 * 1024;

/** The prefilter for scans with these options, or undefined when every file takes the full scan (custom patterns). */
export function createBytePrefilter(options: Readonly<ScanOptions>): BytePrefilter | undefined {
  // Custom patterns are arbitrary regexes: no literal says where they cannot match.
  if ((options.extraCheckers ?? []).length > 0) return undefined;
  const byKind = new Map<FileKind, { matcher: AnchorMatcher; overlap: number } | null>();
  const forKind = (kind: FileKind) => {
    let entry = byKind.get(kind);
    if (entry === undefined) {
      const literals = literalsFor(kind);
      entry = literals === undefined ? null : { matcher: new AnchorMatcher(literals), overlap: Math.max(0, ...literals.map((l) => l.length)) };
      byKind.set(kind, entry);
    }
    return entry;
  };
  return {
    mayReport(path, length, latin1) {
      const kind = kindByName(path);
      const f = kind === undefined ? null : forKind(kind);
      if (!f) return true;
      // Chunks overlap by the longest literal, so one cut in two by a chunk edge is still seen whole.
      for (let start = 0; start < length; start += CHUNK) {
        const from = Math.max(0, start - f.overlap);
        if (f.matcher.test(latin1(from, Math.min(length, start + CHUNK)))) return true;
      }
      return false;
    },
  };
}

/** The literals one of which a document of this kind must hold to be reported on, or undefined: always scan it. */
export function literalsFor(kind: FileKind): string[] | undefined {
  if (!ENTRYLESS_KINDS.has(kind)) return undefined;
  const literals: string[] = [];
  for (const checker of allCheckers) {
    if (checker.kinds && !checker.kinds.includes(kind)) continue;
    const needs = NEEDS_WITHOUT_ENTRIES.get(checker);
    if (needs === undefined) return undefined;
    literals.push(...needs.map((l) => l.toLowerCase()));
  }
  return [...new Set(literals)];
}

/** The file's kind from its name alone, or undefined when the format is told by content (JSON sniffing). */
function kindByName(path: string): FileKind | undefined {
  const name = baseName(path).toLowerCase();
  let sniffed = false;
  const spec = FORMATS.find((f) =>
    f.detect(name, () => {
      sniffed = true;
      return '';
    }),
  );
  return sniffed || !spec ? undefined : spec.kind;
}
