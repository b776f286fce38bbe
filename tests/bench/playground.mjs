// `cargo xtask bench` (playground): measured in headless Chromium against the release build on
// 127.0.0.1. Prints figures and goals; asserts nothing.
//   - keystroke to updated output, p50/p95, typing at the end of a 10 KiB template;
//   - first load to interactive (the body output filled), median of fresh loads;
//   - total transfer, raw and gzip.
import zlib from 'node:zlib';
import { launch, serveProject } from '../support/browser.mjs';

const quick = process.argv.includes('--quick');
const KEYS = quick ? 40 : 120;
const LOADS = quick ? 3 : 7;

// Records, in the page, when each keydown in the template reached the DOM of the body output.
const probe = () => {
  window.__latencies = [];
  window.__firstOutput = null;
  let pending = null;
  const observe = () => {
    const out = document.querySelector('[data-testid=output-body]');
    if (!out) return requestAnimationFrame(observe);
    new MutationObserver(() => {
      if (window.__firstOutput === null && out.textContent.length > 0) window.__firstOutput = performance.now();
      if (pending !== null) {
        window.__latencies.push(performance.now() - pending);
        pending = null;
      }
    }).observe(out, { childList: true, characterData: true, subtree: true });
    if (out.textContent.length > 0 && window.__firstOutput === null) window.__firstOutput = performance.now();
  };
  document.addEventListener('keydown', (e) => {
    if (e.target && e.target.matches && e.target.matches('[data-testid=template-input]')) pending = e.timeStamp;
  }, true);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', observe);
  else observe();
};

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const server = await serveProject();
const browser = await launch();
try {
  // First load and transfer.
  const loads = [];
  let raw = 0;
  let gzip = 0;
  for (let i = 0; i < LOADS; i++) {
    const page = await browser.context.newPage();
    await page.addInitScript(probe);
    const bodies = [];
    page.on('response', (r) => bodies.push(r.body().catch(() => Buffer.alloc(0))));
    await page.goto(server.url + '/?bench=' + i);
    await page.waitForFunction(() => window.__firstOutput !== null, null, { timeout: 30000 });
    loads.push(await page.evaluate(() => window.__firstOutput));
    if (i === 0) {
      for (const b of await Promise.all(bodies)) {
        raw += b.length;
        gzip += zlib.gzipSync(b, { level: 6 }).length;
      }
    }
    await page.close();
  }

  // Keystrokes in a 10 KiB template.
  const page = await browser.context.newPage();
  await page.addInitScript(probe);
  await page.goto(server.url + '/');
  await page.waitForFunction(() => window.__firstOutput !== null);
  await page.getByTestId('sender-select').selectOption('custom');
  const lines = [];
  for (let i = 0; lines.join('\n').length < 10 * 1024; i++) lines.push(`  "field_${i}": {{ greeting | tojson }},`);
  const input = page.getByTestId('template-input');
  await input.fill('{\n' + lines.join('\n') + '\n  "last": "');
  await input.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.waitForTimeout(200);
  await page.evaluate(() => { window.__latencies = []; });
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press(letters[i % letters.length]);
    await page.waitForFunction((n) => window.__latencies.length >= n, i + 1, { timeout: 5000 }).catch(() => {});
  }
  const lat = await page.evaluate(() => window.__latencies);
  const templateBytes = (await input.inputValue()).length;

  const ms = (x) => x.toFixed(1).padStart(7) + ' ms';
  console.log(`Chromium (Debian, headless), release build served from 127.0.0.1\n`);
  console.log(`keystroke → output  ${KEYS} keys in a ${(templateBytes / 1024).toFixed(1)} KiB template: p50 ${ms(pct(lat, 50))}, p95 ${ms(pct(lat, 95))} (goal p95 ≤ 16 ms) ${pct(lat, 95) <= 16 ? 'met' : 'NOT met'}`);
  console.log(`first load → output ${LOADS} fresh loads: median ${ms(pct(loads, 50))} (goal ≤ 1000 ms) ${pct(loads, 50) <= 1000 ? 'met' : 'NOT met'}`);
  console.log(`transfer            ${(raw / 1024).toFixed(0)} KiB raw, ${(gzip / 1024).toFixed(0)} KiB gzip (goal ≤ 600 KB gzip) ${gzip <= 600 * 1000 ? 'met' : 'NOT met'}`);
} finally {
  await browser.close();
  await server.close();
}
