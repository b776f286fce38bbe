// `cargo xtask bench` (templates): rendering through the npm package beside handlebars and
// nunjucks on equivalent templates, in one Node process. Prints ops/s and ratios.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import zlib from 'node:zlib';
import Handlebars from 'handlebars';
import nunjucks from 'nunjucks';
import { render, compile, compileGrafana, catalog, grafanaPayload } from 'hookwright/template';
import { ROUNDS, ROUND_MS, measure, measureSync, fmt } from './measure.mjs';

function row(group, name, ops, base) {
  console.log(`${group.padEnd(22)} ${name.padEnd(34)} ${fmt(ops).padStart(8)} ops/s  ${(ops / base).toFixed(3).padStart(7)}×`);
  return ops / base;
}

const senders = Object.fromEntries(catalog().senders.map((s) => [s.id, s]));
const sample = (sender, event) => senders[sender].events.find((e) => e.id === event).sample;
console.log(`Node ${process.version}, ${ROUNDS} rounds of ${ROUND_MS} ms, median ops/s; ratio to handlebars (compiled once)\n`);

// A 2 KiB Dagster+-style body: the same {{token}} text for all three engines.
const dagsterTemplate = fs.readFileSync(new URL('../../hookwright/benches/dagster_2k.tmpl', import.meta.url), 'utf8');
const data = sample('dagster', 'job_failure');
const hb = Handlebars.compile(dagsterTemplate, { noEscape: true });
const nj = nunjucks.compile(dagsterTemplate, new nunjucks.Environment(null, { autoescape: false }));
const hbOps = measureSync(() => hb(data));
row('dagster 2 KiB body', 'handlebars (compiled)', hbOps, hbOps);
row('dagster 2 KiB body', 'nunjucks (compiled)', measureSync(() => nj.render(data)), hbOps);
const request = { sender: 'dagster', event: 'job_failure', template: dagsterTemplate, data, format: 'json' };
const ours = render(request);
if (ours.diagnostics.some((d) => d.severity === 'error')) throw new Error(JSON.stringify(ours.diagnostics));
row('dagster 2 KiB body', 'hookwright render (JSON-safe, checked)', measureSync(() => render(request)), hbOps);
const { data: _data, ...compileRequest } = request;
const compiled = compile(compileRequest);
assert.deepEqual(compiled.render(data), ours);
const dagsterRatio = row('dagster 2 KiB body', 'hookwright compile → render', measureSync(() => compiled.render(data)), hbOps);
console.log('');

// Grafana's default payload for a firing group of two alerts: ours is byte-exact; the handlebars
// and nunjucks templates write the same fields (without Go's JSON escaping) for comparison.
const group = sample('grafana', 'firing');
const hbGrafana = Handlebars.compile(
  '{"receiver":"{{receiver}}","status":"{{status}}","alerts":[{{#each alerts}}{"status":"{{status}}","labels":{ {{#each labels}}"{{@key}}":"{{this}}"{{#unless @last}},{{/unless}}{{/each}} },' +
  '"annotations":{ {{#each annotations}}"{{@key}}":"{{this}}"{{#unless @last}},{{/unless}}{{/each}} },"startsAt":"{{startsAt}}","endsAt":"{{endsAt}}","generatorURL":"{{generatorURL}}",' +
  '"fingerprint":"{{fingerprint}}","silenceURL":"{{silenceURL}}","dashboardURL":"{{dashboardURL}}","panelURL":"{{panelURL}}","valueString":"{{valueString}}"}{{#unless @last}},{{/unless}}{{/each}}],' +
  '"groupLabels":{ {{#each groupLabels}}"{{@key}}":"{{this}}"{{#unless @last}},{{/unless}}{{/each}} },"externalURL":"{{externalURL}}","version":"1","groupKey":"{{groupKey}}","truncatedAlerts":0,"orgId":1,' +
  '"title":"[{{status}}:{{alerts.length}}]","state":"alerting","message":"{{#each alerts}}Labels:{{#each labels}} - {{@key}} = {{this}}{{/each}} Source: {{generatorURL}}{{/each}}"}',
  { noEscape: true });
