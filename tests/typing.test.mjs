// Typing stays fast in a 10 KiB template: every keystroke re-renders, re-signs and re-highlights.
import test from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();

test('30 keystrokes at the end of a 10 KiB template stay under 100 ms each', async () => {
  const { app } = s;
  await app.pickSender('custom');
  await app.setSecret('s');
  const lines = [];
  for (let i = 0; lines.join('\n').length < 10 * 1024; i++) lines.push(`  "field_${i}": {{ greeting | tojson }},`);
  const template = '{\n' + lines.join('\n') + '\n  "last": "';
  await app.setTemplate(template);
  await app.byId('template-input').evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  const started = Date.now();
  await app.typeInTemplate('abcdefghijklmnopqrstuvwxyz1234');
  await app.page.waitForFunction(() => document.querySelector('[data-testid=output-body]').textContent.endsWith('1234'));
  const each = (Date.now() - started) / 30;
  assert.ok(each < 100, `${each.toFixed(1)} ms per keystroke`);
});
