// SECRET-SAS-TOKEN: a sig= with a 32-byte signature and SAS parameters. The range covers the sig value as
// written (URL-encoded). A token whose signed expiry (se=) has passed cannot be used any more: a warning that
// names the date, not an error.

import { decodeBase64, isUrlTokenChar, percentDecode } from './encoding';
import { isPlaceholder, isReference } from './negatives';
import { type LineDetector, RULE, type SecretRule } from './types';

const AMP_ENTITY = /&amp;/g;

const SAS_LEFT = '?& \t"\'`<>(;,';

/** Query-string parameters of the token around index i, name (lower case) to value (handles '&amp;' in XML). */
function tokenParams(line: string, sigAt: number): Map<string, string> {
  let s = sigAt;
  let steps = 0;
  // Walk left over '&'-separated parameters (bounded).
  while (s > 0 && steps < 4000) {
    const c = line[s - 1];
    // '&amp;' (XML) separates parameters like '&'.
    if (c === ';' && line.endsWith('&amp', s - 1)) {
      s -= 5;
      continue;
    }
    if (c !== '&' && SAS_LEFT.indexOf(c) !== -1) break;
    s--;
    steps++;
  }
  let e = sigAt;
  while (e < line.length && e - sigAt < 4000 && ' \t"\'`<>;,)'.indexOf(line[e]) === -1) e++;
  const params = new Map<string, string>();
  for (const part of line.slice(s, e).replace(AMP_ENTITY, '&').split('&')) {
    // 'SAS=sv=2022-11-02' (a setting holding the token) names 'sv'; 'sig=abc=' names 'sig'.
    const bits = part.split('=');
    if (bits.length < 2) continue;
    params.set(bits[0].toLowerCase(), bits.slice(1).join('='));
    if (bits.length > 2) params.set(bits[bits.length - 2].toLowerCase(), bits[bits.length - 1]);
  }
  return params;
}

/** se= as an ISO 8601 UTC date or time (Storage), possibly URL-encoded. */
const ISO_EXPIRY = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,7})?Z?)?$/;
/** se= in Unix seconds (Service Bus / Event Hubs). */
const UNIX_EXPIRY = /^\d{9,11}$/;

/** The signed expiry in milliseconds since 1970, or undefined when the token has none we can read. */
function signedExpiry(se: string | undefined): number | undefined {
  if (se === undefined) return undefined;
  const v = percentDecode(se) ?? se;
  if (UNIX_EXPIRY.test(v)) return Number(v) * 1000;
  const m = ISO_EXPIRY.exec(v);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(ms) ? undefined : ms;
}

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

/** HMAC-SHA256 in base64: 43 characters and one '='. */
const SIGNATURE_SHAPE = /^[A-Za-z0-9+/]{43}=$/;

/** Decode valid %XX escapes; a malformed one stands for one character ('A'), as its writer meant one. */
function lenientPercentDecode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%' || i + 2 >= s.length) {
      out += s[i];
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    out += isHexPair(hex) ? String.fromCharCode(parseInt(hex, 16)) : 'A';
    i += 2;
  }
  return out;
}

const isHexPair = (h: string) => isHexDigit(h.charCodeAt(0)) && isHexDigit(h.charCodeAt(1));
const isHexDigit = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

