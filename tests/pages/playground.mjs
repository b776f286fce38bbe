// Page object of the playground: what a user does, in the words of the page.
export class Playground {
  constructor(page, base) {
    this.page = page;
    this.base = base;
    this.errors = [];
    this.panel = 'sign-panel';
    page.on('pageerror', (e) => this.errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') this.errors.push(m.text()); });
  }
  byId(id) { return this.page.getByTestId(id); }
  /** An element of the visible panel (both panels have a scheme picker). */
  inPanel(id) { return this.page.getByTestId(this.panel).getByTestId(id); }
  /** Opens the playground; `fresh` forgets what an earlier visit saved in this browser. */
  async open({ fresh = true, url = this.base + '/' } = {}) {
    await this.page.goto(url);
    if (fresh) {
      await this.page.evaluate(() => localStorage.clear());
      await this.page.reload();
    }
    await this.ready();
  }
  async ready() { await this.byId('sender-select').waitFor(); }
  async reload() { await this.page.reload(); await this.ready(); }
  // Designer
  async pickSender(id) { await this.byId('sender-select').selectOption(id); }
  async pickEvent(id) { await this.byId('event-select').selectOption(id); }
  async setTemplate(text) { await this.byId('template-input').fill(text); }
  async template() { return this.byId('template-input').inputValue(); }
  async typeInTemplate(text) { await this.byId('template-input').pressSequentially(text); }
  async setData(text) { await this.byId('data-input').fill(text); }
  async data() { return this.byId('data-input').inputValue(); }
  async diagnostics() { return this.byId('diagnostic').allTextContents(); }
  async pickScheme(id) { await this.inPanel('scheme-select').selectOption(id); }
  async setSecret(text) { await this.inPanel('secret-input').fill(text); }
  async secret() { return this.inPanel('secret-input').inputValue(); }
  async setTimestamp(text) { await this.byId('timestamp-input').fill(text); }
  async setId(text) { await this.byId('id-input').fill(text); }
  async setUrl(text) { await this.byId('url-input').fill(text); }
  async rememberSecrets() { await this.byId('remember-secrets').check(); }
  async body() { return this.byId('output-body').textContent(); }
  async headers() { return (await this.byId('output-headers').textContent()).trim(); }
  /** The headers as an object of name → value. */
  async headerMap() {
    return Object.fromEntries((await this.headers()).split('\n').filter(Boolean).map((l) => {
      const i = l.indexOf(': ');
      return [l.slice(0, i), l.slice(i + 2)];
    }));
  }
  async curl() { return (await this.byId('output-curl').textContent()).trim(); }
  async error() { return (await this.byId('error').first().textContent()).trim(); }
  async shareLink() { return this.byId('share-link').inputValue(); }
  // Verify tab
  async openVerify() { await this.byId('verify-tab').click(); this.panel = 'verify-panel'; }
  async openSign() { await this.byId('sign-tab').click(); this.panel = 'sign-panel'; }
  async useSignedRequest() { await this.byId('use-signed').click(); }
  async setReceived({ headers, body, secrets, at }) {
    if (secrets !== undefined) await this.byId('secrets-input').fill(secrets);
    if (body !== undefined) await this.byId('verify-body').fill(body);
    if (at !== undefined) await this.byId('verify-at').fill(at);
    if (headers !== undefined) await this.byId('verify-headers').fill(headers);
  }
  async verdict() { return (await this.byId('verify-result').textContent()).trim(); }
  async expectedSignature() { return (await this.byId('expected-signature').first().textContent()).trim(); }
  // Screens
  async phone() { await this.page.setViewportSize({ width: 375, height: 800 }); }
  async desktop() { await this.page.setViewportSize({ width: 1280, height: 900 }); }
  /** How many pixels the page is wider than the screen. */
  async overflow() { return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth); }
  /** A screenshot: the first screen at desktop width (the outputs stick beside the inputs), the
   *  whole page at phone width. */
  /** A screenshot of the first screen (desktop) or the whole page (phone), from the top. */
  async shoot(name) {
    const { width } = this.page.viewportSize();
    await this.page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    await this.page.screenshot({ path: name, fullPage: width < 820 });
  }
}
