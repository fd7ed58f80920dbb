import * as assert from 'node:assert/strict';
import type { FileKind, ParsedDocument } from '../../src/core/model';
import { parseDocument } from '../../src/core/parsers';
import { FIXTURES } from './parsers.test';

// Half-typed files are the normal case in an editor: every parser must be total (no throw, no hang,
// no stack overflow) and keep every offset inside the text.

const KINDS: FileKind[] = ['bicep', 'bicepparam', 'terraform', 'env', 'xml', 'yaml'];

const ESCAPING = /[\\&\r\n'"`<]/;

function assertSane(doc: ParsedDocument, text: string, label: string): void {
  assert.equal(doc.text, text, label);
  const len = text.length;
  for (const e of doc.entries) {
    const where = `${label}: entry ${e.path.join('/')}`;
    assert.ok(e.path.length > 0 && e.key === e.path[e.path.length - 1], `${where}: key is the last path segment`);
    assert.ok(0 <= e.valueStart && e.valueStart <= e.contentStart && e.contentStart <= e.contentEnd && e.contentEnd <= e.valueEnd && e.valueEnd <= len, `${where}: ranges ${e.valueStart} ${e.contentStart} ${e.contentEnd} ${e.valueEnd} / ${len}`);
    if (e.keyStart !== undefined || e.keyEnd !== undefined) assert.ok(0 <= e.keyStart! && e.keyStart! <= e.keyEnd! && e.keyEnd! <= len, `${where}: key range`);
    if (e.resource !== undefined) assert.ok(e.resource >= 0 && e.resource < doc.resources.length, `${where}: resource index`);
    const raw = text.slice(e.contentStart, e.contentEnd);
    const strict = e.valueType !== 'string' && doc.kind !== 'yaml' && !e.key.startsWith('@') && !raw.includes('\n');
    if (strict || !ESCAPING.test(raw)) {
      // Terraform `<<-` heredocs strip the common indentation from the value.
      const expected = doc.kind === 'terraform' && text.slice(e.valueStart, e.valueStart + 3) === '<<-' ? raw.replace(/^[ \t]+/gm, '') : raw;
      const blockScalar = doc.kind === 'yaml' && /^[|>]/.test(text.slice(e.valueStart, e.valueStart + 1));
      const same = e.value === expected || (doc.kind === 'terraform' && e.value.trim() === expected.trim());
      if ((!e.key.startsWith('@') || e.valueType === 'string') && !blockScalar)
        assert.ok(same, `${where}: value ${JSON.stringify(e.value.slice(0, 60))} differs from the raw content ${JSON.stringify(expected.slice(0, 60))}`);
    }
  }
  for (const r of doc.resources) {
    assert.ok(0 <= r.start && r.start <= r.end && r.end <= len, `${label}: resource range`);
    assert.ok(0 <= r.anchorStart && r.anchorStart <= r.anchorEnd && r.anchorEnd <= len, `${label}: anchor range`);
    if (r.parent !== undefined) assert.ok(r.parent >= 0 && r.parent < doc.resources.length);
  }
  for (const c of doc.comments) assert.ok(0 <= c.start && c.start <= c.end && c.end <= len, `${label}: comment range`);
  for (const x of doc.errors) assert.ok(0 <= x.start && x.start <= x.end && x.end <= len, `${label}: error range ${x.start}-${x.end}: ${x.message}`);
}

function parseSane(text: string, kind: FileKind, label: string): ParsedDocument {
  let doc: ParsedDocument | undefined;
  assert.doesNotThrow(() => {
    doc = parseDocument(text, kind);
  }, label);
  assert.ok(!doc!.errors.some((e) => e.message.startsWith('parser failed')), `${label}: ${doc!.errors.map((e) => e.message).join(', ')}`);
  assertSane(doc!, text, label);
  return doc!;
}

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYNTAX = `{}[]()<>'"\`\\$#/*=:,.-|>!&;?@%\n\r\t  abcXYZ019_${'\u0000'}\ufeff\ud800\u00e9`;

function randomText(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.7) s += SYNTAX[Math.floor(rand() * SYNTAX.length)];
    else if (r < 0.8) s += String.fromCharCode(Math.floor(rand() * 0x10000));
    else s += ['${', '}', "'''", '<<EOT\n', '\nEOT\n', '<!--', '-->', '<![CDATA[', ']]>', '\n- ', ': ', ' = ', '/*', '*/', 'resource ', 'param '][Math.floor(rand() * 16)];
  }
  return s;
}

