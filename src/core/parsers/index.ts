import type { FileKind, ParsedDocument } from '../model';
import { parseBicep } from './bicep';
import { parseEnv } from './env';
import { parseJson } from './json';
import { parseTerraform } from './terraform';
import { parseXml } from './xml';
import { parseYaml } from './yaml';

/**
 * Parse any supported file into the common model. Never throws: a parser that fails falls back to
 * an empty structure (line-based secret scanning still runs on the text).
 */
export function parseDocument(text: string, kind: FileKind): ParsedDocument {
  try {
    switch (kind) {
      case 'arm-template':
      case 'arm-parameters':
      case 'appservice-settings':
      case 'appsettings':
      case 'local-settings':
      case 'json':
        return parseJson(text, kind);
      case 'bicep':
      case 'bicepparam':
        return parseBicep(text, kind);
      case 'terraform':
        return parseTerraform(text, kind);
      case 'env':
        return parseEnv(text, kind);
      case 'xml':
        return parseXml(text, kind);
      case 'yaml':
        return clampErrors(parseYaml(text, kind));
      default:
        return emptyDocument(text, kind);
    }
  } catch (e) {
    const doc = emptyDocument(text, kind);
    doc.errors.push({ message: `parser failed: ${e instanceof Error ? e.message : String(e)}`, start: 0, end: 0 });
    return doc;
  }
}

/** The yaml package can report an error one past the end of the text; keep every range inside it. */
function clampErrors(doc: ParsedDocument): ParsedDocument {
  const n = doc.text.length;
  for (const e of doc.errors) {
    e.start = Math.min(Math.max(0, e.start), n);
    e.end = Math.min(Math.max(e.start, e.end), n);
  }
  return doc;
}

export function emptyDocument(text: string, kind: FileKind): ParsedDocument {
  return { kind, text, entries: [], resources: [], comments: [], errors: [] };
}