const njGrafana = nunjucks.compile(
  '{"receiver":"{{receiver}}","status":"{{status}}","alerts":[{% for a in alerts %}{"status":"{{a.status}}","labels":{ {% for k, v in a.labels %}"{{k}}":"{{v}}"{% if not loop.last %},{% endif %}{% endfor %} },' +
  '"annotations":{ {% for k, v in a.annotations %}"{{k}}":"{{v}}"{% if not loop.last %},{% endif %}{% endfor %} },"startsAt":"{{a.startsAt}}","endsAt":"{{a.endsAt}}","generatorURL":"{{a.generatorURL}}",' +
  '"fingerprint":"{{a.fingerprint}}","silenceURL":"{{a.silenceURL}}","dashboardURL":"{{a.dashboardURL}}","panelURL":"{{a.panelURL}}","valueString":"{{a.valueString}}"}{% if not loop.last %},{% endif %}{% endfor %}],' +
  '"groupLabels":{ {% for k, v in groupLabels %}"{{k}}":"{{v}}"{% if not loop.last %},{% endif %}{% endfor %} },"externalURL":"{{externalURL}}","version":"1","groupKey":"{{groupKey}}","truncatedAlerts":0,"orgId":1,' +
  '"title":"[{{status}}:{{alerts | length}}]","state":"alerting","message":"{% for a in alerts %}Labels:{% for k, v in a.labels %} - {{k}} = {{v}}{% endfor %} Source: {{a.generatorURL}}{% endfor %}"}',
  new nunjucks.Environment(null, { autoescape: false }));
const hbGOps = measureSync(() => hbGrafana(group));
row('grafana default payload', 'handlebars (compiled)', hbGOps, hbGOps);
row('grafana default payload', 'nunjucks (compiled)', measureSync(() => njGrafana.render(group)), hbGOps);
const gp = grafanaPayload({ group });
JSON.parse(gp.body);
row('grafana default payload', 'hookwright grafanaPayload (exact)', measureSync(() => grafanaPayload({ group })), hbGOps);
const contactPoint = compileGrafana({});
assert.deepEqual(contactPoint.render(group), gp);
const grafanaRatio = row('grafana default payload', 'hookwright compileGrafana → render', measureSync(() => contactPoint.render(group)), hbGOps);

const wasm = fs.readFileSync(new URL('../pkg/hookwright_template_bg.wasm', import.meta.url));
const gz = zlib.gzipSync(wasm, { level: 9 }).length;
console.log(`\ntemplate wasm: ${wasm.length} bytes, ${gz} bytes gzip (goal ≤ 256000)`);
// `cargo xtask bench` builds xtask/size-floor: minijinja with the core's features, serde_json and
// wasm-bindgen, nothing of ours, optimised like the template module.
const floorPath = process.env.HOOKWRIGHT_SIZE_FLOOR;
if (floorPath) {
  const floor = fs.readFileSync(floorPath);
  const floorGz = zlib.gzipSync(floor, { level: 9 }).length;
  console.log(`  floor, minijinja alone (jinja dialect's features, serde_json, wasm-bindgen): ${floor.length} bytes, ${floorGz} bytes gzip`);
  console.log(`  ours on top (Go engine, Grafana, Dagu, tokens, catalog, diagnostics, JSON-safe output): ${gz - floorGz} bytes gzip`);
  console.log(`  room the goal leaves beside minijinja: ${256000 - floorGz} bytes gzip`);
}
console.log('\ngoals');
for (const [name, r] of [['dagster 2 KiB body', dagsterRatio], ['grafana default payload', grafanaRatio]]) {
  console.log(`  ${name} vs handlebars: ${r.toFixed(3)}× (goal ≥ 0.5×) ${r >= 0.5 ? 'met' : 'NOT met'}`);
}
console.log(`  template wasm gzip: ${gz} bytes (goal ≤ 256000) ${gz <= 256000 ? 'met' : 'NOT met'}`);
