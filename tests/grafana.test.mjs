// Grafana: pick the sender, edit the custom payload; the body is the rendered template and the
// signature is what the npm package's `sign` computes for that body.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { usePlayground } from './support/spec.mjs';

const { sign } = createRequire(import.meta.url)('../crates/hookwright-js/pkg/node.cjs');
const s = usePlayground();

test('Grafana: edited template, body and signature equal the npm package', async () => {
  const { app } = s;
  await app.pickSender('grafana');
  await app.pickEvent('firing');
  assert.match(await app.template(), /\.CommonLabels\.alertname/, 'the default template loads');
  await app.setTemplate('{"alert": "{{ .CommonLabels.alertname }}", "status": "{{ .Status }}", "env": "{{ .Vars.environment }}", "n": {{ len .Alerts }}}');
  await app.setSecret('grafana-secret');
  const body = await app.body();
  assert.equal(body, '{"alert": "HighCPU", "status": "firing", "env": "production", "n": 2}');
  const expected = sign({ scheme: 'grafana', secret: 'grafana-secret', body });
  const headers = await app.headerMap();
  assert.equal(headers['X-Grafana-Alerting-Signature'], expected['X-Grafana-Alerting-Signature']);
  assert.equal(headers['Content-Type'], 'application/json');
  // Typing changes the body and the signature at once.
  await app.typeInTemplate(' ');
  const body2 = await app.body();
  assert.equal(body2, body + ' ');
  assert.equal((await app.headerMap())['X-Grafana-Alerting-Signature'], sign({ scheme: 'grafana', secret: 'grafana-secret', body: body2 })['X-Grafana-Alerting-Signature']);
});
