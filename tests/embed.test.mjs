// `?embed` gives a compact layout for iframes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground({ open: false });

test('?embed gives the compact layout', async () => {
  const { app } = s;
  await app.open({ url: s.server.url + '/?embed' });
  assert.equal(await app.page.locator('.app.embed').count(), 1);
  assert.equal(await app.page.locator('header.top .title').isVisible(), false);
  await app.byId('output-body').waitFor();
});
