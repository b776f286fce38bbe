// A template syntax error is listed with its line:column, underlined in the editor, and a click
// on it puts the cursor there.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { screenshots } from './support/browser.mjs';
import { usePlayground } from './support/spec.mjs';

const s = usePlayground();

test('a syntax error shows at the right line', async () => {
  const { app } = s;
  await app.pickSender('grafana');
  await app.setTemplate('{\n  "status": "{{ .Status }}",\n  "broken": "{{ .Status ",\n  "ok": true\n}');
  const list = await app.diagnostics();
  assert.ok(list.length >= 1, 'a diagnostic is listed');
  assert.match(list[0], /^3:\d+ error syntax_error/, list[0]);
  assert.equal(await app.page.locator('.editor .h-err').count() > 0, true, 'the span is underlined');
  await app.byId('diagnostic').first().click();
  const line = await app.byId('template-input').evaluate((el) => el.value.slice(0, el.selectionStart).split('\n').length);
  assert.equal(line, 3, 'the click puts the cursor on line 3');
  await app.shoot(path.join(screenshots, 'diagnostics-desktop.png'));
});
