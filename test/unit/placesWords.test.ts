import * as assert from 'node:assert/strict';
import { AnchorMatcher } from '../../src/core/rules/secrets/anchors';
import { Places } from '../../src/core/rules/appservice/context';

describe('settings checker word cache and anchor scan ranges', () => {
  it('gives each key its own facts when keys share a cache slot (same length, first, middle and last characters)', () => {
    const places = new Places();
    // Same length, first, middle and last character: one slot of the recent-words cache.
    for (let round = 0; round < 2; round++) {
      assert.equal(places.word('SiteConfig').lower, 'siteconfig');
      assert.equal(places.word('SxxxxoxxXg').lower, 'sxxxxoxxxg');
      assert.equal(places.word('siteConfig').lower, 'siteconfig');
      assert.equal(places.word('siteConfig').bits !== 0, true);
      assert.equal(places.word('SxxxxoxxXg').bits, 0);
    }
  });

  it('finds anchors in the whole text and only inside a given range', () => {
    const m = new AnchorMatcher(['key', 'pwd']);
    const text = 'a key here; PWD there; key again';
    const ends = (from?: number, to?: number): number[] => {
      const out: number[] = [];
      m.scan(text, (end) => (out.push(end), end), from, to);
      return out;
    };
    assert.deepEqual(ends(), [5, 15, 26]);
    assert.deepEqual(ends(6), [15, 26]);
    assert.deepEqual(ends(0, 20), [5, 15]);
    assert.deepEqual(ends(12, 14), []);
  });
});
