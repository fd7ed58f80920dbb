import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBytes, SKIP_BINARY, SKIP_NUL } from '../../src/core/binary';

// Text or binary, and in which encoding: the CLI and the workspace scan both decide with decodeBytes.

const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();
const utf32 = (s: string, le: boolean) => {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const b = Buffer.alloc(cps.length * 4);
  cps.forEach((cp, i) => (le ? b.writeUInt32LE(cp, i * 4) : b.writeUInt32BE(cp, i * 4)));
  return b;
};
const textOf = (bytes: Uint8Array) => {
  const d = decodeBytes(bytes);
  return 'text' in d ? d.text : `<skipped: ${d.skipped}>`;
};

/** Deterministic pseudo-random bytes. */
function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const SAMPLE = 'DB_HOST=db.internal\r\nDB_PASSWORD=Päss wörd ÿ€ 日本語\n';

describe('decodeBytes (src/core/binary.ts)', () => {
  const texts: [string, Buffer, string][] = [
    ['UTF-8', Buffer.from(SAMPLE), 'utf-8'],
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]), 'utf-8'],
    ['UTF-16LE without a BOM', Buffer.from(SAMPLE, 'utf16le'), 'utf-16le'],
    ['UTF-16BE without a BOM', utf16be(SAMPLE), 'utf-16be'],
    ['UTF-16LE with a BOM', Buffer.from('\ufeff' + SAMPLE, 'utf16le'), 'utf-16le'],
    ['UTF-16BE with a BOM', utf16be('\ufeff' + SAMPLE), 'utf-16be'],
    ['UTF-32LE without a BOM', utf32(SAMPLE, true), 'utf-32le'],
    ['UTF-32BE without a BOM', utf32(SAMPLE, false), 'utf-32be'],
    ['UTF-32LE with a BOM', utf32('\ufeff' + SAMPLE, true), 'utf-32le'],
    ['UTF-32BE with a BOM', utf32('\ufeff' + SAMPLE, false), 'utf-32be'],
    ['UTF-16LE with an odd trailing byte', Buffer.concat([Buffer.from(SAMPLE, 'utf16le'), Buffer.from([0x41])]), 'utf-16le'],
    ['UTF-16LE mostly outside Latin-1 (Cyrillic, emoji)', Buffer.from('k=1\n' + 'пароль 🔑 '.repeat(20) + '\n', 'utf16le'), 'utf-16le'],
    ['UTF-16LE longer than the 8 KB sample', Buffer.from('a'.repeat(5000) + SAMPLE, 'utf16le'), 'utf-16le'],
  ];
  for (const [name, bytes, encoding] of texts) {
    it(`decodes ${name}`, () => {
      const d = decodeBytes(bytes);
      assert.ok('text' in d, JSON.stringify(d));
      assert.equal(d.encoding, encoding);
      assert.ok(d.text.endsWith(SAMPLE) || d.text.endsWith(SAMPLE + 'A') || d.text.includes('пароль'), JSON.stringify(d.text.slice(-80)));
      assert.ok(!d.text.startsWith('\ufeff'), 'the BOM is not part of the text (columns on line 1 stay right)');
    });
  }

  const binaries: [string, Buffer][] = [
    ['a PNG header', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0])],
    ['random bytes', noise(4096, 7)],
    ['16-bit little-endian counters (zeros at odd offsets, control characters when read as UTF-16)', Buffer.from(Uint16Array.from({ length: 2048 }, (_, i) => (i % 31) + 1).buffer)],
    ['32-bit little-endian counters', Buffer.from(Uint32Array.from({ length: 1024 }, (_, i) => (i % 29) + 1).buffer)],
    ['UTF-16LE with a BOM around random bytes', Buffer.concat([Buffer.from([0xff, 0xfe]), noise(4096, 3).map((b, i) => (i % 2 ? 0 : b % 32))])],
    ['a lone NUL', Buffer.from([0])],
  ];
  for (const [name, bytes] of binaries) {
    it(`skips ${name} as binary`, () => assert.deepEqual(decodeBytes(bytes), { skipped: SKIP_BINARY }));
  }

  it('skips UTF-8 text with a stray NUL, with its own reason', () => {
    assert.deepEqual(decodeBytes(Buffer.from(`${SAMPLE}\0${SAMPLE.repeat(3)}`)), { skipped: SKIP_NUL });
    assert.deepEqual(decodeBytes(Buffer.from(`a=1\n\0\n`)), { skipped: SKIP_NUL });
  });

  it('round-trips any text with some ASCII in UTF-8, UTF-16 and UTF-32 of either order', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'abcXYZ019=:_-/ \t\r\n'), minLength: 20, maxLength: 200 });
    const other = fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => s.replace(/[\u0000-\u001f\u007f\ufeff]/g, ''));
    fc.assert(
      fc.property(ascii, other, ascii, (a, b, c) => {
        const s = a + b + c;
        for (const bytes of [Buffer.from(s), Buffer.from(s, 'utf16le'), utf16be(s), utf32(s, true), utf32(s, false)]) assert.equal(textOf(bytes), s);
      }),
      { numRuns: 300 },
    );
  });
});
