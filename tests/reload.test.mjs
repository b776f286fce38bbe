// A reload keeps the work; secrets only when "remember secrets" is ticked.
import test from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();

test('a reload keeps the work', async () => {
  const { app } = s;
  await app.pickSender('dbt');
  await app.pickEvent('job.run.completed');
  await app.setTemplate('{"job": {{ data.job_name | tojson }}}');
  await app.setSecret('dbt-secret');
  await app.setUrl('https://example.com/dbt');
  await app.reload();
  assert.equal(await app.byId('sender-select').inputValue(), 'dbt');
  assert.equal(await app.byId('event-select').inputValue(), 'job.run.completed');
  assert.equal(await app.template(), '{"job": {{ data.job_name | tojson }}}');
  assert.equal(await app.byId('url-input').inputValue(), 'https://example.com/dbt');
  assert.equal(await app.secret(), '', 'secrets are not kept unless asked');
  await app.rememberSecrets();
  await app.setSecret('dbt-secret');
  await app.reload();
  assert.equal(await app.secret(), 'dbt-secret');
  assert.match(await app.body(), /^\{"job": "/);
});
