// Adversarial inputs: each detector's and parser's own anchors repeated with nothing that closes them (a PEM
// header without END, "Password=" without a value's end, unclosed XML, deep YAML flow, ...). A detector that
// searches to the end of the text per anchor is quadratic on these. Shared by test/unit/fuzz.test.ts (runaway
// guard) and, run directly, prints the figures:
//   node -r esbuild-register bench/adversarial.ts [KiB, default 1024]
import type { FileKind } from '../src/core/model';

export interface AdversarialShape {
  name: string;
  /** The file name the scan is given (its kind comes from it). */
  path: string;
  kind: FileKind;
  /** About `size` characters of the shape. */
  make: (size: number) => string;
}

const repeat = (unit: string, size: number) => unit.repeat(Math.max(1, Math.ceil(size / unit.length)));

/** Anchors of the secret detectors (src/core/rules/secrets/*) that open something a later search must close. */
export const SECRET_ANCHOR_UNITS: readonly string[] = [
  '-----BEGIN PRIVATE KEY-----\n',
  '-----BEGIN RSA PRIVATE KEY----- ',
  '-----BEGIN OPENSSH PRIVATE KEY-----\\n',
  '-----BEGIN PRIVATE KEY-----\n' + 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n'.repeat(3),
  '-----END PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\n',
  'Password=',
  'Password="',
  'AccountKey=',
  'SharedAccessKey=x;',
  'Server=tcp:x;Password=',
  'https://',
  'https://user:',
  'https://user@',
  'sig=',
  '?sv=2020&sig=',
  'eyJ',
  'eyJhbGciOi.',
  'ghp_',
  'github_pat_',
  'sk-',
  'xoxb-',
  'AKIA',
  'JQQJ99',
  'AzCa',
  '8Q~',
  'password = "',
  "secret: '",
  'key=',
  'token:',
  '<add key="password" value="',
  '<password>',
  'core.windows.net ==',
];

const JOINERS = ['', ' ', '\n', '"', ',', '\\n'];

export const ADVERSARIAL_SHAPES: AdversarialShape[] = [
  ...SECRET_ANCHOR_UNITS.flatMap((unit) =>
    JOINERS.map((j) => ({
      name: `secret anchor ${JSON.stringify(unit.slice(0, 30))} joined by ${JSON.stringify(j)}`,
      path: 'adversarial.txt',
      kind: 'code' as FileKind,
      make: (size: number) => repeat(unit + j, size),
    })),
  ),
  { name: 'PEM headers without END, in a .env file', path: '.env', kind: 'env', make: (n) => repeat('KEY="-----BEGIN PRIVATE KEY-----\n', n) },
  { name: 'PEM headers without END, in a JSON string', path: 'appsettings.json', kind: 'appsettings', make: (n) => `{"k": "${repeat('-----BEGIN PRIVATE KEY-----\\n', n)}"}` },
  { name: 'unclosed XML elements', path: 'web.config', kind: 'xml', make: (n) => `<configuration>${repeat('<a>', n)}` },
  { name: 'unclosed XML attributes', path: 'web.config', kind: 'xml', make: (n) => `<configuration>${repeat('<add key="k" value="', n)}` },
  { name: 'XML elements with text', path: 'web.config', kind: 'xml', make: (n) => `<configuration>${repeat('<add key="k">v', n)}` },
  { name: 'deep YAML flow', path: 'pipeline.yml', kind: 'yaml', make: (n) => `a: ${repeat('[', n / 2)}` },
  { name: 'deep YAML flow maps', path: 'pipeline.yml', kind: 'yaml', make: (n) => `a: ${repeat('{a: ', n)}` },
  { name: 'deep YAML block', path: 'pipeline.yml', kind: 'yaml', make: (n) => Array.from({ length: Math.min(2000, Math.sqrt(n) | 0) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') },
  { name: 'long .env', path: '.env', kind: 'env', make: (n) => Array.from({ length: Math.ceil(n / 12) }, (_, i) => `K${i}=v${i}`).join('\n') },
  { name: '.env with unclosed quotes', path: '.env', kind: 'env', make: (n) => repeat('K="v\n', n) },
];

function timeScan(scan: (text: string, path: string) => unknown, text: string, path: string): number {
  const t = performance.now();
  scan(text, path);
  return performance.now() - t;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when run as a script
  const { scanText } = require('../src/core/engine') as typeof import('../src/core/engine');
  const kib = Number(process.argv[2] ?? 1024);
  console.log(`adversarial shapes at ${kib} KiB and half that (ratio ~2 = linear, ~4 = quadratic)`);
  const rows: [number, string][] = [];
  for (const s of ADVERSARIAL_SHAPES) {
    const big = s.make(kib * 1024);
    const half = s.make((kib * 1024) / 2);
    scanText(half.slice(0, 4096), s.path);
    const a = timeScan(scanText, half, s.path);
    const b = timeScan(scanText, big, s.path);
    rows.push([b, `${b.toFixed(0).padStart(7)} ms  x${(b / Math.max(a, 0.1)).toFixed(1).padStart(5)}  ${s.name}`]);
  }
  for (const [, line] of rows.sort((x, y) => y[0] - x[0])) console.log(line);
}
