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
  async open() {
    await this.page.goto(this.base + '/');
    await this.inPanel('scheme-select').waitFor();
  }
  async pickScheme(id) { await this.inPanel('scheme-select').selectOption(id); }
  async setSecret(text) { await this.inPanel('secret-input').fill(text); }
  async setTimestamp(text) { await this.byId('timestamp-input').fill(text); }
  async setId(text) { await this.byId('id-input').fill(text); }
  async setBody(text) { await this.byId('body-input').fill(text); }
  async headers() { return (await this.byId('output-headers').textContent()).trim(); }
  async curl() { return (await this.byId('output-curl').textContent()).trim(); }
  async error() { return (await this.byId('error').first().textContent()).trim(); }
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
  async shoot(name) { await this.page.screenshot({ path: name, fullPage: true }); }
}