describe('parsers: robustness', () => {
  for (const f of FIXTURES) {
    describe(f.name, () => {
      it('parses every prefix of the file without throwing, ranges inside the text', () => {
        for (let n = 0; n <= f.text.length; n++) parseSane(f.text.slice(0, n), f.kind, `${f.name} prefix ${n}`);
      });

      it('parses every suffix and a line-shuffled copy', () => {
        for (let n = 0; n <= f.text.length; n += 3) parseSane(f.text.slice(n), f.kind, `${f.name} suffix ${n}`);
        const rand = rng(f.text.length);
        for (let k = 0; k < 50; k++) {
          const lines = f.text.split('\n');
          for (let i = lines.length - 1; i > 0; i--) {
            const j = Math.floor(rand() * (i + 1));
            [lines[i], lines[j]] = [lines[j], lines[i]];
          }
          parseSane(lines.join('\n'), f.kind, `${f.name} shuffle ${k}`);
        }
      });

      it('reads CRLF and a BOM like LF', () => {
        const lf = parseDocument(f.text, f.kind);
        const crlfText = f.text.replace(/\n/g, '\r\n');
        const crlf = parseSane(crlfText, f.kind, `${f.name} CRLF`);
        assert.deepEqual(crlf.entries.map((e) => e.path.join('/')), lf.entries.map((e) => e.path.join('/')));
        assert.deepEqual(
          crlf.entries.filter((e) => !e.value.includes('\n') && !e.value.includes('\r')).map((e) => e.value),
          lf.entries.filter((e) => !e.value.includes('\n') && !e.value.includes('\r')).map((e) => e.value),
        );
        assert.deepEqual(crlf.comments.map((c) => crlfText.slice(c.start, c.end)), lf.comments.map((c) => f.text.slice(c.start, c.end).replace(/\n/g, '\r\n')));
        assert.equal(crlf.errors.length, lf.errors.length);
        for (let n = 0; n <= crlfText.length; n += 5) parseSane(crlfText.slice(0, n), f.kind, `${f.name} CRLF prefix ${n}`);

        const bomText = `\ufeff${f.text}`;
        const bom = parseSane(bomText, f.kind, `${f.name} BOM`);
        assert.deepEqual(bom.entries.map((e) => [e.path.join('/'), e.value, e.valueStart - 1]), lf.entries.map((e) => [e.path.join('/'), e.value, e.valueStart]));
        assert.deepEqual(bom.resources.map((r) => r.type), lf.resources.map((r) => r.type));
      });
    });
  }

  for (const kind of KINDS) {
    describe(kind, () => {
      it('survives random bytes', () => {
        const rand = rng(kind.length * 7919);
        for (let k = 0; k < 300; k++) parseSane(randomText(rand, 1 + Math.floor(rand() * 400)), kind, `${kind} random ${k}`);
      });

      it('survives a 200 KB single line in many shapes', () => {
        const big = 'a'.repeat(200_000);
        const shapes = [
          big,
          `x = '${big}`,
          `x = "${big}`,
          `x = "\${${big}`,
          `param p string = '\${'${big}`,
          `var v = ${'['.repeat(1000)}${big}`,
          `K=${big}`,
          `K="${big}`,
          `<a b="${big}`,
          `<a>${big}</a>`,
          `<!--${big}`,
          `k: ${big}`,
          `k: "${big}`,
          `k: [${'a, '.repeat(60_000)}`,
          `${'{'.repeat(50_000)}`,
          `${'['.repeat(50_000)}`,
          `${'<a>'.repeat(50_000)}`,
          `${'a = { '.repeat(30_000)}`,
          `${"'${".repeat(50_000)}`,
          `${'"${'.repeat(50_000)}`,
          `${'- '.repeat(50_000)}x`,
          `${'x: {'.repeat(30_000)}`,
          `${'\\'.repeat(200_000)}`,
          `${'#'.repeat(200_000)}`,
          `${'=\n'.repeat(100_000)}`,
          `${'A="\n'.repeat(50_000)}`,
          `${'<a b="\n'.repeat(30_000)}`,
          `${'&'.repeat(100_000)}`,
          `<a b="${'&#'.repeat(100_000)}"/>`,
        ];
        for (const [i, s] of shapes.entries()) parseSane(s, kind, `${kind} shape ${i}`);
      });
    });
  }
});
