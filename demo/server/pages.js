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
  const nav =
    session?.stage === 'complete'
      ? html`<a href="/security">Security</a> <a href="/theming">Theming</a>
        <form method="post" action="/signout" class="inline"><button type="submit" class="link">Sign out ${session.username}</button></form>`
      : html`<a href="/signin">Sign in</a> <a href="/signup">Sign up</a> <a href="/theming">Theming</a>`;
  return String(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · totpkit demo</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/${script}.js"></script>
</head>
<body>
<header><a href="/" class="brand">totpkit demo</a><nav>${nav}</nav></header>
<main>${body}</main>
</body>
</html>`);
}

export const pages = {
  home(session) {
    const body =
      session?.stage === 'complete'
        ? html`<h1>Hello, ${session.username}</h1>
            <p>You are signed in. Turn on two-factor authentication on the <a href="/security">security page</a>,
            then sign out and back in to see the second step.</p>`
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
        <input type="hidden" name="next" value="${next}">
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

  verify() {
    const body = html`<h1>Two-factor authentication</h1>
      <totp-verify endpoint="/mfa" data-on-verified="/"></totp-verify>
      <form method="post" action="/signout"><button type="submit" class="link">Cancel and sign out</button></form>`;
    return layout({ title: 'Verify', body });
  },

  security(session) {
    const reauth = html`<p slot="reauthenticate">For your security, <a href="/reauth?next=/security">confirm your password</a> first.</p>`;
    const body = html`<h1>Security</h1>
      <section class="card" aria-label="Authenticator app">
        <totp-activate endpoint="/mfa">${reauth}</totp-activate>
        <totp-deactivate endpoint="/mfa">${reauth}</totp-deactivate>
      </section>
      <section class="card" aria-label="Recovery codes">
        <totp-recovery-codes endpoint="/mfa">${reauth}</totp-recovery-codes>
      </section>`;
    return layout({ title: 'Security', session, body });
  },

  theming(session) {
    const body = html`<h1>Theming</h1>
      <p>The same element in three themes, styled only with <code>--totp-*</code> custom properties and
      <code>::part()</code> rules (see <code>demo/web/app.css</code>). It runs against a sample backend in the page,
      so the key below is a sample.</p>
      <div class="themes">
        <section class="theme theme-light"><h2>Light</h2><totp-activate class="preview"></totp-activate></section>
        <section class="theme theme-dark"><h2>Dark</h2><totp-activate class="preview"></totp-activate></section>
        <section class="theme theme-brand"><h2>Brand</h2><totp-activate class="preview"></totp-activate></section>
      </div>`;
    return layout({ title: 'Theming', session, body, script: 'theming' });
  },

  notFound(session) {
    return layout({ title: 'Not found', session, body: html`<h1>Not found</h1><p><a href="/">Home</a></p>` });
  },
};
