// hookwright/template through npm: the core's render fixtures (one folder per dialect) give the
// same output and diagnostics via the package, and the catalog is there.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { render, compile, compileGrafana, grafanaPayload, catalog } from 'hookwright/template';
import { here } from './support.mjs';

const fixtures = path.resolve(here, '../../hookwright/tests/render_fixtures');

/** The `.out` text of a result, as the Rust fixture test writes it. */
function outText(result) {
  let out = result.output === null ? '--- no output' : result.output;
  if (result.diagnostics.length > 0) {
    out += '\n--- diagnostics';
    for (const d of result.diagnostics) out += `\n${d.line}:${d.column} ${d.severity} ${d.code}: ${d.message}`;
  }
  return out + '\n';
}

/** Every `render_fixtures/<dialect>/<case>.txt`: a JSON header line, the JSON data, `---`, the template. */
function* renderFixtures() {
  for (const dialect of fs.readdirSync(fixtures).sort()) {
    for (const file of fs.readdirSync(path.join(fixtures, dialect)).filter((f) => f.endsWith('.txt')).sort()) {
      const text = fs.readFileSync(path.join(fixtures, dialect, file), 'utf8');
      const nl = text.indexOf('\n');
      const header = JSON.parse(text.slice(0, nl));
      const rest = text.slice(nl + 1);
      const sep = rest.indexOf('\n---\n');
      const data = JSON.parse(rest.slice(0, sep));
      let template = rest.slice(sep + 5);
      if (template.endsWith('\n')) template = template.slice(0, -1);
      yield { dialect, file, header, data, template };
    }
  }
}

test('every render fixture gives the same output and diagnostics through npm', () => {
  let count = 0;
  for (const { dialect, file, header, data, template } of renderFixtures()) {
    const result = render({ template, dialect, data, ...header });
    const expected = fs.readFileSync(path.join(fixtures, dialect, file.replace(/\.txt$/, '.out')), 'utf8');
    assert.equal(outText(result), expected, `${dialect}/${file}`);
    // Spans are byte offsets into the template's UTF-8 and agree with line:column.
    const bytes = Buffer.from(template);
    for (const d of result.diagnostics) {
      assert.ok(d.start <= d.end && d.end <= bytes.length, `${dialect}/${file}: span ${d.start}..${d.end}`);
      const before = bytes.subarray(0, d.start).toString();
      const line = before.split('\n').length;
      const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
      assert.deepEqual([d.line, d.column], [line, column], `${dialect}/${file}: ${d.code}`);
    }
    count++;
  }
  assert.ok(count >= 40, `only ${count} fixtures`);
});

test('a compiled template renders every fixture as render does, again and again', () => {
  let count = 0;
  for (const { dialect, file, header, data, template } of renderFixtures()) {
    const compiled = compile({ template, dialect, ...header });
    const other = { unrelated: [1, { x: 'y' }] };
    for (const d of [data, other, data]) {
      assert.deepEqual(compiled.render(d), render({ template, dialect, data: d, ...header }), `${dialect}/${file}`);
    }
    compiled.free();
    count++;
  }
  assert.ok(count >= 40, `only ${count} fixtures`);
});

test('a compiled template reads only what it needs and still renders as render does', () => {
  class Box { constructor() { this.v = 'boxed'; } }
  const hidden = {};
  Object.defineProperty(hidden, 'a', { value: 'not enumerable', enumerable: false });
  const inherited = Object.create({ a: 'inherited' });
  const hostile = 'quote " backslash \\ newline \n tab \t nul \u0000 bell \u0007 \u2028 emoji 🎉 </script> é';
  const datas = [
    undefined, null, 'text', 7, [], {}, hidden, inherited, Object.create(null),
    { a: hostile, b: { c: hostile } }, { a: 1.5, b: { c: true } }, { a: null, b: null }, { a: 1e21, b: { c: -0 } },
    { a: NaN, b: { c: Infinity } }, { a: undefined, b: { c: () => 1 } }, { a: Symbol('s'), b: [1, 2] },
    { a: [1, { x: 'y' }], b: { c: { d: 1 } } }, { a: new Date(0), b: new Box() }, { a: 'x', b: { c: new Box() } },
    { a: 'ok', b: { toJSON: () => ({ c: 'from toJSON' }) } }, { a: 'x'.repeat(40), unrelated: [1, { deep: [[[]]] }] },
    { a: 'pair 😀 and emoji', b: { c: 'é' } },
  ];
  const templates = [
    ['{"a": "{{a}}", "c": "{{ b.c }}", "again": "{{a}}"}', 'json'],
    ['{"a": {{a}}, "c": {{b.c}}}', 'json'],
    ['a={{a}} c={{b.c}}', 'text'],
    ['{"a": "{{a}}", "e": "{{env.E}}"}', 'json'],
    ['{"a": "{{a}}"', 'json'],
  ];
  for (const [template, format] of templates) {
    for (const limits of [undefined, { output: 30 }]) {
      const opts = { template, dialect: 'tokens', format, env: { E: 'e"' }, limits };
      const compiled = compile(opts);
      for (const data of datas) {
        const what = `${template} ${JSON.stringify(limits)} ${String(data && JSON.stringify(data))}`;
        assert.deepEqual(compiled.render(data), render({ ...opts, data }), what);
      }
      // A value JSON.stringify or the module refuses fails as in render when the template
      // reads it; data it does not read is not sent, so is not refused.
      for (const data of [{ a: 'lone \ud800' }, { b: { c: 'lone \udc00 x' } }, { a: 1n }]) {
        assert.throws(() => render({ ...opts, data }));
        if (data.a !== undefined || template.includes('b.c')) assert.throws(() => compiled.render(data), template);
        else assert.deepEqual(compiled.render(data), render({ ...opts, data: {} }), template);
      }
      compiled.free();
    }
  }
});

