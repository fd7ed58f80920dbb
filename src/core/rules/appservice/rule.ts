// The small framework the App Service rule detectors plug into: one pass over doc.entries, dispatched by key.

import type { CheckContext, ParsedDocument, RawFinding } from '../../model';
import type { EntryCtx, ResourceInfo } from './context';

export interface ScanState {
  doc: ParsedDocument;
  check: CheckContext;
  resources: (ResourceInfo | undefined)[];
  /**
   * Resources (by index) whose whole `properties` value is an expression (ARM "[...]", Bicep/Terraform
   * references), so a rule never reports a property as missing when it may be computed.
   */
  computedProperties: Set<number>;
  /** Resources marked ARM languageVersion 2.0 `"existing": true`. */
  existing: Set<number>;
  out: RawFinding[];
}

export interface Handlers {
  onEntry?(c: EntryCtx): void;
  finish?(): void;
}

/** An editor detector: which entries it reads (dispatch) and its per-scan handlers. */
export interface Detector {
  /**
   * Which entries go to onEntry: those with these lower-case keys (see normKey), '*' for every entry, plus
   * any the optional fields below select. The checker skips a module for entries none of them selects, so
   * they must cover every entry onEntry can act on.
   */
  keys: readonly string[];
  /** Entries whose parent key (EntryCtx.parent) is one of these. */
  parents?: readonly string[];
  /** Entries with any of these STRUCTURAL bits on their path (EntryCtx.bits). */
  bits?: number;
  /** Entries inside an access-restriction list (Place.restriction). */
  restrictionLists?: boolean;
  /** App settings and connection strings (EntryCtx.setting). */
  settings?: boolean;
  /** Creates per-scan handlers (closures hold per-scan state). */
  create(s: ScanState): Handlers;
}

const TF_DATA = /^\s*data\b/;
const EXISTING = /\bexisting\b/;
export const ruleFrameworkPatterns: RegExp[] = [TF_DATA, EXISTING];

/** Is this resource an `existing` reference (Bicep keyword, ARM languageVersion 2.0) or a Terraform data source? */
export function isReferenceOnly(s: ScanState, r: ResourceInfo): boolean {
  const { text } = s.doc;
  const b = r.block;
  if (r.tf) return TF_DATA.test(text.slice(b.start, b.anchorStart));
  const brace = text.indexOf('{', b.anchorEnd);
  const head = text.slice(b.anchorEnd, brace === -1 ? Math.min(text.length, b.anchorEnd + 200) : Math.min(brace, b.anchorEnd + 200));
  if (EXISTING.test(head)) return true;
  return s.existing.has(r.index);
}
