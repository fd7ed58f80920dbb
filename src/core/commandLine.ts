// A small command-line tokenizer for POSIX sh, PowerShell and cmd.exe: enough to read `az ...` and
// `Set-AzWebApp ...` invocations in scripts and pipeline steps without running a shell. It splits commands
// (newlines, ; & | && ||, subshell parentheses), removes quotes and escapes, joins continuations (`\`,
// backtick, `^` at the end of a line), skips comments and here-string bodies, reads a heredoc body as commands
// only when a shell runs it (`bash <<EOF`, Dockerfile `RUN <<EOF`; fed to `cat` or `tee` it is data), and marks every word
// whose value depends on a variable or command substitution as dynamic. Offsets always point into the
// original text, so findings land on the flag as written. Pure; linear in the text (no regular expressions).

export type Dialect = 'sh' | 'pwsh' | 'cmd';

export interface CommandWord {
  /** The word with quotes removed and escapes resolved; variables are kept as written. */
  value: string;
  /** Offsets of the whole word in the text, quotes included. */
  start: number;
  end: number;
  /** Source offset of each character of `value` (value.length entries), for ranges inside a word. */
  offsets: number[];
  /** The value is not known before the script runs: it holds a variable, substitution or expression. */
  dynamic: boolean;
}

export interface Command {
  words: CommandWord[];
}

export interface TokenizeOptions {
  /** YAML folded scalar (`>`): a single line break is a space, only a blank line ends a command. */
  folded?: boolean;
  /** Dockerfile RUN: a heredoc with no command before it (`RUN <<EOF`) is the script the instruction runs. */
  heredocScripts?: boolean;
}

/** Split [start, end) of `text` into commands. Commands inside `$( ... )` come out as commands of their own. */
export function tokenizeCommands(text: string, dialect: Dialect, start = 0, end = text.length, options: TokenizeOptions = {}): Command[] {
  const t = new Tokenizer(text, dialect, end, options.folded ?? false, options.heredocScripts ?? false);
  t.run(start, false);
  return t.commands;
}

/** Source range of value characters [from, to) of a word (`to` exclusive). */
export function valueRange(w: CommandWord, from = 0, to = w.value.length): { start: number; end: number } {
  if (w.value.length === 0 || from >= to) {
    const at = from < w.offsets.length ? w.offsets[from] : w.end;
    return { start: at, end: at };
  }
  return { start: w.offsets[from], end: w.offsets[to - 1] + 1 };
}

const PS_CONSTANTS = new Set(['$true', '$false', '$null']);

/** Shells that run a heredoc fed to them as a script. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);
/** Words that may come before the program: `sudo bash <<EOF`, `exec sh <<EOF`. */
const RUNNERS = new Set(['sudo', 'exec', 'time', 'command', 'nohup', 'env']);

/** Last path segment of a program name, lower case (`/bin/bash` -> `bash`). */
function baseCommand(word: string): string {
  const slash = word.lastIndexOf('/');
  return (slash >= 0 ? word.slice(slash + 1) : word).toLowerCase();
}

/**
 * Do these words (the command a heredoc is attached to) run the heredoc as a script? A shell with options only
 * (`bash`, `sudo -E bash -s`, `/bin/sh -e`); not with `-c` (stdin is then data) or a script file to run.
 */
function feedsShell(words: CommandWord[]): boolean {
  let i = 0;
  while (i < words.length && (RUNNERS.has(words[i].value) || words[i].value.includes('=') || (i > 0 && RUNNERS.has(words[i - 1].value) && words[i].value.startsWith('-')))) i++;
  if (i >= words.length || words[i].dynamic || !SHELLS.has(baseCommand(words[i].value))) return false;
  for (const w of words.slice(i + 1)) {
    const v = w.value;
    if (v.includes('>')) continue; // a redirection (`2>&1`)
    if (!v.startsWith('-') || (!v.startsWith('--') && v.includes('c'))) return false;
  }
  return true;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v';
}

function isNameChar(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_';
}

class Tokenizer {
  readonly commands: Command[] = [];
  private words: CommandWord[] = [];
  private word: CommandWord | undefined;
  /** Heredocs waiting for the end of the current line (sh): the delimiter, and whether a shell runs the body. */
  private heredocs: { delimiter: string; runs: boolean }[] = [];

  constructor(
    private readonly text: string,
    private readonly dialect: Dialect,
    private readonly end: number,
    private readonly folded: boolean,
    private readonly heredocScripts: boolean,
  ) {}

