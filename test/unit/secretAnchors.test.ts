import * as assert from 'node:assert/strict';
import { detectFileKind } from '../../src/core/fileKind';
import { ANCHORS, type ExampleSecret, LINE_DETECTORS, SECRET_RULE_EXAMPLES } from '../../src/core/rules/secrets';
import type { Hit, LineDetectorSpec } from '../../src/core/rules/secrets/types';
import { fakeSecret } from '../support/fakeSecrets';

// Each secret line detector runs only on lines that hold one of its own anchors (the registry's prefilter). These
// tests keep the anchors in step with the detectors: run every detector on every line of every rule's examples,
// with no prefilter, and require that each line it fires on holds one of its anchors. Messages name the detector,
// the example and the line number, never the line (it holds a fake secret).

function buildSecret(s: ExampleSecret): string {
  if ('pieces' in s) return s.pieces.join('');
  const v = fakeSecret(s.fake, s.seed ?? 1);
  return s.uriEncode ? encodeURIComponent(v) : v;
}

interface ExampleLine {
  where: string;
  file: string;
  line: string;
}

/** Every line of every example (positives and negatives), secrets filled in. */
function exampleLines(): ExampleLine[] {
  const out: ExampleLine[] = [];
  for (const [ruleId, examples] of Object.entries(SECRET_RULE_EXAMPLES)) {
    for (const ex of [...examples.positives, ...examples.negatives]) {
      const text = ex.secret ? ex.text.split('{secret}').join(buildSecret(ex.secret)) : ex.text;
      text.split('\n').forEach((line, i) => out.push({ where: `${ruleId} "${ex.name}" line ${i + 1}`, file: ex.file, line }));
    }
  }
  return out;
}

/** Where a detector fired on a line that holds none of the anchors it may run on. */
function anchorMisses(detectors: readonly LineDetectorSpec[], lines: readonly ExampleLine[], allAnchors: readonly string[]): string[] {
  const misses: string[] = [];
  for (const d of detectors) {
    const needed = d.everyCandidate ? allAnchors : d.anchors;
    for (const { where, file, line } of lines) {
      const hits: Hit[] = [];
      d.detect(line, 0, { fileKind: detectFileKind(file, line), path: file.toLowerCase(), text: line }, hits);
      if (hits.length === 0) continue;
      const lower = line.toLowerCase();
      if (!needed.some((a) => lower.includes(a))) misses.push(`${d.name} fired on ${where} (${hits.map((h) => h.ruleId).join(', ')}) without one of its anchors`);
    }
  }
  return misses;
}

describe('secret detectors and their prefilter anchors', () => {
  const lines = exampleLines();

  it('anchors are lower case (the prefilter matches case-insensitively) and every detector has some, or runs on every candidate line', () => {
    for (const d of LINE_DETECTORS) {
      assert.ok(d.anchors.length > 0 || d.everyCandidate, `${d.name}: no anchors`);
      for (const a of d.anchors) assert.equal(a, a.toLowerCase(), `${d.name}: anchor not lower case`);
    }
  });

  it('no detector fires on an example line that its anchors would have skipped', () => {
    assert.deepEqual(anchorMisses(LINE_DETECTORS, lines, ANCHORS), []);
  });

  it('every positive example holds an anchor of a detector that fires on it', () => {
    const missing: string[] = [];
    for (const [ruleId, examples] of Object.entries(SECRET_RULE_EXAMPLES)) {
      for (const ex of examples.positives) {
        if (!ex.secret) continue;
        const text = ex.text.split('{secret}').join(buildSecret(ex.secret)).toLowerCase();
        // PEM blocks are found by a whole-text detector, not by line anchors.
        if (ruleId === 'SECRET-PRIVATE-KEY') continue;
        if (!ANCHORS.some((a) => text.includes(a))) missing.push(`${ruleId} "${ex.name}"`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('the check fails when a detector loses the anchor it needs', () => {
    // Without this, an anchor check that never looks could pass: the JWT detector with a wrong anchor must be caught.
    const jwt = LINE_DETECTORS.find((d) => d.name === 'JSON Web Tokens');
    assert.ok(jwt, 'the JWT detector is registered');
    const broken = { ...jwt, anchors: ['no-such-anchor'] };
    const misses = anchorMisses([broken], lines, ANCHORS);
    assert.ok(misses.length > 0, 'a JWT example line should have been reported');
    assert.ok(misses.every((m) => !m.includes('eyJ')), 'messages never hold the token');
  });
});
