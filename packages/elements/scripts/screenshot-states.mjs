// The states that scripts/screenshots.mjs photographs in German at 320 px: for each, the element,
// the protocol answers that lead there, and what the user does on the way (run in the page, with
// the helpers `until`, `enter` and `click` of statePage() and `el`, the element).

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const CODES = ['k7m2q-9xw4t', 'a1b2c-3d4e5', 'f6g7h-8j9k0', 'm1n2p-3q4r5', 's6t7v-8w9x0'].flatMap((code) => [
  code,
  code.split('').reverse().join(''),
]);

/** The answer to a setup call (no server QR image, so the page draws it), expiring at `expiresAt`. */
export const setupBody = (expiresAt) => ({
  secret: SECRET,
  otpauthUrl: `otpauth://totp/Example:alice%40example.com?secret=${SECRET}&issuer=Example`,
  qrCode: null,
  digits: 6,
  period: 30,
  algorithm: 'SHA1',
  issuer: 'Example',
  accountName: 'alice@example.com',
  enrollmentToken: 'token',
  expiresAt,
});

const statusBody = ({ active = false, reauth = false, unused = 10 } = {}) => ({
  totp: {
    active,
    createdAt: active ? '2026-01-02T03:04:05Z' : null,
    lastUsedAt: active ? '2026-11-30T08:15:00Z' : null,
  },
  recoveryCodes: active ? { total: 10, unused } : null,
  config: { digits: 6, period: 30 },
  reauthenticationRequired: reauth,
});

const error = (status, code, extra = {}) => [status, { error: { code, message: code, ...extra } }];
const locked = error(429, 'rate_limited', { retryAfter: 272 });

/** The answers every state starts from; a state overrides some. */
const BASE = {
  'GET /mfa/status': [200, statusBody()],
  'POST /mfa/totp/setup': [200, setupBody('2099-01-01T00:00:00Z')],
  'POST /mfa/totp/activate': [200, { recoveryCodes: CODES }],
  'POST /mfa/totp/deactivate': [200, {}],
  'POST /mfa/verify': [200, { method: 'totp', recoveryCodesLeft: 2 }],
  'POST /mfa/recovery-codes/regenerate': [200, { recoveryCodes: CODES }],
};

const active = { 'GET /mfa/status': [200, statusBody({ active: true, unused: 2 })] };