test('a compiled Grafana contact point sends what grafanaPayload sends', () => {
  const grafana = catalog().senders.find((s) => s.id === 'grafana');
  const settings = [{}, { title: '{{ .Status }}', maxAlerts: 1 }, { customPayload: '{"s": "{{ .Status }}", "v": "{{ .Vars.x }}"}', vars: { x: '1' } }, { customPayload: '{{ .Nope' }];
  for (const opts of settings) {
    const compiled = compileGrafana(opts);
    for (const event of grafana.events) {
      assert.deepEqual(compiled.render(event.sample), grafanaPayload({ ...opts, group: event.sample }), JSON.stringify(opts));
    }
    compiled.free();
  }
  assert.throws(() => compile({ template: 'x', dialect: 'cobol' }), /unknown dialect/);
  assert.throws(() => compileGrafana({ vars: 3 }), TypeError);
});

test('a compiled Grafana contact point reads odd groups as grafanaPayload reads their JSON', () => {
  const base = catalog().senders.find((s) => s.id === 'grafana').events[0].sample;
  const alert = base.alerts[0];
  class Box { constructor() { this.status = 'firing'; } }
  const groups = [
    {}, { alerts: null }, { alerts: 'no' }, { alerts: [null, 3, 'x', undefined] }, { alerts: {} }, Object.create(null),
    { ...base, receiver: null, status: undefined, groupKey: 'k "q" <&> \u2028 é 😀' },
    { ...base, commonLabels: { n: 1 } }, { ...base, groupLabels: { a: null, b: undefined, c: () => 1 } },
    { ...base, groupLabels: [] }, { ...base, groupLabels: 'x' }, { ...base, groupLabels: new Date(0) },
    { ...base, alerts: [{ ...alert, values: { A: 1e21, B: -0, C: 0.1 + 0.2, D: NaN, E: 2 ** 60 } }] },
    { ...base, alerts: [{ ...alert, values: { A: 'x', B: null } }, { ...alert, values: [] }, { ...alert, values: null }] },
    { ...base, alerts: [{ ...alert, orgId: 7 }, { ...alert, orgId: '7' }, { ...alert, orgId: 1.5 }, { ...alert, orgId: 2 ** 62 }] },
    { ...base, alerts: [{ ...alert, startsAt: '', endsAt: 5 }, { ...alert, imageURL: 'https://i', embeddedImage: 'e' }] },
    { ...base, alerts: [new Box()] }, { ...base, alerts: [{ ...alert, labels: { a: 'x'.repeat(5000) } }] },
    { ...base, status: 'resolved', alerts: base.alerts.map((a) => ({ ...a, status: 'resolved' })) },
    { ...base, extra: 1n, alerts: [{ ...alert, extra: { toJSON: () => 1 } }] },
  ];
  for (const opts of [{}, { maxAlerts: 1 }, { customPayload: '{{ .CommonLabels.n }} {{ range .Alerts }}{{ .Values }}{{ .OrgID }}{{ end }}' }]) {
    const compiled = compileGrafana(opts);
    for (const group of groups) {
      let expected;
      try {
        expected = grafanaPayload({ ...opts, group });
      } catch (e) {
        // JSON refuses the BigInt nobody reads: the compiled contact point does not send it.
        assert.ok(group.extra === 1n, String(e));
        expected = grafanaPayload({ ...opts, group: { ...group, extra: undefined } });
      }
      assert.deepEqual(compiled.render(group), expected, JSON.stringify({ ...group, extra: undefined }));
    }
    assert.throws(() => compiled.render({ ...base, receiver: 'lone \ud800' }), /group\.receiver is not valid Unicode text/);
    assert.throws(() => compiled.render({ ...base, groupLabels: { ['\udc00']: 'x' } }), /the key group\.groupLabels\.\uDC00 is not valid Unicode text/);
    compiled.free();
  }
});