export const detectSasTokens: LineDetector = (line, lineStart, _ctx, out) => {
  if (line.indexOf('sig=') === -1) return;
  for (let at = line.indexOf('sig='); at !== -1; at = line.indexOf('sig=', at + 4)) {
    if (at > 0 && isUrlTokenChar(line.charCodeAt(at - 1))) continue;
    const vs = at + 4;
    let ve = vs;
    while (ve < line.length && ve - vs < 400 && '&"\'` \t;<>,)'.indexOf(line[ve]) === -1) ve++;
    const raw = line.slice(vs, ve);
    // A hand-typed signature may carry a broken escape (%2R): still signature-shaped, still worth a finding.
    const decoded = percentDecode(raw) ?? lenientPercentDecode(raw);
    if (isPlaceholder(decoded) || isReference(raw)) continue;
    const plain = decoded.replace(/ /g, '+');
    const bytes = decodeBase64(plain);
    if (!(bytes && bytes.length === 32) && !SIGNATURE_SHAPE.test(plain)) continue;
    const params = tokenParams(line, at);
    const storageSas = params.has('sv') && (params.has('se') || params.has('sp'));
    // Service Bus, Event Hubs and IoT Hub sign a resource URI (sr=ns.servicebus.windows.net%2Fqueue): one without a
    // host name (sr=uri, sr=bad) is a test vector of the signing code.
    const sr = params.get('sr');
    const busSas = sr !== undefined && params.has('se') && params.has('skn') && (percentDecode(sr) ?? sr).includes('.');
    const cosmosToken = params.has('type') && params.has('ver');
    if (!storageSas && !busSas && !cosmosToken) continue;
    const kind = storageSas ? 'Azure Storage SAS token' : busSas ? 'Azure Service Bus / Event Hubs SAS token' : 'Azure Cosmos DB authorization token';
    // The expiry is signed: an expired token cannot be revived by editing se=. Still a warning: the line shows
    // SAS tokens being committed, and the next one (from the same script or doc) will be live.
    // A user delegation SAS (skoid=, ske=) is signed with a delegation key that expires on its own (at most seven
    // days after it was issued): the token dies with the key, whatever its se= says.
    const expiry = storageSas || busSas ? earliest(signedExpiry(params.get('se')), storageSas ? signedExpiry(params.get('ske')) : undefined) : undefined;
    if (expiry !== undefined && expiry < Date.now()) {
      const on = new Date(expiry).toISOString().slice(0, 10);
      out.push({ ruleId: RULE.sas, start: lineStart + vs, end: lineStart + ve, secret: raw, kind: `${kind} (expired on ${on})`, maxSeverity: 'warning' });
    } else out.push({ ruleId: RULE.sas, start: lineStart + vs, end: lineStart + ve, secret: raw, kind });
  }
};

export const sasTokenRule: SecretRule = {
  meta: {
    id: RULE.sas,
    title: 'Shared access signature token',
    tag: 'secret',
    severity: 'error',
    confidence: 'high',
    description: 'A shared access signature (SAS) token with a valid signature is in plain text; it grants access to Azure resources until it expires.',
  },
  priority: 80,
  lineDetectors: [{ name: 'SAS tokens', detect: detectSasTokens, anchors: ['sig='] }],
  patterns: [SIGNATURE_SHAPE, AMP_ENTITY, ISO_EXPIRY, UNIX_EXPIRY],
  examples: {
    positives: [
      { name: 'blob SAS URL in appsettings', file: 'appsettings.json', text: '{ "Blob": { "Url": "https://contoso.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&spr=https&sig={secret}" } }', secret: { fake: 'sas-signature', uriEncode: true } },
      { name: 'SAS URL in a C# test', file: 'tests/BlobTests.cs', text: 'var uri = new Uri("https://account.blob.core.windows.net/container/blob?sv=2019-02-02&sr=b&sig={secret}&se=2030-01-01T00%3A00%3A00Z&sp=r");\n', secret: { fake: 'sas-signature', seed: 2, uriEncode: true } },
      { name: 'IoT Hub device SAS token in a script', file: 'send.sh', text: 'SAS="SharedAccessSignature sr=contoso.azure-devices.net%2Fdevices%2Fdevice1&sig={secret}&se=4102444800&skn=device"\n', secret: { fake: 'sas-signature', seed: 5, uriEncode: true } },
      { name: 'hand-typed signature with a broken escape in a test', file: 'tests/InstanceManagerTests.cs', text: '"https://notarealstorageaccount.blob.core.windows.net/releases/test.zip?st=2019-05-22T15%3A00%3A09Z&se=2099-05-23T15%3A00%3A00Z&sp=rwl&sv=2018-03-28&sr=b&sig={secret}"\n', secret: { pieces: ['d%2Fq', 'Xk3mP9sLw%2R', 'vT7nB4cZ%2B', 'hQ1jF6gR%2B', 'yW2eK5uA0', 'oN8%3D'] } },
    ],
    negatives: [
      { name: 'placeholder signature', file: 'appsettings.json', text: '{ "Url": "https://x.blob.core.windows.net/c?sv=2022-11-02&sp=r&se=2030-01-01&sig=<signature>" }' },
      { name: 'signing-code test vector: no resource host in sr=', file: 'test/_shared_access_signature_test.js', text: "const expect = 'SharedAccessSignature sr=uri&sig={secret}&skn=keyName&se=1474430400';\n", secret: { fake: 'sas-signature', seed: 4, uriEncode: true } },
      { name: 'sig= without SAS parameters', file: 'api.js', text: 'fetch(`/api/verify?sig={secret}`);\n', secret: { fake: 'sas-signature', seed: 3, uriEncode: true } },
    ],
  },
};
