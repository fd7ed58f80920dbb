// The one place that turns a secret into something safe to show. Everything that prints a value
// (messages, logs, SARIF snippets, JSON key paths, errors) goes through here.

/** "ab•••••• (88 chars)": at most two characters of the value survive, never enough to use it. */
export function maskSecret(secret: string): string {
  if (secret.length === 0) return '';
  const keep = secret.length >= 12 ? 2 : 0;
  return `${secret.slice(0, keep)}${'•'.repeat(6)} (${secret.length} chars)`;
}

/** Replace every [start, end) range of `text` (offsets relative to text) with a masked form. */
export function maskRanges(text: string, ranges: { start: number; end: number }[]): string {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const r of sorted) {
    const s = Math.max(r.start, pos);
    const e = Math.min(Math.max(r.end, s), text.length);
    if (s >= text.length) break;
    out += text.slice(pos, s) + maskSecret(text.slice(s, e));
    pos = e;
  }
  return out + text.slice(pos);
}

// ---- secret-looking words --------------------------------------------------------------------------
// Key names, setting names and the words of a message come from the scanned file and may be anything,
// a pasted key included. Names people write are words (camelCase, SNAKE_CASE, kebab-case, a version
// number); keys, tokens and passwords are random: letters and digits interleaved, case changing every
// character or two, or symbols a name never holds.

const ALNUM_RUN = /[A-Za-z0-9]+/g;

const enum Kind {
  Digit,
  Upper,
  Lower,
}
function kindOf(c: number): Kind {
  if (c <= 57) return Kind.Digit;
  return c <= 90 ? Kind.Upper : Kind.Lower;
}

/** `run` holds letters and digits only. */
function randomLooking(run: string): boolean {
  if (run.length < 8) return false;
  let digits = 0;
  let switches = 0;
  // camelCase humps ('IP', 'Security', 'Restrictions', '2'): random text splits into many short ones. A hump
  // starts at a digit after a letter, a letter after a digit, an upper case letter after a lower case one, and
  // at the last upper case letter of an upper case run followed by a lower case one.
  let humps = 1;
  let prev = kindOf(run.charCodeAt(0));
  if (prev === Kind.Digit) digits++;
  for (let i = 1; i < run.length; i++) {
    const k = kindOf(run.charCodeAt(i));
    if (k === Kind.Digit) digits++;
    if ((k === Kind.Digit) !== (prev === Kind.Digit)) {
      switches++;
      humps++;
    } else if (k === Kind.Upper && prev === Kind.Lower) humps++;
    else if (k === Kind.Lower && prev === Kind.Upper && i >= 2 && kindOf(run.charCodeAt(i - 2)) === Kind.Upper) humps++;
    prev = k;
  }
  if (digits >= 2 && digits < run.length && switches >= 3) return true;
  return humps >= 4 && run.length / humps < 3;
}

/**
 * True when a word (a key, a setting name, one whitespace-separated token of a message) may be or hold a
 * secret. Errs on the side of masking: a GUID or a date-time stamp counts as secret-looking.
 */
export function looksSecret(word: string): boolean {
  if (word.length < 8 || word.includes('•')) return false;
  const runs = word.match(ALNUM_RUN);
  if (!runs) return false;
  if (runs.some(randomLooking)) return true;
  // Separators split a password into short pieces ('aB3-xY7_kLm9'): judge the pieces together too.
  return runs.length > 1 && randomLooking(runs.join(''));
}

/** A key or name as shown in output: masked when it looks like a secret. */
export function maskName(name: string): string {
  return looksSecret(name) ? maskSecret(name) : name;
}

// A word of free text: a run of anything but white space and quotes.
const WORD = /[^\s'"`]+/g;

/** Free text (a finding message, a fix title) with every secret-looking word masked. */
export function maskText(text: string): string {
  return text.replace(WORD, maskName);
}

// ---- setting values --------------------------------------------------------------------------------

// Values that are plainly not secrets: booleans, numbers and versions ('1.2'), enum words ('Disabled',
// 'FtpsOnly'), the CORS wildcard, and 'Key=Word' pairs of a connection string ('Encrypt=False').
const PUBLIC_VALUE = /^(?:true|false|null|\*|-?[0-9]{1,10}(?:\.[0-9]{1,10}){0,3}|[A-Za-z][A-Za-z_-]{0,29}|[A-Za-z][A-Za-z ]{0,29}=[A-Za-z]{1,12})$/;

/**
 * The value token of a finding as shown in a snippet: as written when it is plainly not a secret, masked
 * otherwise (a connection string, a URL, a reference, anything that is not a boolean, number or enum word).
 */
export function maskValue(token: string): string {
  const q = token[0];
  const inner = token.length >= 2 && (q === '"' || q === "'") && token[token.length - 1] === q ? token.slice(1, -1) : token;
  return PUBLIC_VALUE.test(inner.trim()) && !looksSecret(inner) ? token : maskSecret(token);
}
