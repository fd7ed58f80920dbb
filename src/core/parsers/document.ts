import type { FileKind, ParsedDocument } from '../model';

export function emptyDocument(text: string, kind: FileKind): ParsedDocument {
  return { kind, text, entries: [], resources: [], comments: [], errors: [] };
}

/** The yaml package can report an error one past the end of the text; keep every range inside it. */
export function clampErrors(doc: ParsedDocument): ParsedDocument {
  const n = doc.text.length;
  for (const e of doc.errors) {
    e.start = Math.min(Math.max(0, e.start), n);
    e.end = Math.min(Math.max(e.start, e.end), n);
  }
  return doc;
}
