// The usual frame of a spec file: one server and one fresh browser for the file, one page per test
// that must log no errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, serveProject } from './browser.mjs';
import { Playground } from '../pages/playground.mjs';

/** Registers the hooks; `state.app` is the page object of the current test. */
export function usePlayground({ open = true } = {}) {
  const state = {};
  test.before(async () => {
    state.server = await serveProject();
    state.browser = await launch();
  });
  test.after(async () => {
    await state.browser?.close();
    await state.server?.close();
  });
  test.beforeEach(async () => {
    state.app = new Playground(await state.browser.context.newPage(), state.server.url);
    if (open) await state.app.open();
  });
  test.afterEach(async () => {
    assert.deepEqual(state.app.errors, [], 'no errors in the page console');
    await state.app.page.close();
  });
  return state;
}
