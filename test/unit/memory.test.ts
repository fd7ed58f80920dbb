import * as assert from 'node:assert/strict';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { scanText } from '../../src/core/engine';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
}

describe('memory', function () {
  this.timeout(120_000);
  it('keeps no part of a checked document alive once its result is dropped (caches hold copies of keys)', () => {
    const before = heapMiB();
    // 40 MB of text in one string: settings whose keys are long enough to be slices of it rather than copies.
    const build = () => {
      const parts: string[] = [];
      for (let i = 0; i < 400_000; i++) parts.push(`"ApplicationSetting_${i % 3000}_WithALongName": "value ${'v'.repeat(40)}"`);
      return `{ "Values": { ${parts.join(', ')} } }`;
    };
    let text: string | undefined = build();
    assert.ok(text.length > 30 * 1024 * 1024);
    scanText(text, 'appsettings.json');
    text = undefined;
    const after = heapMiB();
    assert.ok(after - before < 15, `the heap grew by ${(after - before).toFixed(1)} MiB after the document was dropped`);
  });
});
