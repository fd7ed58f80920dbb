// Writes docs/rules/README.md from the rule catalog, so the list never drifts from the code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentedRules } from '../src/core/rules';

export function ruleIndex(): string {
  const rows = documentedRules.map((r) => `| [${r.id}](${r.id}.md) | ${r.tag} | ${r.severity}${r.defaultOff ? ' (off by default)' : ''} | ${r.confidence} | ${r.title} |`);
  return [
    '# Rules',
    '',
    'Generated from the rule catalog by `npm run docs`; do not edit by hand.',
    '',
    '| Rule | Tag | Default | Confidence | Title |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (require.main === module) {
  const target = path.resolve(__dirname, '..', 'docs', 'rules', 'README.md');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, ruleIndex());
  console.log(`wrote ${target} (${documentedRules.length} rules)`);
}
