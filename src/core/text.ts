// Offsets <-> line/column, computed once per document.

export class LineIndex {
  /** Offset of each line's first character, ascending (a typed array: an edit copies it in one go). */
  readonly starts: Int32Array;
  constructor(
    readonly text: string,
    starts?: Int32Array,
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    const found = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      found.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.starts = new Int32Array(found);
  }

  /**
   * The index of `text` after an edit of the text this index was built for: only the line breaks inside the
   * changed region are searched; the others are kept or shifted (no pass over a large file per keystroke).
   * This index must not be used afterwards (its array may be reused).
   */
  edited(text: string, unchangedPrefix: number, unchangedSuffix: number): LineIndex {
    const oldLength = this.text.length;
    const delta = text.length - oldLength;
    const dirtyOldEnd = oldLength - unchangedSuffix;
    const dirtyNewEnd = text.length - unchangedSuffix;
    const old = this.starts;
    // A start s belongs to the newline at s - 1: kept when that newline lies before the change, dropped when it
    // lay inside the changed region, shifted when it lies after it.
    const kept = this.startsUpTo(unchangedPrefix);
    const resume = this.startsUpTo(dirtyOldEnd);
    const added: number[] = [];
    for (let i = text.indexOf('\n', unchangedPrefix); i !== -1 && i < dirtyNewEnd; i = text.indexOf('\n', i + 1)) added.push(i + 1);
    if (added.length === resume - kept) {
      // As many line breaks as before (nearly every keystroke): update this index's array in place, no copy.
      for (let k = 0; k < added.length; k++) old[kept + k] = added[k];
      if (delta !== 0) for (let k = resume; k < old.length; k++) old[k] += delta;
      return new LineIndex(text, old);
    }
    const starts = new Int32Array(kept + added.length + old.length - resume);
    starts.set(old.subarray(0, kept));
    starts.set(added, kept);
    for (let k = resume, w = kept + added.length; k < old.length; k++, w++) starts[w] = old[k] + delta;
    return new LineIndex(text, starts);
  }
  /** How many line starts are at or before `offset`. */
  private startsUpTo(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line, column: offset - this.starts[line] };
  }
  /** Text of a line without its line break (CR of CRLF removed). */
  lineText(line: number): string {
    const s = this.starts[line];
    let e = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    if (e > s && this.text.charCodeAt(e - 1) === 13) e--;
    return this.text.slice(s, e);
  }
  lineStart(line: number): number {
    return this.starts[line];
  }
  lineEnd(line: number): number {
    let e = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    if (e > this.starts[line] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }
}

/**
 * Whether a line of text[from, to) (widened to whole lines) is longer than `max` characters. After an edit, only the
 * lines the edit touched need asking: the others were measured before.
 */
export function hasLineLongerThan(text: string, max: number, from = 0, to = text.length): boolean {
  const start = from <= 0 ? 0 : text.lastIndexOf('\n', from - 1) + 1;
  const endBreak = text.indexOf('\n', Math.min(to, text.length));
  const end = endBreak === -1 ? text.length : endBreak;
  if (end - start <= max) return false;
  let last = start - 1;
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    if (i - last - 1 > max) return true;
    last = i;
  }
  return end - last - 1 > max;
}
