import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/totp-verify/totp-verify.js';
import { registerStrings, setDefaultStrings } from '../../src/index.js';
import { de } from '../../src/shared/strings/de.js';
import { en } from '../../src/shared/strings/en.js';
import { es } from '../../src/shared/strings/es.js';
import { fr } from '../../src/shared/strings/fr.js';
import { stringsFor } from '../../src/shared/strings/index.js';
import type { TotpVerify } from '../../src/totp-verify/totp-verify.js';
import { part, text } from '../helpers/dom.js';

const heading = (el: TotpVerify) => text(part(el, '[part~="heading"]'));
const submitLabel = (el: TotpVerify) => text(part(el, '[part~="submit"]'));

describe('strings and languages', () => {
  afterEach(() => {
    document.documentElement.lang = 'en';
  });

  it('`strings` overrides any text, and the rest stays in the locale', async () => {
    const el = await fixture<TotpVerify>(
      html`<totp-verify .strings=${{ verify: 'Sign in', codeHint: (digits: number) => `${digits} digits, please.` }}></totp-verify>`,
    );
    expect(submitLabel(el)).to.equal('Sign in');
    expect(text(part(el, '[part~="hint"]'))).to.equal('6 digits, please.');
    expect(heading(el)).to.equal('Two-factor authentication');
  });

  it('takes `strings` as a JSON attribute, for pages without a build step', async () => {
    const el = await fixture<TotpVerify>(html`<totp-verify strings='{"verify":"Weiter"}' lang="de"></totp-verify>`);
    await waitUntil(() => heading(el) === 'Zwei-Faktor-Authentifizierung');
    expect(submitLabel(el)).to.equal('Weiter');
  });

  it('switches language with `lang`, loading the locale on demand', async () => {
    const el = await fixture<TotpVerify>(html`<totp-verify lang="de"></totp-verify>`);
    await waitUntil(() => submitLabel(el) === 'Bestätigen');
    expect(text(part(el, '[part~="label"]'))).to.equal('Code aus Ihrer Authenticator-App');
    el.lang = 'fr';
    await waitUntil(() => submitLabel(el) === 'Vérifier');
    expect(el.getAttribute('lang')).to.equal('fr');
    el.lang = 'es-MX';
    await waitUntil(() => submitLabel(el) === 'Verificar');
    el.lang = 'it';
    await waitUntil(() => submitLabel(el) === 'Verify');
  });

  it('inherits the language of the document when unset, and follows it', async () => {
    document.documentElement.lang = 'es';
    const el = await fixture<TotpVerify>(html`<totp-verify></totp-verify>`);
    await waitUntil(() => submitLabel(el) === 'Verificar');
    expect(el.hasAttribute('lang')).to.equal(false);
    document.documentElement.lang = 'de-AT';
    await waitUntil(() => submitLabel(el) === 'Bestätigen');
  });

  it('inherits the language of the nearest ancestor with one', async () => {
    const wrapper = await fixture<HTMLElement>(html`<section lang="fr"><totp-verify></totp-verify></section>`);
    const el = wrapper.querySelector('totp-verify') as TotpVerify;
    await waitUntil(() => submitLabel(el) === 'Vérifier');
  });

  it('registerStrings adds a language for every element, including those already on the page', async () => {
    const el = await fixture<TotpVerify>(html`<totp-verify lang="it-IT"></totp-verify>`);
    expect(submitLabel(el)).to.equal('Verify');
    registerStrings('it', { verify: 'Verifica', verifyTitle: 'Autenticazione a due fattori' });
    await el.updateComplete;
    expect(submitLabel(el)).to.equal('Verifica');
    expect(heading(el)).to.equal('Autenticazione a due fattori');
    // Keys left out fall back to English; a regional tag beats its base language.
    expect(text(part(el, '[part~="label"]'))).to.equal('Code from your authenticator app');
    registerStrings('it-CH', { verify: 'Conferma' });
    el.lang = 'it-CH';
    await el.updateComplete;
    expect(submitLabel(el)).to.equal('Conferma');
  });

  it('registerStrings rewords a built-in language; the element’s own strings still win', async () => {
    registerStrings('de', { verify: 'Anmelden' });
    const el = await fixture<TotpVerify>(html`<totp-verify lang="de"></totp-verify>`);
    await waitUntil(() => heading(el) === 'Zwei-Faktor-Authentifizierung');
    expect(submitLabel(el)).to.equal('Anmelden');
    el.strings = { verify: 'Weiter' };
    await el.updateComplete;
    expect(submitLabel(el)).to.equal('Weiter');
    registerStrings('de', { verify: de.verify });
  });

  it('setDefaultStrings replaces the fallback texts of every element', async () => {
    const el = await fixture<TotpVerify>(html`<totp-verify lang="en"></totp-verify>`);
    setDefaultStrings({ verify: 'Sign in' });
    await el.updateComplete;
    expect(submitLabel(el)).to.equal('Sign in');
    setDefaultStrings({});
    await el.updateComplete;
    expect(submitLabel(el)).to.equal('Verify');
  });

  it('falls back to English for a key that a locale or an override leaves out', () => {
    const merged = stringsFor('xx', { done: 'Fertig!' }, () => {});
    expect(merged.done).to.equal('Fertig!');
    expect(merged.cancel).to.equal('Cancel');
  });

  it('maps language tags to the built-in locales', async () => {
    const verify = (lang: string) => stringsFor(lang, {}, () => {}).verify;
    // German, French and Spanish load on first use.
    await waitUntil(() => ['de', 'fr', 'es'].every((lang) => verify(lang) !== 'Verify'));
    expect(['de', 'de-CH', 'FR', 'es_419', 'en-GB', 'pt', '', '*'].map(verify)).to.deep.equal([
      'Bestätigen',
      'Bestätigen',
      'Vérifier',
      'Verificar',
      'Verify',
      'Verify',
      'Verify',
      'Verify',
    ]);
  });

  for (const [name, locale] of Object.entries({ de, fr, es })) {
    it(`${name} translates every text, with the same kind of value as English`, () => {
      for (const [key, value] of Object.entries(en)) {
        const translated = (locale as Record<string, unknown>)[key];
        expect(typeof translated, key).to.equal(typeof value);
        if (typeof value === 'string') expect(translated, key).not.to.equal(value);
        else
          expect((translated as (...args: unknown[]) => string)(2, 10, 30))
            .to.be.a('string')
            .and.not.equal('');
      }
    });
  }
});
