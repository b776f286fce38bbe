// Debian's Chromium, headless, driven by playwright-core (no browser download).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const screenshots = path.join(root, 'tests/screenshots');

/** A fresh browser profile; `close()` removes it. */
export async function launch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookwright-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The built playground (dist/) and the npm package (pkg/), served on 127.0.0.1. */
export function serveProject() {
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) throw new Error('dist/ is missing: run `trunk build --release` (cargo xtask test does)');
  return serve({ '/': dist, '/pkg/': path.join(root, 'crates/hookwright-js/pkg'), '/vectors/': path.join(root, 'crates/hookwright/vectors') });
}
