// Case-insensitive multi-literal search (Aho-Corasick automaton compiled to a flat transition table).
// One linear pass over the text whatever the number of anchors; no regex, no backtracking.

export class AnchorMatcher {
  private readonly cls = new Uint8Array(128);
  private readonly k: number;
  private readonly delta: Int32Array;
  private readonly terminal: Uint8Array;
  private readonly next: Int32Array;
  private readonly stateMask: Int32Array;

  /**
   * `groups[i]`: bits that anchor i stands for (which detectors need it; default 1), so maskIn can say which
   * groups a range holds.
   */
  constructor(anchors: readonly string[], groups?: readonly number[]) {
    let nextClass = 1;
    for (const a of anchors)
      for (const ch of a.toLowerCase()) {
        const c = ch.charCodeAt(0);
        if (c >= 128) throw new Error('anchors must be ASCII');
        if (!this.cls[c]) {
          this.cls[c] = nextClass;
          const up = ch.toUpperCase().charCodeAt(0);
          if (up !== c && up < 128) this.cls[up] = nextClass;
          nextClass++;
        }
      }
    this.k = nextClass;
    // Trie.
    const go: Map<number, number>[] = [new Map()];
    const term: boolean[] = [false];
    const termMask: number[] = [0];
    anchors.forEach((a, ai) => {
      let s = 0;
      for (const ch of a.toLowerCase()) {
        const x = this.cls[ch.charCodeAt(0)];
        let t = go[s].get(x);
        if (t === undefined) {
          t = go.length;
          go.push(new Map());
          term.push(false);
          termMask.push(0);
          go[s].set(x, t);
        }
        s = t;
      }
      term[s] = true;
      termMask[s] |= groups ? groups[ai] : 1;
    });
    // Failure links breadth first, folded into a full transition table.
    const n = go.length;
    const k = this.k;
    this.delta = new Int32Array(n * k);
    this.terminal = new Uint8Array(n);
    const mask = new Int32Array(n);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let x = 1; x < k; x++) {
      const t = go[0].get(x);
      if (t !== undefined) {
        this.delta[x] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi];
      this.terminal[s] = term[s] || this.terminal[fail[s]] ? 1 : 0;
      // Every anchor that ends here: this state's own and, through the failure link, its suffixes'.
      mask[s] = termMask[s] | mask[fail[s]];
      for (let x = 1; x < k; x++) {
        const t = go[s].get(x);
        if (t !== undefined) {
          fail[t] = this.delta[fail[s] * k + x];
          this.delta[s * k + x] = t;
          queue.push(t);
        } else this.delta[s * k + x] = this.delta[fail[s] * k + x];
      }
    }
    // The scan table: one row of 128 columns per state indexed by the character itself (no class lookup in the
    // loop), holding the next state's row offset (no multiplication), negated when that state ends an anchor (no
    // second table read per character). A non-ASCII character is in no anchor: it leads back to the root.
    this.next = new Int32Array(n * 128);
    this.stateMask = mask;
    for (let st = 0; st < n; st++)
      for (let c = 0; c < 128; c++) {
        const t = this.delta[st * k + this.cls[c]];
        this.next[st * 128 + c] = this.terminal[t] ? -t * 128 : t * 128;
      }
  }

  /** The groups of every anchor that occurs in text[from, to). */
  maskIn(text: string, from = 0, to = text.length): number {
    const { next, stateMask } = this;
    let s = 0;
    let found = 0;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      s = c < 128 ? next[(s < 0 ? -s : s) + c] : 0;
      if (s < 0) found |= stateMask[-s >> 7];
    }
    return found;
  }

  /**
   * Calls onMatch(end) with the index just past each anchor occurrence; onMatch returns the index to resume
   * from (to skip the rest of a line already selected).
   */
  scan(text: string, onMatch: (end: number) => number, from = 0, to = text.length): void {
    scanRange(this.next, text, onMatch, Math.max(0, from), Math.min(to, text.length));
  }

  /** Whether the text contains any anchor. */
  test(text: string): boolean {
    let found = false;
    this.scan(text, () => {
      found = true;
      return text.length;
    });
    return found;
  }
}

// The scan loop is a plain function with no default parameters: V8 compiled the same loop as a method with
// defaults a third slower.
function scanRange(next: Int32Array, text: string, onMatch: (end: number) => number, from: number, to: number): void {
  let s = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    s = c < 128 ? next[s + c] : 0;
    if (s < 0) {
      s = -s;
      const resume = onMatch(i + 1);
      if (resume > i + 1) {
        i = resume - 1;
        s = 0;
      }
    }
  }
}

/**
 * The next occurrence of `needle` at or after a position, for positions that (almost) only grow: each search
 * starts past the last one found, so all searches together read the text once.
 */
export function nextOccurrence(text: string, needle: string): (from: number) => number {
  let found = -2;
  return (from) => {
    if (found === -1 || found >= from) return found;
    found = text.indexOf(needle, from);
    return found;
  };
}