test('JSON-safe rendering: hostile values stay inside their string; values outside strings become JSON', () => {
  const hostile = 'quote " backslash \\ newline \n tab \t nul \u0000 bell \u0007 emoji 🎉 </script>';
  const r = render({
    sender: 'dagster', event: 'job_failure', format: 'json',
    template: '{\n  "text": "{{alert_content}}",\n  "sample": {{is_sample}},\n  "job": "{{ job_name }}"\n}',
    data: { alert_content: hostile, is_sample: true, job_name: 'daily_etl' },
  });
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(JSON.parse(r.output), { text: hostile, sample: true, job: 'daily_etl' });
});

test('diagnostics: did-you-mean, token for another event, broken JSON at the template line', () => {
  const typo = render({ sender: 'dagster', event: 'job_failure', template: '{"a": "{{alert_sumary}}"}', data: {} });
  assert.equal(typo.diagnostics[0].code, 'unknown_token');
  assert.match(typo.diagnostics[0].message, /did you mean "alert_summary"/);
  assert.deepEqual([typo.diagnostics[0].line, typo.diagnostics[0].column], [1, 8]);
  const other = render({ sender: 'dagster', event: 'asset_health', template: '{"a": "{{job_name}}"}', data: {} });
  assert.equal(other.diagnostics[0].code, 'token_not_available');
  const broken = render({ dialect: 'jinja', format: 'json', template: '{\n  "a": 1\n  "b": 2\n}', data: {} });
  const d = broken.diagnostics.find((x) => x.code === 'invalid_json_output');
  assert.ok(d, JSON.stringify(broken.diagnostics));
  assert.ok(d.line === 2 || d.line === 3, `line ${d.line}`);
});

test('limits: runaway templates stop with limit_exceeded', () => {
  for (const template of [
    '{% for i in range(100000000) %}x{% endfor %}',
    '{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}',
    '{% for a in range(1000) %}{% for b in range(1000) %}{{ "xxxxxxxxxxxxxxxxxxxx" }}{% endfor %}{% endfor %}',
  ]) {
    const r = render({ dialect: 'jinja', format: 'text', template, data: {} });
    assert.ok(r.diagnostics.some((d) => d.code === 'limit_exceeded'), template);
  }
  const go = render({ dialect: 'go', format: 'text', template: '{{define "a"}}{{template "a" .}}{{end}}{{template "a" .}}', data: {} });
  assert.ok(go.diagnostics.some((d) => d.code === 'limit_exceeded'));
});

test('catalog: every sender with events, samples and a scheme; require works too', () => {
  const c = catalog();
  const ids = c.senders.map((s) => s.id);
  for (const id of ['dagster', 'grafana', 'dbt', 'hertzbeat', 'dagu', 'github', 'stripe', 'standard', 'slack', 'shopify']) assert.ok(ids.includes(id), id);
  for (const s of c.senders) assert.ok(Array.isArray(s.events) && s.events.length > 0, s.id);
  const cjs = createRequire(import.meta.url)('hookwright/template');
  assert.equal(cjs.render({ dialect: 'jinja', format: 'text', template: 'hi {{ name }}', data: { name: 'you' } }).output, 'hi you');
  assert.throws(() => render({ template: 'x', dialect: 'cobol' }), /unknown dialect/);
  assert.throws(() => render({}), TypeError);
});

test('a template that builds huge strings stops at the time budget instead of hanging', () => {
  const template = '{% set s = "x" * 500000 %}{% for i in range(20000) %}{% set y = s ~ s %}{% endfor %}done';
  const started = Date.now();
  const r = render({ dialect: 'jinja', format: 'text', template, data: {} });
  const took = Date.now() - started;
  assert.equal(r.output, null);
  assert.ok(r.diagnostics.some((d) => d.code === 'limit_exceeded' && /time budget/.test(d.message)), JSON.stringify(r.diagnostics));
  assert.ok(took < 5000, `stopped after ${took} ms`);
});

test('a lone surrogate in the data is named by its path, not by a column of the JSON sent to wasm', () => {
  const template = '{"text": "{{alert_summary}}", "n": "{{run_id}}"}';
  const base = { template, dialect: 'tokens', format: 'json', sender: 'dagster', event: 'job_failure' };
  const want = /data\.alert_summary is not valid Unicode text: a lone surrogate U\+D83D at index 2/;
  const data = { alert_summary: 'ok\ud83d', run_id: 'r1' };
  assert.throws(() => render({ ...base, data }), want);
  assert.throws(() => compile(base).render(data), want);
  assert.throws(() => render({ ...base, data: { alert_summary: 'x', run_id: 'r', list: ['fine', 'cut \udc00'] } }),
    /data\.list\[1\] is not valid Unicode text: a lone surrogate U\+DC00 at index 4/);
  const group = { receiver: 'r', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Disk\ud800' } }] };
  assert.throws(() => grafanaPayload({ group }), /group\.alerts\[0\]\.labels\.alertname is not valid Unicode text/);
  assert.throws(() => compileGrafana({}).render(group), /group\.alerts\[0\]\.labels\.alertname is not valid Unicode text/);
});
