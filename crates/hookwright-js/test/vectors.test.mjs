// The shared vectors (crates/hookwright/vectors), through the package as users import it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from 'hookwright';
import { vectorCases, caseBody, caseOptions } from './support.mjs';

const cjs = createRequire(import.meta.url)('hookwright');
const cases = vectorCases();

for (const [label, api] of [['import', esm], ['require', cjs]]) {
  test(`${label}: every vector signs to the listed headers and verifies, or fails with its code`, () => {
    assert.ok(cases.length >= 40, `only ${cases.length} vectors`);
    for (const c of cases) {
      const body = caseBody(c);
      const headers = Object.fromEntries(c.headers);
      const now = c.now ?? c.timestamp ?? 0;
      if (c.error === undefined && c.ok === undefined) {
        const signed = api.sign({ ...caseOptions(c), body, timestamp: c.timestamp ?? 1, id: c.id, profile: c.profile });
        assert.deepEqual(Object.entries(signed), c.headers, c.at);
      }
      if (c.error !== undefined) {
        assert.throws(() => api.verify({ ...caseOptions(c), body, headers, now, toleranceSeconds: c.tolerance }),
          (e) => e instanceof api.WebhookVerificationError && e.code === c.error, `${c.at}: expected ${c.error}`);
      } else {
        const ok = api.verify({ ...caseOptions(c), body, headers, now, toleranceSeconds: c.tolerance });
        assert.equal(ok.scheme, c.scheme, c.at);
        if (c.secret_index !== undefined) assert.equal(ok.secretIndex, c.secret_index, c.at);
        if (c.id !== undefined) assert.equal(ok.id, c.id, c.at);
      }
    }
  });
}

test('the large-body path (node:crypto) gives the same verdicts as the wasm path', () => {
  const big = 'x'.repeat(5000);
  for (const c of cases.filter((c) => c.error === undefined && c.ok === undefined)) {
    const body = c.body_hex ? Buffer.concat([Buffer.from(c.body_hex, 'hex'), Buffer.from(big)]) : c.body + big;
    const headers = esm.sign({ ...caseOptions(c), body, timestamp: c.timestamp ?? 1, id: c.id, profile: c.profile });
    const now = c.timestamp ?? 1;
    assert.equal(esm.verify({ ...caseOptions(c), body, headers, now }).scheme, c.scheme, c.at);
    const tampered = typeof body === 'string' ? body.slice(0, -1) + 'y' : Buffer.concat([body.subarray(0, -1), Buffer.from('y')]);
    assert.throws(() => esm.verify({ ...caseOptions(c), body: tampered, headers, now }), { code: 'signature_mismatch' }, c.at);
  }
});
