// SQL Server connection strings written in source code (C#, VB, F#, Java, Kotlin, JavaScript/TypeScript, Python,
// Go, PHP, Ruby, PowerShell) and JDBC URLs, with Encrypt=False / TrustServerCertificate=True, reported under
// APPSVC-SQL-ENCRYPT. Only a string literal that is itself a connection string counts (Server= or Data Source=
// plus another connection-string key); comments are not code. The caller skips test code.

import type { RawFinding } from '../../model';
import { baseNameOf } from '../appservice/context';
import { SQL_ENCRYPT, isLoopbackSqlServer, sqlConnectionFindings } from '../appservice/sqlEncrypt';

const CODE_FILE = /\.(?:cs|vb|fs|java|kt|scala|groovy|js|jsx|mjs|cjs|ts|tsx|py|go|php|rb|ps1|psm1)$/;
/** Languages whose line comments start with '#' instead of '//'. */
const HASH_COMMENT_FILE = /\.(?:py|rb|ps1|psm1)$/;
/** Test sources by file name: OrdersTests.cs, orders.test.ts, orders_test.go, test_orders.py, OrdersSpec.kt. */
const TEST_FILE_CAMEL = /[a-z0-9](?:Tests?|Specs?)\.[a-z]{1,5}$/;
const TEST_FILE = /[._-](?:tests?|specs?)\.[a-z0-9]{1,5}$|^test_/i;
/** Where a literal may hold a flagged key: the cheap search before any literal is read. */
const SQL_KEY = /encrypt|trust[ \t]?server[ \t]?certificate/gi;
const SERVER_KEY = /(?:^|;)[ \t]*(?:server|data source)[ \t]*=/i;
const OTHER_KEY =
  /(?:^|;)[ \t]*(?:database|initial catalog|user id|uid|password|pwd|integrated security|trusted_connection|authentication|persist security info|multipleactiveresultsets|connect timeout|connection timeout|application name|failover partner)[ \t]*=/i;
const JDBC_SQLSERVER = /^jdbc:sqlserver:/i;
// `;encrypt=false` / `;trustServerCertificate=true` inside a JDBC URL (properties are ';'-separated there).
const JDBC_PAIR = /;[ \t]*(encrypt|trustservercertificate)[ \t]*=[ \t]*([A-Za-z]{1,12})/gi;
export const sqlLiteralPatterns: RegExp[] = [CODE_FILE, HASH_COMMENT_FILE, TEST_FILE_CAMEL, TEST_FILE, SQL_KEY, SERVER_KEY, OTHER_KEY, JDBC_SQLSERVER, JDBC_PAIR];

/** A JDBC SQL Server URL at offsets [start, start + value.length): encrypt=false / trustServerCertificate=true. */
export function jdbcFindings(value: string, start: number, settingName: string, path: string[] | undefined, out: RawFinding[]): void {
  if (!JDBC_SQLSERVER.test(value) || isLoopbackSqlServer(value)) return;
  JDBC_PAIR.lastIndex = 0;
  for (let m = JDBC_PAIR.exec(value); m; m = JDBC_PAIR.exec(value)) {
    const k = m[1].toLowerCase();
    const v = m[2].toLowerCase();
    const bad = k === 'encrypt' ? v === 'false' || v === 'no' : v === 'true' || v === 'yes';
    if (!bad) continue;
    const pairStart = start + m.index + m[0].indexOf(m[1]);
    const valueEnd = start + m.index + m[0].length;
    const good = k === 'encrypt' ? 'true' : 'false';
    out.push({
      ruleId: SQL_ENCRYPT,
      start: pairStart,
      end: valueEnd,
      settingName,
      ...(path ? { path } : {}),
      message:
        k === 'encrypt'
          ? `The JDBC URL sets ${m[1]}=${m[2]}, so traffic to the database may be unencrypted; use ${m[1]}=${good}.`
          : `The JDBC URL sets ${m[1]}=${m[2]}, so the server certificate is not validated; use ${m[1]}=${good}.`,
      fix: { title: `Set ${m[1]}=${good}`, start: valueEnd - m[2].length, end: valueEnd, replacement: good },
    });
  }
}