  private char(i: number): string {
    return i < this.end ? this.text[i] : '';
  }

  private add(ch: string, at: number): void {
    if (!this.word) this.word = { value: '', start: at, end: at + 1, offsets: [], dynamic: false };
    this.word.value += ch;
    this.word.offsets.push(at);
  }

  /** Mark the current word (started at `at` if none) dynamic and extend it to `to`. */
  private dynamicUntil(at: number, to: number): void {
    const raw = this.text.slice(at, to);
    if (!this.word) this.word = { value: '', start: at, end: to, offsets: [], dynamic: true };
    for (let k = 0; k < raw.length; k++) {
      this.word.value += raw[k];
      this.word.offsets.push(at + k);
    }
    this.word.dynamic = true;
    this.word.end = to;
  }

  private endWord(at: number): void {
    if (this.word) {
      this.word.end = Math.max(this.word.end, at);
      this.words.push(this.word);
      this.word = undefined;
    }
  }

  private endCommand(at: number): void {
    this.endWord(at);
    if (this.words.length) this.commands.push({ words: this.words });
    this.words = [];
  }

  /** Index just past the end of the line holding i (past '\n'). */
  private lineEnd(i: number): number {
    const n = this.text.indexOf('\n', i);
    return n === -1 || n >= this.end ? this.end : n + 1;
  }

  /** Is the newline at i a line continuation mark's newline? (`\r\n` counts as one.) */
  private newlineAt(i: number): number {
    if (this.char(i) === '\n') return 1;
    if (this.char(i) === '\r' && this.char(i + 1) === '\n') return 2;
    return 0;
  }

  /**
   * Scan from i; with `inParen`, stop after the `)` that closes a `$(`. Returns the index after the last
   * character read.
   */
  run(i: number, inParen: boolean): number {
    let depth = 0;
    const d = this.dialect;
    const escape = d === 'sh' ? '\\' : d === 'pwsh' ? '`' : '^';
    while (i < this.end) {
      const ch = this.text[i];
      // Continuation: the escape character right before a line break joins the lines.
      if (ch === escape) {
        const nl = this.newlineAt(i + 1);
        if (nl) {
          i += 1 + nl;
          continue;
        }
        if (i + 1 < this.end) {
          // An escaped character is literal (cmd ^&, sh \", PowerShell `$).
          if (!this.word) this.word = { value: '', start: i, end: i + 2, offsets: [], dynamic: false };
          this.word.end = i + 2;
          this.add(this.text[i + 1], i + 1);
          i += 2;
          continue;
        }
      }
      if (ch === '\n') {
        if (this.folded && !this.blankLineFollows(i)) {
          this.endWord(i);
          i++;
          continue;
        }
        this.endCommand(i);
        i = this.heredocs.length ? this.skipHeredocs(i + 1) : i + 1;
        continue;
      }
      if (isSpace(ch)) {
        this.endWord(i);
        i++;
        continue;
      }
      if (!this.word && this.startsComment(i)) {
        i = this.skipComment(i);
        continue;
      }
      if (ch === ';' || ch === '|' || (ch === '&' && !(d === 'sh' && (this.char(i + 1) === '>' || this.char(i - 1) === '>')))) {
        this.endCommand(i);
        i++;
        continue;
      }
      if (ch === '(' && !this.word) {
        this.endCommand(i);
        depth++;
        i++;
        continue;
      }
      if (ch === ')') {
        this.endCommand(i);
        i++;
        if (depth === 0 && inParen) return i;
        if (depth > 0) depth--;
        continue;
      }
      if ((ch === '{' || ch === '}') && !this.word && d === 'pwsh') {
        this.endCommand(i);
        i++;
        continue;
      }
      if (ch === "'" && d !== 'cmd') {
        i = this.singleQuoted(i);
        continue;
      }
      if (ch === '"') {
        i = this.doubleQuoted(i);
        continue;
      }
      if (d === 'sh' && ch === '<' && this.char(i + 1) === '<' && this.char(i + 2) !== '<') {
        i = this.heredocStart(i);
        continue;
      }
      if (d === 'pwsh' && ch === '@' && (this.char(i + 1) === '"' || this.char(i + 1) === "'") && this.newlineAt(i + 2)) {
        i = this.hereString(i);
        continue;
      }
      if (d === 'sh' && ch === '`') {
        const close = this.text.indexOf('`', i + 1);
        const to = close === -1 || close >= this.end ? this.end : close + 1;
        this.dynamicUntil(i, to);
        i = to;
        continue;
      }
      if (ch === '$' && d !== 'cmd') {
        i = this.dollar(i);
        continue;
      }
      if ((ch === '%' || ch === '!') && d === 'cmd') {
        const close = this.text.indexOf(ch, i + 1);
        const nl = this.text.indexOf('\n', i + 1);
        if (close !== -1 && close < this.end && (nl === -1 || close < nl)) {
          this.dynamicUntil(i, close + 1);
          i = close + 1;
          continue;
        }
      }
      if (this.word) this.word.end = i + 1;
      this.add(ch, i);
      i++;
    }
    this.endCommand(i);
    return i;
  }

