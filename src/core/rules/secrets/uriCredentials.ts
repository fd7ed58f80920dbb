// SECRET-URI-CREDENTIALS: scheme://user:password@host. A dictionary-word or test password is a sample, and a
// password for a local development server (localhost, a Compose service) a local default: both are reported
// under SECRET-GENERIC-PASSWORD, a hint.

import { isDocumentationPath } from '../../fileKind';
import { credentialShape, isTemplateServer } from './connectionString';
import { isAlnum, percentDecode, runStart } from './encoding';
import { isLocalDevHost, LOCAL_DEV_KIND } from './localDev';
import { classifyLiteral, isReference, WEAK_PASSWORD_KIND } from './negatives';
import { type LineDetector, RULE, type SecretRule } from './types';

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

const isSchemeChar = (c: number) => isAlnum(c) || c === 43 || c === 46 || c === 45;
/** Characters that end the user-info part of a URI. */
const USERINFO_STOP = ' \t/?#"\'<>`@';
/** Characters that end the host (and start the port, path, query or the text around the URI). */
const HOST_STOP = ':/?#"\'<>` \t,;)]}';

/** The host after user info at `from`: `[::1]` with its brackets, or a name up to the port or path. */
function hostAt(line: string, from: number): string {
  if (line[from] === '[') {
    const close = line.indexOf(']', from);
    return close === -1 || close - from > 64 ? '' : line.slice(from, close + 1);
  }
  let e = from;
  while (e < line.length && e - from < 256 && HOST_STOP.indexOf(line[e]) === -1) e++;
  return line.slice(from, e);
}
function uriKind(scheme: string): string {
  const s = scheme.toLowerCase();
  if (s.startsWith('mongodb')) return 'MongoDB password';
  if (s.startsWith('postgres')) return 'PostgreSQL password';
  if (s.startsWith('mysql') || s.startsWith('mariadb')) return 'MySQL password';
  if (s.startsWith('redis')) return 'Redis password';
  if (s.startsWith('amqp')) return 'AMQP password';
  if (s.startsWith('http')) return 'Password in URL';
  if (s.startsWith('ftp') || s.startsWith('sftp')) return 'FTP password';
  return 'Password in URI';
}

export const detectUriCredentials: LineDetector = (line, lineStart, ctx, out) => {
  if (line.indexOf('://') === -1) return;
  for (let i = line.indexOf('://'); i !== -1; i = line.indexOf('://', i + 3)) {
    const ss = runStart(line, i, isSchemeChar, 32);
    if (i - ss < 2 || !isAlpha(line.charCodeAt(ss))) continue;
    const scheme = line.slice(ss, i);
    // user:password@ within the next few hundred characters, before any '/', '?', '#', quote or space.
    const us = i + 3;
    let at = us;
    while (at < line.length && at - us < 400 && USERINFO_STOP.indexOf(line[at]) === -1) at++;
    if (line[at] !== '@' || at + 1 >= line.length || !(isAlnum(line.charCodeAt(at + 1)) || line[at + 1] === '[')) continue;
    const colon = line.indexOf(':', us);
    if (colon === -1 || colon >= at - 1) continue;
    const user = line.slice(us, colon);
    const password = line.slice(colon + 1, at);
    const decoded = percentDecode(password) ?? password;
    if (isReference(password) || decoded === user) continue;
    if (password.startsWith('%') && password.endsWith('%')) continue;
    const shape = credentialShape(decoded);
    if (shape === 'placeholder' || (shape === 'sample' && isDocumentationPath(ctx.path))) continue;
    const host = hostAt(line, at + 1);
    // A template (amqps://SASKeyName:SASKey@YourNamespace.servicebus.windows.net): anything but a random password in it
    // is part of the template.
    if (isTemplateServer(host) && classifyLiteral(decoded) !== 'random') continue;
    const start = lineStart + colon + 1;
    const end = lineStart + at;
    // A local server's default (mongodb://mongo:pw@localhost) and a test or dictionary-word password
    // (mongodb://admin:testpassword@...) are reported as hints.
    if (isLocalDevHost(host, ctx.path)) out.push({ ruleId: RULE.generic, start, end, secret: password, kind: LOCAL_DEV_KIND });
    else if (shape === 'sample') out.push({ ruleId: RULE.generic, start, end, secret: password, kind: WEAK_PASSWORD_KIND });
    else out.push({ ruleId: RULE.uri, start, end, secret: password, kind: uriKind(scheme) });
  }
};

const random = { fake: 'password' };
const GENERIC = ['SECRET-GENERIC-PASSWORD'];

export const uriCredentialsRule: SecretRule = {
  meta: {
    id: RULE.uri,
    title: 'Credentials in a URI',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'A URI embeds a user name and password (user:password@host), which leak through logs, history and error messages.',
  },
  priority: 70,
  lineDetectors: [{ name: 'credentials in URIs', detect: detectUriCredentials, anchors: ['://'] }],
  patterns: [],
  examples: {
    positives: [
      { name: 'MongoDB URI in .env', file: '.env', text: 'MONGO_URL=mongodb://app:{secret}@cluster0.mongo.net/db\n', secret: random, kind: 'MongoDB password' },
      { name: 'PostgreSQL URI in code', file: 'db.ts', text: "const url = 'postgres://app:{secret}@pg.contoso.net:5432/app';\n", secret: random },
      { name: 'a random password stays a finding even with a placeholder host', file: 'README.md', text: '`./sender amqps://send:{secret}@YourNamespace.servicebus.windows.net/hub`\n', secret: random },
    ],
    negatives: [
      { name: 'a template URI: a name for a password and a placeholder host', file: 'samples/proton-c-sender/README.md', text: '`./sender amqps://SASKeyName:SASKey@YourNamespace.servicebus.windows.net/YourEventHub`\n' },
      { name: 'placeholder password', file: '.env', text: 'DATABASE_URL=postgres://user:<password>@localhost:5432/db\n' },
      { name: 'variable password', file: '.env', text: 'DATABASE_URL=postgres://user:${DB_PASSWORD}@localhost:5432/db\n' },
      { name: 'user equals password (guest:guest)', file: 'amqp.js', text: 'const url = "amqp://guest:guest@localhost:5672";\n' },
      { name: 'test password: a sample, reported as a hint only', file: 'app.js', text: 'const url = "mongodb://admin:testpassword@mongo:27017/db";\n', allow: GENERIC },
      { name: 'local development default on localhost: a hint only', file: 'config/index.ts', text: 'const url = process.env.COSMOS_CONNECTION_STRING || "mongodb://mongo:{secret}@localhost:27017";\n', secret: random, allow: GENERIC },
      { name: 'Compose service host in docker-compose.yml: a hint only', file: 'docker-compose.yml', text: 'services:\n  api:\n    environment:\n      DATABASE_URL: postgres://app:{secret}@db:5432/app\n', secret: random, allow: GENERIC },
    ],
  },
};
