// Typing in a 10 KiB template: every keystroke re-renders and the body follows. (How fast is a
// benchmark's job: `cargo xtask bench` prints the keystroke latency; tests do not time.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();

test('keystrokes at the end of a 10 KiB template reach the body, each one', async () => {
  const { app } = s;
  await app.pickSender('custom');
  await app.setSecret('s');
  const lines = [];
  for (let i = 0; lines.join('\n').length < 10 * 1024; i++) lines.push(`  "field_${i}": {{ greeting | tojson }},`);
  const template = '{\n' + lines.join('\n') + '\n  "last": "';
  await app.setTemplate(template);
  await app.byId('template-input').evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await app.typeInTemplate('abc');
  await app.page.waitForFunction(() => document.querySelector('[data-testid=output-body]').textContent.endsWith('abc'));
  await app.typeInTemplate('"\n}');
  await app.page.waitForFunction(() => document.querySelector('[data-testid=output-body]').textContent.trim().endsWith('"abc"\n}') ||
    document.querySelector('[data-testid=output-body]').textContent.trim().endsWith('"last": "abc"\n}'));
  const body = JSON.parse(await app.body());
  assert.equal(body.last, 'abc');
  assert.ok(Object.keys(body).length > 250, 'every field of the 10 KiB template rendered');
});
