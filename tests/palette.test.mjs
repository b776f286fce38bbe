// The token palette inserts at the cursor; tokens other events offer are disabled with the
// reason; typing `{{` suggests tokens and Tab takes the first.
import test from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();

test('palette and suggestions for a Dagster+ job event', async () => {
  const { app } = s;
  await app.pickSender('dagster');
  await app.pickEvent('job_success');
  await app.setTemplate('{"job": ""}');
  await app.byId('template-input').evaluate((el) => el.setSelectionRange(9, 9));
  await app.page.getByTestId('token').filter({ hasText: /^job_name$/ }).first().click();
  assert.equal(await app.template(), '{"job": "{{job_name}}"}');
  assert.match(await app.body(), /^\{"job": "daily_etl"\}$/);

  const asset = app.page.getByTestId('token').filter({ hasText: /^asset_key$/ }).first();
  assert.equal(await asset.isDisabled(), true);
  assert.match(await asset.getAttribute('title'), /^Not on this event; only on asset_/);

  await app.setTemplate('');
  await app.typeInTemplate('{{alert_s');
  await app.byId('suggestions').waitFor();
  assert.match(await app.byId('suggestions').textContent(), /alert_summary/);
  await app.byId('template-input').press('Tab');
  assert.equal(await app.template(), '{{alert_summary}}');
});
