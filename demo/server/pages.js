// Server-rendered pages. Every value that comes from a user goes through `html` escaping; the
// front-end bundle (built by Vite) adds the totpkit elements and the small behaviours.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** A tagged template that escapes interpolations, except nested `html` results. */
export function html(strings, ...values) {
  const out = strings.reduce((acc, part, i) => {
    const value = values[i - 1];
    const rendered = Array.isArray(value)
      ? value.map(String).join('')
      : value instanceof Safe
        ? value
        : escapeHtml(value ?? '');
    return acc + rendered + part;
  });
  return new Safe(out);
}

class Safe extends String {}

function layout({ title, session, body, script = 'app' }) {
  // The name is its own element, so a long one can be cut short with an ellipsis on a phone.
  const nav =
    session?.stage === 'complete'
      ? html`<a href="/security">Security</a> <a href="/theming">Theming</a>
        <form method="post" action="/signout" class="inline signout"><button type="submit" class="link">Sign out
        <span class="who">${session.username}</span></button></form>`
      : html`<a href="/signin">Sign in</a> <a href="/signup">Sign up</a> <a href="/theming">Theming</a>`;
  return String(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · totpkit demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/${script}.js"></script>
</head>
<body>
<header><a href="/" class="brand">totpkit demo</a><nav>${nav}</nav></header>
<main>${body}</main>
</body>
</html>`);
}

const reauthLink = html`<a href="/reauth?next=/security">confirm your password</a>`;
const reauthSlot = html`<p slot="reauthenticate">For your security, ${reauthLink} first.</p>`;
const accountCard = html`<section class="card" aria-label="Account">
  <p>Your username is how you sign in. <a href="/account/username">Change your username</a></p>
</section>`;
const codesLeft = (status) =>
  status.recoveryCodes
    ? html` ${status.recoveryCodes.unused} of ${status.recoveryCodes.total} recovery codes are left.`
    : '';

export const pages = {
  /** `status` is the signed-in user's totpkit status, so the page says what is true now. */
  home(session, status) {
    const body =
      session?.stage === 'complete'
        ? html`<h1 class="name">Hello, ${session.username}</h1>
            ${
              status?.active
                ? html`<p>You are signed in, and two-factor authentication is <strong>on</strong>.${codesLeft(status)}
                  Manage it on the <a href="/security">security page</a>.</p>`
                : html`<p>You are signed in. Two-factor authentication is <strong>off</strong>: turn it on on the
                  <a href="/security">security page</a>, then sign out and back in to see the second step.</p>`
            }`
        : html`<h1>totpkit demo</h1>
            <p>Sign up, turn on two-factor authentication with your phone, sign out, and sign back in with a code or a
            recovery code. Everything runs locally: the QR code is drawn in your browser and nothing is loaded from
            another site.</p>
            <p><a class="button" href="/signup">Sign up</a> <a href="/signin">Sign in</a></p>`;
    return layout({ title: 'Home', session, body });
  },

  credentials({ mode, error = '', username = '', next = '' }) {
    const titles = { signup: 'Sign up', signin: 'Sign in', reauth: 'Confirm your password' };
    const body = html`<h1>${titles[mode]}</h1>
      ${mode === 'reauth' ? html`<p>For your security, confirm your password before changing two-factor settings.</p>` : ''}
      <form method="post" class="card" novalidate>
        ${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
        ${mode === 'reauth' ? html`<input type="hidden" name="next" value="${next}">` : ''}
        ${
          mode === 'reauth'
            ? ''
            : html`<label>Username <input name="username" autocomplete="username" required value="${username}"
              ${error ? html`aria-describedby="form-error"` : ''}></label>`
        }
        <label>Password <input name="password" type="password" required
          autocomplete="${mode === 'signup' ? 'new-password' : 'current-password'}"></label>
        <button type="submit">${titles[mode]}</button>
      </form>
      ${mode === 'signin' ? html`<p>No account? <a href="/signup">Sign up</a></p>` : ''}`;
    return layout({ title: titles[mode], body });
  },

  /** The element's own title is the page's one heading. */
  verify() {
    // The checkbox "Don't ask again on this browser for 14 days" (the server's maxDays caps it).
    const body = html`<totp-verify endpoint="/mfa" heading-level="1" trust-browser-days="14" data-on-verified="/"></totp-verify>
      <form method="post" action="/signout"><button type="submit" class="link">Cancel and sign out</button></form>`;
    return layout({ title: 'Verify', body });
  },

  /**
   * One state at a time. Without a recent password nothing can be changed, so the page says so
   * and shows no element. Otherwise: setup when 2FA is off; turning it off and the recovery codes
   * when it is on. Both groups are in the page so that web/app.ts can switch between them when
   * the user turns 2FA on or off, without a reload.
   */
  security(session, { status, reauthenticate, renamed = false }) {
    const notice = renamed ? html`<p class="notice" role="status">Your username is now ${session.username}.</p>` : '';
    if (reauthenticate) {
      const body = html`<h1>Security</h1>${notice}
        <section class="card" aria-label="Two-factor authentication">
          <p>Two-factor authentication is <strong>${status.active ? 'on' : 'off'}</strong>.${status.active ? codesLeft(status) : ''}</p>
          <p>To change it, ${reauthLink} first.</p>
        </section>
        ${accountCard}`;
      return layout({ title: 'Security', session, body });
    }
    const body = html`<h1>Security</h1>${notice}
      <section class="card" id="two-factor-off" aria-label="Turn on two-factor authentication" ${status.active ? html`hidden` : ''}>
        <p class="notice" role="status" hidden>Two-factor authentication is now off. You can turn it on again here.</p>
        <totp-activate endpoint="/mfa">${reauthSlot}</totp-activate>
      </section>
      <section class="card" id="two-factor-on" aria-label="Two-factor authentication" ${status.active ? '' : html`hidden`}>
        <p>Two-factor authentication is <strong>on</strong>.</p>
        <totp-recovery-codes endpoint="/mfa">${reauthSlot}</totp-recovery-codes>
        <totp-deactivate endpoint="/mfa">${reauthSlot}</totp-deactivate>
      </section>
      <section class="card" id="trusted-browsers" aria-label="Trusted browsers" ${status.active ? '' : html`hidden`}>
        <totp-trusted-browsers endpoint="/mfa"></totp-trusted-browsers>
      </section>
      ${accountCard}`;
    return layout({ title: 'Security', session, body });
  },

  /** The change of username, once the user has recently signed in or confirmed. */
  username(session, { error = '', username = '' } = {}) {
    const body = html`<h1>Change your username</h1>
      <form method="post" class="card" novalidate>
        ${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
        <label>New username <input name="username" autocomplete="username" required value="${username || session.username}"
          ${error ? html`aria-describedby="form-error"` : ''}></label>
        <button type="submit">Change username</button>
      </form>
      <p><a href="/security">Back to security</a></p>`;
    return layout({ title: 'Change your username', session, body });
  },

  /** "Confirm it's you" with a code before a sensitive change; web/app.ts goes on to `next`. */
  confirm(session, { next }) {
    const body = html`<totp-verify endpoint="/mfa" purpose="reauthenticate" heading-level="1"
        data-on-reauthenticated="${next}"></totp-verify>
      <p>No code at hand? <a href="/reauth?next=${encodeURIComponent(next)}">Confirm with your password</a>.</p>`;
    return layout({ title: "Confirm it's you", session, body });
  },

  theming(session) {
    const body = html`<h1>Theming</h1>
      <p>The same element in three themes, styled only with <code>--totp-*</code> custom properties and
      <code>::part()</code> rules (see <code>demo/web/app.css</code>). It runs against a sample backend in the page,
      so the key below is a sample.</p>
      <div class="themes">
        <section class="theme theme-light"><h2>Light</h2><totp-activate class="preview" heading-level="3"></totp-activate></section>
        <section class="theme theme-dark"><h2>Dark</h2><totp-activate class="preview" heading-level="3"></totp-activate></section>
        <section class="theme theme-brand"><h2>Brand</h2><totp-activate class="preview" heading-level="3"></totp-activate></section>
      </div>`;
    return layout({ title: 'Theming', session, body, script: 'theming' });
  },

  /** Every error: the status, a sentence, and for our own failures the id that is in the log. */
  error({ status, message, requestId, session }) {
    const titles = { 404: 'Not found', 429: 'Too many attempts', 500: 'Something went wrong' };
    const title = titles[status] ?? (status >= 500 ? titles[500] : 'Request refused');
    const body = html`<h1>${title}</h1>
      <p>${message}</p>
      ${requestId ? html`<p>If you report this, quote request <code>${requestId}</code>.</p>` : ''}
      <p><a href="/">Home</a></p>`;
    return layout({ title, session, body });
  },
};