  private blankLineFollows(i: number): boolean {
    for (let k = i + 1; k < this.end; k++) {
      const c = this.text[k];
      if (c === '\n') return true;
      if (!isSpace(c)) return false;
    }
    return true;
  }

  private startsComment(i: number): boolean {
    const ch = this.text[i];
    if (this.dialect === 'cmd') {
      if (this.words.length) return false;
      if (ch === ':' && this.char(i + 1) === ':') return true;
      const w = this.text.slice(i, i + 4).toLowerCase();
      return w.startsWith('rem') && (w.length === 3 || isSpace(w[3]) || w[3] === '\n');
    }
    return ch === '#' || (this.dialect === 'pwsh' && ch === '<' && this.char(i + 1) === '#');
  }

  private skipComment(i: number): number {
    if (this.dialect === 'pwsh' && this.text[i] === '<') {
      const close = this.text.indexOf('#>', i + 2);
      return close === -1 || close >= this.end ? this.end : close + 2;
    }
    // Up to, not past, the line break: it still ends the command.
    const nl = this.text.indexOf('\n', i);
    return nl === -1 || nl >= this.end ? this.end : nl;
  }

  private singleQuoted(i: number): number {
    if (!this.word) this.word = { value: '', start: i, end: i + 1, offsets: [], dynamic: false };
    let k = i + 1;
    while (k < this.end) {
      if (this.text[k] === "'") {
        // PowerShell doubles a quote to escape it.
        if (this.dialect === 'pwsh' && this.char(k + 1) === "'") {
          this.add("'", k);
          k += 2;
          continue;
        }
        this.word.end = k + 1;
        return k + 1;
      }
      this.add(this.text[k], k);
      k++;
    }
    this.word.end = this.end;
    return this.end;
  }

  private doubleQuoted(i: number): number {
    if (!this.word) this.word = { value: '', start: i, end: i + 1, offsets: [], dynamic: false };
    const d = this.dialect;
    let k = i + 1;
    while (k < this.end) {
      const c = this.text[k];
      if (c === '"') {
        if (d === 'pwsh' && this.char(k + 1) === '"') {
          this.add('"', k);
          k += 2;
          continue;
        }
        this.word!.end = k + 1;
        return k + 1;
      }
      if ((d === 'sh' && c === '\\') || (d === 'pwsh' && c === '`')) {
        const next = this.char(k + 1);
        const nl = this.newlineAt(k + 1);
        if (nl) {
          k += 1 + nl;
          continue;
        }
        if (d === 'pwsh' || next === '"' || next === '\\' || next === '$' || next === '`') {
          if (next) this.add(next, k + 1);
          k += 2;
          continue;
        }
      }
      if (c === '$' && d !== 'cmd') {
        k = this.dollar(k);
        continue;
      }
      if (d === 'sh' && c === '`') {
        const close = this.text.indexOf('`', k + 1);
        const to = close === -1 || close >= this.end ? this.end : close + 1;
        this.dynamicUntil(k, to);
        k = to;
        continue;
      }
      if (d === 'cmd' && c === '%') {
        const close = this.text.indexOf('%', k + 1);
        if (close !== -1 && close < this.end && this.text.slice(k, close).indexOf('\n') === -1) {
          this.dynamicUntil(k, close + 1);
          k = close + 1;
          continue;
        }
      }
      this.add(c, k);
      k++;
    }
    this.word!.end = this.end;
    return this.end;
  }

