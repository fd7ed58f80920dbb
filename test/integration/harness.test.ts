import * as assert from 'assert';

// FORCE_FAIL=1 (read when the tests are bundled) adds a failing test, to prove a red run is reported red.
describe('harness', () => {
  if (__ITEST_FORCE_FAIL__) {
    it('deliberately fails (FORCE_FAIL=1)', () => {
      assert.strictEqual(1 + 1, 3, 'FORCE_FAIL=1 is set');
    });
  }
});
