// A share link opened in a fresh browser restores the design, without secrets.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './support/browser.mjs';
import { Playground } from './pages/playground.mjs';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();

test('a share link restores the state without secrets', async () => {
  const { app } = s;
  await app.pickSender('slack');
  await app.setTemplate('text={{ text | urlencode }}&user={{ user_name }}');
  await app.rememberSecrets();
  await app.setSecret('slack-signing-secret');
  await app.setTimestamp('1700000000');
  await app.byId('env-input').fill('API_TOKEN=env-secret-value');
  const link = await app.shareLink();
  assert.match(link, /#s=[A-Za-z0-9_-]+$/);
  // The fragment is base64url JSON: decode it and look for the secrets themselves.
  const state = Buffer.from(link.split('#s=')[1], 'base64url').toString();
  assert.ok(state.includes('urlencode'), 'the fragment decodes to the state');
  for (const secret of ['slack-signing-secret', 'env-secret-value']) assert.ok(!state.includes(secret), `${secret} travels in the link`);
  const body = await app.body();

  const other = await launch();
  try {
    const fresh = new Playground(await other.context.newPage(), s.server.url);
    await fresh.open({ fresh: false, url: link });
    assert.equal(await fresh.byId('sender-select').inputValue(), 'slack');
    assert.equal(await fresh.template(), 'text={{ text | urlencode }}&user={{ user_name }}');
    assert.equal(await fresh.body(), body);
    assert.equal(await fresh.byId('timestamp-input').inputValue(), '1700000000');
    assert.equal(await fresh.secret(), '', 'no secret travels in a share link');
    assert.equal(await fresh.byId('env-input').inputValue(), '', 'env values (API keys) do not travel either');
    assert.deepEqual(fresh.errors, []);
  } finally {
    await other.close();
  }
});
