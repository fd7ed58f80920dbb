import * as assert from 'node:assert/strict';
import { hasLineLongerThan, LineIndex } from '../../src/core/text';

/** A small deterministic generator, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('LineIndex after an edit', () => {
  it('an edited index gives every offset the same line and column as one built from scratch', () => {
    const rand = rng(7);
    const pieces = ['a', 'bc', '\n', '\r\n', ' ', '"key": "value",', '\n\n'];
    let text = Array.from({ length: 400 }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
    let index = new LineIndex(text);
    for (let round = 0; round < 300; round++) {
      // Replace a random range (possibly empty) by random pieces (possibly none): inserts, deletes, line breaks.
      const from = Math.floor(rand() * (text.length + 1));
      const to = Math.min(text.length, from + Math.floor(rand() * 12));
      const inserted = Array.from({ length: Math.floor(rand() * 4) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
      const next = text.slice(0, from) + inserted + text.slice(to);
      index = index.edited(next, from, text.length - to);
      text = next;
      const fresh = new LineIndex(text);
      assert.deepEqual([...index.starts], [...fresh.starts], `round ${round}: line starts`);
      for (const offset of [0, from, Math.min(text.length, from + inserted.length), text.length]) {
        assert.deepEqual(index.position(offset), fresh.position(offset), `round ${round}: position of ${offset}`);
      }
    }
  });

  it('an edit that removes every line break leaves one line', () => {
    const text = 'one\ntwo\nthree';
    const next = 'one two three';
    // The whole text changed: nothing before or after the edit is kept.
    const index = new LineIndex(text).edited(next, 0, 0);
    assert.equal(index.lineCount, 1);
    assert.deepEqual(index.position(next.length), { line: 0, column: next.length });
  });
});

describe('long lines', () => {
  const long = 'x'.repeat(50);
  it('finds a line over the limit anywhere in the text, or only around an edit when asked', () => {
    const text = `short\n${long}\nshort\nshort`;
    assert.equal(hasLineLongerThan(text, 40), true);
    assert.equal(hasLineLongerThan(text, 50), false);
    // Around an edit: the lines the range touches, whole.
    const at = text.indexOf(long) + 10;
    assert.equal(hasLineLongerThan(text, 40, at, at + 1), true);
    assert.equal(hasLineLongerThan(text, 40, text.length - 2, text.length), false);
    assert.equal(hasLineLongerThan(text, 40, 0, 3), false);
  });
  it('counts the last line and lines ending in CRLF', () => {
    assert.equal(hasLineLongerThan(`a\r\n${long}`, 40), true);
    assert.equal(hasLineLongerThan(`${long}\r\nb`, 49, 0, 1), true);
    assert.equal(hasLineLongerThan(`${long}\r\nb`, 51, 0, 1), false);
  });
  it('agrees with a line-by-line count on random texts and ranges', () => {
    const rand = rng(11);
    for (let round = 0; round < 500; round++) {
      const text = Array.from({ length: 30 }, () => (rand() < 0.2 ? '\n' : 'y'.repeat(Math.floor(rand() * 8)))).join('');
      const from = Math.floor(rand() * (text.length + 1));
      const to = Math.min(text.length, from + Math.floor(rand() * 10));
      const max = Math.floor(rand() * 12);
      const lineStart = text.lastIndexOf('\n', from - 1) + 1;
      const nl = text.indexOf('\n', to);
      const lineEnd = nl === -1 ? text.length : nl;
      const expected = text.slice(lineStart, lineEnd).split('\n').some((l) => l.length > max);
      assert.equal(hasLineLongerThan(text, max, from, to), expected, `${JSON.stringify(text)} [${from}, ${to}) max ${max}`);
    }
  });
});