/** `name` is `<element>-<state>[-<detail>]`, the image's file name. */
export const STATES = [
  { name: 'activate-loading', tag: 'totp-activate', routes: { 'GET /mfa/status': null }, drive: `until('loading')` },
  {
    name: 'activate-setup',
    tag: 'totp-activate',
    drive: `(async () => {
      await until('setup', 'img[part~="qr"]');
      el.shadowRoot.querySelector('[part~="manual"]').open = true;
    })()`,
  },
  {
    name: 'activate-setup-rate-limited',
    tag: 'totp-activate',
    routes: { 'POST /mfa/totp/activate': locked },
    drive: `(async () => { await until('setup', 'img[part~="qr"]'); enter('123456'); await until('setup', '[part~="countdown"]'); })()`,
  },
  {
    name: 'activate-recovery-codes',
    tag: 'totp-activate',
    drive: `(async () => { await until('setup'); enter('123456'); await until('recovery-codes'); })()`,
  },
  {
    name: 'activate-activated',
    tag: 'totp-activate',
    drive: `(async () => {
      await until('setup'); enter('123456'); await until('recovery-codes');
      click('[part~="saved-checkbox"]'); await el.updateComplete; click('[part~="done-button"]');
      await until('activated');
    })()`,
  },
  { name: 'activate-active', tag: 'totp-activate', routes: active, drive: `until('active')` },
  {
    name: 'activate-reauthenticate',
    tag: 'totp-activate',
    routes: { 'GET /mfa/status': [200, statusBody({ reauth: true })] },
    drive: `until('reauthenticate')`,
  },
  {
    name: 'activate-error',
    tag: 'totp-activate',
    routes: { 'GET /mfa/status': error(503, 'unavailable') },
    drive: `until('error')`,
  },
  {
    name: 'deactivate-confirm',
    tag: 'totp-deactivate',
    routes: { ...active, 'POST /mfa/totp/deactivate': error(400, 'invalid_code') },
    drive: `(async () => { await until('confirm'); enter('123456'); await until('confirm', '[part~="input"][aria-invalid="true"]'); })()`,
  },
  {
    name: 'deactivate-deactivated',
    tag: 'totp-deactivate',
    routes: active,
    drive: `(async () => { await until('confirm'); enter('123456'); await until('deactivated'); })()`,
  },
  { name: 'deactivate-inactive', tag: 'totp-deactivate', drive: `until('inactive')` },
  {
    name: 'deactivate-forbidden',
    tag: 'totp-deactivate',
    routes: { ...active, 'POST /mfa/totp/deactivate': error(403, 'deactivation_forbidden') },
    drive: `(async () => { await until('confirm'); enter('123456'); await until('forbidden'); })()`,
  },
  {
    name: 'deactivate-loading',
    tag: 'totp-deactivate',
    routes: { 'GET /mfa/status': null },
    drive: `until('loading')`,
  },
  {
    name: 'deactivate-reauthenticate',
    tag: 'totp-deactivate',
    routes: { 'GET /mfa/status': [200, statusBody({ active: true, reauth: true })] },
    drive: `until('reauthenticate')`,
  },
  {
    name: 'deactivate-error',
    tag: 'totp-deactivate',
    routes: { 'GET /mfa/status': locked },
    drive: `until('error')`,
  },
  {
    name: 'verify-challenge',
    tag: 'totp-verify',
    routes: { 'POST /mfa/verify': locked },
    drive: `(async () => { await until('challenge'); enter('123456'); await until('challenge', '[part~="countdown"]'); })()`,
  },
  {
    name: 'verify-challenge-recovery-code',
    tag: 'totp-verify',
    drive: `(async () => { await until('challenge'); click('[part~="toggle"]'); await el.updateComplete; })()`,
  },
  {
    name: 'verify-verified',
    tag: 'totp-verify',
    drive: `(async () => { await until('challenge'); enter('123456'); await until('verified'); })()`,
  },
  {
    name: 'recovery-codes-loading',
    tag: 'totp-recovery-codes',
    routes: { 'GET /mfa/status': null },
    drive: `until('loading')`,
  },
  { name: 'recovery-codes-overview', tag: 'totp-recovery-codes', routes: active, drive: `until('overview')` },
  {
    name: 'recovery-codes-confirm',
    tag: 'totp-recovery-codes',
    routes: active,
    drive: `(async () => { await until('overview'); click('[part~="regenerate-button"]'); await until('confirm'); })()`,
  },
  {
    name: 'recovery-codes-codes',
    tag: 'totp-recovery-codes',
    routes: active,
    drive: `(async () => {
      await until('overview'); click('[part~="regenerate-button"]'); await until('confirm');
      enter('123456'); await until('codes');
    })()`,
  },
  { name: 'recovery-codes-inactive', tag: 'totp-recovery-codes', drive: `until('inactive')` },
  {
    name: 'recovery-codes-reauthenticate',
    tag: 'totp-recovery-codes',
    routes: { 'GET /mfa/status': [200, statusBody({ active: true, reauth: true })] },
    drive: `(async () => { await until('overview'); click('[part~="regenerate-button"]'); await until('reauthenticate'); })()`,
  },
  {
    name: 'recovery-codes-error',
    tag: 'totp-recovery-codes',
    routes: { 'GET /mfa/status': error(503, 'unavailable') },
    drive: `until('error')`,
  },
];

export function stateRoutes(state) {
  return { ...BASE, ...state.routes };
}

/**
 * A German page with the state's element (and the protocol at /mfa), and the helpers its `drive`
 * uses. `until` also waits for the German texts, which load on first use.
 */
export function statePage(state) {
  return `<!doctype html><html lang="de"><meta charset="utf-8"><title>${state.name}</title>
<meta name="viewport" content="width=device-width">
<style>body { margin: 0; padding: 8px; font: 16px system-ui, sans-serif; }</style>
<${state.tag} endpoint="/mfa" issuer="Example"></${state.tag}>
<totp-verify hidden id="probe"></totp-verify>
<script type="module" src="/dist/totpkit-elements.js"></script>
<script>
  const el = document.querySelector('${state.tag}');
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  // A hidden <totp-verify> tells when the German texts have loaded: its button says "Bestätigen".
  const german = () => document.getElementById('probe').shadowRoot?.querySelector('[part~="submit"]')?.textContent.includes('Bestätigen');
  window.until = async (state, selector) => {
    while (!(el.getAttribute('state') === state && german() && (!selector || el.shadowRoot.querySelector(selector)))) await pause();
    await el.updateComplete;
  };
  window.enter = (code) => {
    el.shadowRoot.querySelector('input[part~="input"]').value = code;
    el.shadowRoot.querySelector('[part~="submit"]').click();
  };
  window.click = (selector) => el.shadowRoot.querySelector(selector).click();
</script>`;
}
