// Export the configuration as JSON and import it into a fresh page: the design comes back.
import test from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();

test('export, then import into a fresh page, restores the design', async () => {
  const { app } = s;
  await app.pickSender('stripe');
  await app.setTemplate('{"id": {{ id | tojson }}}');
  await app.setUrl('https://example.com/stripe');
  const href = await app.byId('export-link').getAttribute('href');
  const exported = JSON.parse(decodeURIComponent(href.slice(href.indexOf(',') + 1)));
  assert.equal(exported.sender, 'stripe');
  assert.equal(exported.secret, undefined, 'no secrets unless "remember secrets" is ticked');

  await app.open(); // forgets everything
  assert.notEqual(await app.byId('sender-select').inputValue(), 'stripe');
  await app.page.getByText('Export / import').click();
  await app.byId('import-input').fill(JSON.stringify(exported));
  await app.byId('import-button').click();
  assert.equal(await app.byId('sender-select').inputValue(), 'stripe');
  assert.equal(await app.template(), '{"id": {{ id | tojson }}}');
  assert.equal(await app.byId('url-input').inputValue(), 'https://example.com/stripe');
});