/** Source code the scan reads for connection-string literals (not tests). */
export function isSqlLiteralSource(path: string): boolean {
  // As written: OrdersTests.cs is a test, latest.ts is not.
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return CODE_FILE.test(name.toLowerCase()) && !TEST_FILE.test(name) && !TEST_FILE_CAMEL.test(name);
}

/** Connection strings in the string literals of a source file. */
export function sqlLiteralFindings(text: string, path: string, out: RawFinding[]): void {
  const hashComments = HASH_COMMENT_FILE.test(baseNameOf(path));
  const blocks = hashComments ? undefined : new BlockComments(text);
  // The line being read and where its scan stopped (outside any literal): matches come in order, so a long line
  // (minified code) is walked once, not once per match.
  let lineEnd = -1;
  let resume = 0;
  SQL_KEY.lastIndex = 0;
  for (let m = SQL_KEY.exec(text); m; m = SQL_KEY.exec(text)) {
    if (m.index >= lineEnd) {
      const nl = text.indexOf('\n', m.index);
      lineEnd = nl === -1 ? text.length : nl;
      resume = text.lastIndexOf('\n', m.index) + 1;
    }
    if (blocks?.inside(m.index)) continue;
    const found = literalAt(text, resume, lineEnd, m.index, hashComments);
    resume = found.resume;
    const literal = found.literal;
    if (!literal) {
      // After a line comment, the rest of the line is comment.
      if (found.comment) SQL_KEY.lastIndex = lineEnd;
      continue;
    }
    const raw = text.slice(literal.start, literal.end);
    if (SERVER_KEY.test(raw) && OTHER_KEY.test(raw)) sqlConnectionFindings(raw, literal.start, 'connection string', undefined, out);
    else jdbcFindings(raw, literal.start, 'JDBC URL', undefined, out);
    // Further keys of the same literal were read with it.
    SQL_KEY.lastIndex = Math.max(SQL_KEY.lastIndex, literal.end);
  }
}

/** Whether offsets sit inside `/* ... *\/` comments, asked in increasing order: the text is walked once. */
class BlockComments {
  private pos = 0;
  private inComment = false;
  /** The next comment delimiter at or after `pos` (-1: none left), found once. */
  private next: number | undefined;

  constructor(private readonly text: string) {}

  inside(at: number): boolean {
    for (;;) {
      this.next ??= this.text.indexOf(this.inComment ? '*/' : '/*', this.pos);
      if (this.next === -1 || this.next >= at) return this.inComment;
      this.inComment = !this.inComment;
      this.pos = this.next + 2;
      this.next = undefined;
    }
  }
}

interface LiteralScan {
  /** The literal's content range, when `at` is inside one. */
  literal?: { start: number; end: number };
  /** `at` is after a line comment. */
  comment: boolean;
  /** Where the next scan of this line starts (outside any literal). */
  resume: number;
}

/**
 * The content range of the string literal (", ' or `) on this line that contains `at`, scanning from `from`
 * (outside any literal). Backslash escapes are skipped; a C# verbatim string (@"...") escapes a quote by doubling it.
 */
function literalAt(text: string, from: number, lineEnd: number, at: number, hashComments: boolean): LiteralScan {
  let i = from;
  while (i < lineEnd) {
    const c = text[i];
    if (hashComments ? c === '#' : c === '/' && text[i + 1] === '/') return { comment: true, resume: lineEnd };
    if (c !== '"' && c !== "'" && c !== '`') {
      i++;
      continue;
    }
    const verbatim = c === '"' && text[i - 1] === '@';
    const start = i + 1;
    let j = start;
    for (; j < lineEnd; j++) {
      const d = text[j];
      if (d === '\\' && !verbatim) j++;
      else if (d === c) {
        if (verbatim && text[j + 1] === c) j++;
        else break;
      }
    }
    // `at` is before this literal: read it again for the next match.
    if (at < start) return { comment: false, resume: i };
    if (at < j) return { literal: { start, end: j }, comment: false, resume: Math.min(j + 1, lineEnd) };
    i = j + 1;
  }
  return { comment: false, resume: lineEnd };
}