  /** `$name`, `${...}`, `$(...)`, `$((...))`, PowerShell `$env:X`, `$true`; sh `$'...'` is a quoted string. */
  private dollar(i: number): number {
    const next = this.char(i + 1);
    if (next === '(') {
      // Command substitution: its commands are commands too (`x=$(az webapp update ...)`).
      const saved = { words: this.words, word: this.word };
      this.words = [];
      this.word = undefined;
      const to = this.run(i + 2, true);
      this.words = saved.words;
      this.word = saved.word;
      this.dynamicUntil(i, to);
      return to;
    }
    if (next === '{') {
      const close = this.text.indexOf('}', i + 2);
      let to = close === -1 || close >= this.end ? this.end : close + 1;
      // GitHub Actions `${{ expr }}`.
      if (this.char(i + 2) === '{' && this.char(to) === '}') to++;
      this.dynamicUntil(i, to);
      return to;
    }
    if (this.dialect === 'sh' && next === "'") {
      // ANSI-C quoting: read as a plain single-quoted string.
      if (!this.word) this.word = { value: '', start: i, end: i + 1, offsets: [], dynamic: false };
      return this.singleQuoted(i + 1);
    }
    let k = i + 1;
    if (this.dialect === 'pwsh') {
      while (k < this.end && (isNameChar(this.text[k]) || (this.text[k] === ':' && isNameChar(this.char(k + 1))))) k++;
    } else if (next === '?' || next === '#' || next === '@' || next === '*' || next === '!' || next === '$' || next === '-') {
      k++;
    } else {
      while (k < this.end && isNameChar(this.text[k])) k++;
    }
    if (k === i + 1) {
      // A lone '$' is a literal.
      if (this.word) this.word.end = i + 1;
      this.add('$', i);
      return i + 1;
    }
    const raw = this.text.slice(i, k);
    if (this.dialect === 'pwsh' && PS_CONSTANTS.has(raw.toLowerCase())) {
      for (let m = 0; m < raw.length; m++) this.add(raw[m], i + m);
      this.word!.end = k;
      return k;
    }
    this.dynamicUntil(i, k);
    return k;
  }

  /** `<<WORD`, `<<-WORD`, `<<'WORD'`, `<<"WORD"`: remember the delimiter; the body starts on the next line. */
  private heredocStart(i: number): number {
    this.endWord(i);
    const runs = this.words.length === 0 ? this.heredocScripts : feedsShell(this.words);
    let k = i + 2;
    if (this.char(k) === '-') k++;
    while (k < this.end && isSpace(this.text[k])) k++;
    const quote = this.char(k) === "'" || this.char(k) === '"' ? this.text[k] : '';
    if (quote) k++;
    const from = k;
    while (k < this.end && (isNameChar(this.text[k]) || this.text[k] === '-' || this.text[k] === '.')) k++;
    const delimiter = this.text.slice(from, k);
    if (quote && this.char(k) === quote) k++;
    if (delimiter) this.heredocs.push({ delimiter, runs });
    return k;
  }

  /**
   * Read past heredoc bodies starting at line start i: a body a shell runs comes out as commands, any other is
   * data. Returns the start of the line after the last delimiter.
   */
  private skipHeredocs(i: number): number {
    let k = i;
    const pending = this.heredocs;
    this.heredocs = [];
    for (const { delimiter, runs } of pending) {
      const bodyStart = k;
      let bodyEnd = this.end;
      while (k < this.end) {
        const next = this.lineEnd(k);
        // `<<-` strips leading tabs; trimming both sides also accepts a stray '\r'.
        const line = this.text.slice(k, next).trim();
        if (line === delimiter) {
          bodyEnd = k;
          k = next;
          break;
        }
        k = next;
      }
      if (runs && !this.foreignShebang(bodyStart, bodyEnd)) {
        const body = new Tokenizer(this.text, this.dialect, bodyEnd, false, false);
        body.run(bodyStart, false);
        this.commands.push(...body.commands);
      }
    }
    return k;
  }

  /** A script body that starts with a shebang for another interpreter (`#!/usr/bin/env python`). */
  private foreignShebang(start: number, end: number): boolean {
    if (this.text[start] !== '#' || this.text[start + 1] !== '!') return false;
    const words = this.text.slice(start + 2, Math.min(end, this.lineEnd(start))).trim().split(' ');
    const program = baseCommand(words[0]) === 'env' ? (words[1] ?? '') : words[0];
    return !SHELLS.has(baseCommand(program));
  }

  /** PowerShell here-string `@" ... "@` / `@' ... '@`: one dynamic word (its content is data, not commands). */
  private hereString(i: number): number {
    const close = this.text.indexOf(`\n${this.text[i + 1]}@`, i + 2);
    const to = close === -1 || close + 3 > this.end ? this.end : close + 3;
    this.dynamicUntil(i, to);
    return to;
  }
}
