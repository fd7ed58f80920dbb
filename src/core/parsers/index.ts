import { formatOf } from '../formats';
import type { FileKind, ParsedDocument } from '../model';
import { emptyDocument } from './document';

export { emptyDocument } from './document';

/**
 * Parse any supported file into the common model with its format's parser. Never throws: a parser that
 * fails falls back to an empty structure (line-based secret scanning still runs on the text).
 */
export function parseDocument(text: string, kind: FileKind): ParsedDocument {
  try {
    return formatOf(kind).parse(text, kind);
  } catch (e) {
    const doc = emptyDocument(text, kind);
    doc.errors.push({ message: `parser failed: ${e instanceof Error ? e.message : String(e)}`, start: 0, end: 0 });
    return doc;
  }
}
