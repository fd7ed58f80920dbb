// Builds the samples/ workspace from samples-src/: every {{fake:KIND}} token becomes a fake secret
// assembled at build time, so no file in the repository holds a whole key.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeSecret } from '../test/support/fakeSecrets';

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'samples-src');

/** Sample token -> fake secret. Each sample has its own seed, so the values are stable between builds. */
const KINDS: Record<string, () => string> = {
  'storage-key': () => fakeSecret('azure-storage-key', 11),
  'cosmos-key': () => fakeSecret('azure-cosmos-key', 12),
  'servicebus-key': () => fakeSecret('azure-servicebus-key', 13),
  'entra-secret': () => fakeSecret('entra-client-secret', 14),
  'openai-key': () => fakeSecret('azure-openai-key', 15),
  'sendgrid-key': () => fakeSecret('sendgrid', 16),
  'github-token': () => fakeSecret('github-pat', 17),
  'sas-sig': () => encodeURIComponent(fakeSecret('sas-signature', 18)),
  'sql-password': () => ['Vq9', 'Tz3w', 'Lm7k', 'Rp2x', 'Hd6s'].join(''),
  'redis-key': () => fakeSecret('azure-redis-key', 19),
};

export function buildSamples(target = path.join(ROOT, 'samples')): { files: number } {
  fs.rmSync(target, { recursive: true, force: true });
  let files = 0;
  const walk = (dir: string) => {
    for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
      const src = path.join(dir, ent.name);
      const dst = path.join(target, path.relative(SOURCE, src));
      if (ent.isDirectory()) {
        walk(src);
        continue;
      }
      const text = fs.readFileSync(src, 'utf8').replace(/\{\{fake:([a-z0-9-]+)\}\}/g, (_m, kind: string) => {
        const make = KINDS[kind];
        if (!make) throw new Error(`${path.relative(ROOT, src)}: unknown fake secret kind "${kind}"`);
        return make();
      });
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      fs.writeFileSync(dst, text);
      files++;
    }
  };
  walk(SOURCE);
  return { files };
}

if (require.main === module) {
  const { files } = buildSamples(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`samples: wrote ${files} files`);
}
