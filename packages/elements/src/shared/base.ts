/**
 * The base class of the four elements: the configuration they share (endpoint, fetch, headers,
 * CSRF, lang, strings), the protocol calls and how their failures are shown, the state machine
 * with its `totp-state-change` event, focus management, the live region, and the states every
 * element has (loading, error with retry, reauthentication).
 */
import type { EndpointName, StatusResponse } from '@totpkit/protocol';
import {
  adoptStyles,
  type CSSResult,
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type TemplateResult,
} from 'lit';
import {
  type ClientOptions,
  callEndpoint,
  type EndpointRequest,
  type EndpointResponse,
  TotpRequestError,
  type TotpTransport,
} from './client.js';
import { CodeForm, type CodeKind } from './code-form.js';
import {
  isHeaders,
  isObject,
  type JsonSetting,
  readJsonSetting,
  strayAttribute,
  TotpConfigurationError,
} from './config.js';
import { Countdown } from './countdown.js';
import type { TotpEventMap } from './events.js';
import { formatDuration, intl } from './format.js';
import {
  en,
  inheritedLang,
  stringsFor,
  stringsListeners,
  type TotpStringOverrides,
  type TotpStrings,
} from './strings/index.js';
import { formStyles, frameStyles, tokens } from './styles.js';
import { button, messageSlot } from './templates.js';

/** The states every element can be in, besides its own. */
export type CommonState = 'loading' | 'error' | 'reauthenticate';

/** The code of a later step, which the no-build bundle loads when the step is near: its view and styles. */
export interface StepModule {
  styles: CSSResult;
}

/** Answers that mean the page or the backend is set up wrong (docs/protocol.md §6: "Report a bug"). */
const SETUP_ERRORS = [
  'invalid_response',
  'invalid_request',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
];

/**
 * What the four elements have in common; each element's own documentation adds its states.
 *
 * @slot reauthenticate - Shown when the server wants a recent sign-in first. Default: a sentence; a Continue button (or, with `reauthenticate-url`, a sign-in link) follows. Not shown when the server takes a code instead (status `features.codeReauthentication`): the element then asks for one in place.
 * @slot logo - Above the heading, such as the site's logo.
 * @slot help - Below every step, such as a link to the help pages.
 * @slot cancel - In the code form's row of buttons, such as `<a href="/settings">Cancel</a>`; a click in it (or Escape in the form) fires `totp-cancel`.
 * @slot input - An `<input>` of the page to use instead of the built-in one, for password managers that cannot see into shadow roots.
 * @slot code-form - Filled by the element with its code form when `light-dom-input` is set.
 *
 * @attribute defer-hydration - While present, the element sends nothing (lit's SSR convention); a framework removes it once every property is set.
 *
 * @event {CustomEvent<TotpErrorDetail>} totp-error - A call failed, including with a wrong code: `{ code, message, endpoint, status, retryAfter }`.
 * @event {CustomEvent<TotpReauthenticationRequiredDetail>} totp-reauthentication-required - The server wants a recent sign-in before `action` (and takes no code for it).
 * @event {CustomEvent<TotpReauthenticatedDetail>} totp-reauthenticated - The user confirmed it's them with a code: `{ method, recoveryCodesLeft }`.
 * @event {CustomEvent<TotpStateChangeDetail>} totp-state-change - The element moved to another step: `{ state, previousState }`.
 * @event {CustomEvent<TotpCancelDetail>} totp-cancel - The user cancelled a step with a code form (the `cancel` slot, a Cancel button or Escape): `{ state }`.
 *
 * @csspart base - The frame around everything.
 * @csspart heading - The title.
 * @csspart content - The wrapper of the current step's content, between the heading and the `help` slot.
 * @csspart message - A sentence that describes the current state.
 * @csspart description - Explanatory text.
 * @csspart form - The code form.
 * @csspart label - The code input's label.
 * @csspart hint - Help under a label.
 * @csspart input - The code input.
 * @csspart error - An error message.
 * @csspart countdown - The rate-limit countdown.
 * @csspart actions - A row of buttons.
 * @csspart button - Every button.
 * @csspart submit - The form's submit button.
 * @csspart toggle - "Use a recovery code instead" and back.
 * @csspart retry-button - Retries after a failed load.
 * @csspart continue-button - Continues after reauthentication (a link with `reauthenticate-url`).
 * @csspart dates - When TOTP was turned on and last used (`<totp-activate>` when already on, `<totp-deactivate>` before turning off).
 *
 * @cssproperty --totp-color-text - Text colour.
 * @cssproperty --totp-color-background - Background of the frame.
 * @cssproperty --totp-color-muted - Secondary text.
 * @cssproperty --totp-color-border - Borders of the frame and buttons.
 * @cssproperty --totp-color-accent - Primary buttons, links and the focus ring.
 * @cssproperty --totp-color-on-accent - Text on primary buttons.
 * @cssproperty --totp-color-error - Error messages and invalid inputs.
 * @cssproperty --totp-color-warning - Warnings, such as few recovery codes left.
 * @cssproperty --totp-color-field - Background of inputs.
 * @cssproperty --totp-color-field-border - Border of inputs (keep 3:1 contrast with the field).
 * @cssproperty --totp-color-focus - The focus ring (default: the accent).
 * @cssproperty --totp-radius - Corner radius.
 * @cssproperty --totp-spacing - The space between parts.
 * @cssproperty --totp-font - The font.
 * @cssproperty --totp-font-mono - The font of codes and keys.
 */
export abstract class TotpElement<S extends string> extends LitElement {
  static override styles = [tokens, frameStyles, formStyles];
  // `static properties` rather than decorators: the same reactive properties, without shipping
  // lit's decorator code and a helper call per property (about 0.5 KB gzip in the bundle).
  static override properties: PropertyDeclarations = {
    _announcement: { state: true },
    endpoint: {},
    lang: { reflect: true },
    csrfHeader: { attribute: 'csrf-header' },
    csrfToken: { attribute: 'csrf-token' },
    fetch: { attribute: false },
    // Accessors of their own (below): both take an object or its JSON text, as attribute or property.
    headers: { noAccessor: true },
    strings: { noAccessor: true },
    headingLevel: { type: Number, attribute: 'heading-level' },
    lightDomInput: { type: Boolean, attribute: 'light-dom-input' },
    reauthenticateUrl: { attribute: 'reauthenticate-url' },
    autoSubmit: { type: Boolean, attribute: 'auto-submit' },
    protocol: {},
    client: { attribute: false },
  };

  /** Base URL of the protocol endpoints, such as `/mfa`. */
  endpoint = '';
  /** Language of the texts: en, de, fr or es (`de-CH` counts as `de`). Inherited from the page when unset. */
  declare lang: string;
  /** Name of a header that carries `csrf-token`, for frameworks that check one (such as `X-CSRFToken`). */
  csrfHeader = '';
  /** The CSRF token sent in `csrf-header`. */
  csrfToken = '';
  /** A `fetch` to use instead of the global one. */
  fetch: typeof globalThis.fetch | undefined;
  /** Extra request headers, such as `Authorization` for apps that use bearer tokens; or their JSON text. */
  get headers(): Record<string, string> {
    return this._json.headers.value as Record<string, string>;
  }
  set headers(value: JsonSetting<Record<string, string>>) {
    this._setJson('headers', value, isHeaders);
  }
  /** Overrides for any text; keys left out come from the locale, then English. Assign a new object (or JSON text) to change. */
  get strings(): TotpStringOverrides {
    return this._json.strings.value as TotpStringOverrides;
  }
  set strings(value: JsonSetting<TotpStringOverrides>) {
    this._setJson('strings', value, isObject);
  }
  /** The heading level (1–6) of the element's title. */
  headingLevel = 2;
  /** Renders the code form in light DOM, where every password manager can see it. */
  lightDomInput = false;
  /** The sign-in page for the `reauthenticate` state; the link carries a `next` parameter back to this page. */
  reauthenticateUrl = '';
  /** Submits the code form as soon as a whole TOTP code is typed or pasted. */
  autoSubmit = false;
  /** What the backend speaks: `totpkit` (protocol v1) or `allauth-headless` (django-allauth's headless API). */
  protocol: 'totpkit' | 'allauth-headless' = 'totpkit';
  /** A transport of the page's own for another backend; takes precedence over `protocol`. */
  client: TotpTransport | undefined;

  /** The current step; see `state`. */
  protected _current: S | CommonState = 'loading';
  /** The texts for this render: English, then the locale, then `strings`. */
  protected _t: TotpStrings = en;
  /** The language tag of this render, for `Intl` (dates, the countdown's units). */
  protected _lang = '';
  /** Counts down a `rate_limited` answer's `retryAfter`. */
  protected readonly _countdown = new Countdown(this, () => this._announce(this._t.retryNow));
  /** The code form. `_busy` turns true synchronously in `_call()`, so a double click sends one request. */
  protected readonly _form = new CodeForm(this, (code, kind) => {
    if (this._busy) return;
    if (this._current === 'reauthenticate') this._reauthenticateByCode(code);
    else this._submitCode(code, kind);
  });
  /** A request is in flight. */
  private _busy = false;
  private _announcement = '';
  private _failure: TotpRequestError | null = null;
  private _generation = 0;
  private _focusHeading = false;
  /** The first load has started: see `_startWhenConfigured`. */
  private _started = false;
  /** `headers` and `strings` as objects, and what was wrong with the text they were last given. */
  private _json: Record<'headers' | 'strings', { value: object; problem?: string | undefined }> = {
    headers: { value: {} },
    strings: { value: {} },
  };
  /** The call that asked for a recent sign-in, for `retry()`. */
  private _reauthAction: EndpointName = 'status';
  /**
   * The digits of the code that confirms it's the user, when the last status offered that
   * (`features.codeReauthentication` while TOTP is on); 0 otherwise, and for older backends.
   */
  private _reauthDigits = 0;
  /** The texts a transport adapts to its backend (allauth's recovery codes) for a language; under `strings`. */
  private _transportTexts: ((lang: string) => TotpStringOverrides) | undefined;
  /** A page that switches its `lang` (or an ancestor's) re-renders the element in place. */
  private readonly _langObserver = new MutationObserver(() => this.requestUpdate());
  /** The styles of the step modules loaded so far, adopted after the element's own. */
  private readonly _stepStyles = new Set<CSSResult>();

  /** The current step, also reflected in the `state` attribute (read-only). */
  get state(): S | CommonState {
    return this._current;
  }

  // `defer-hydration` (the convention of lit's SSR) holds the first load back until it is removed.
  static override get observedAttributes(): string[] {
    // biome-ignore lint/complexity/noThisInStatic: lit's getter must run for the subclass being defined.
    return [...super.observedAttributes, 'defer-hydration'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'defer-hydration') this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    stringsListeners.add(this._rerender);
    this._langObserver.observe(document.documentElement, { attributeFilter: ['lang'], subtree: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    stringsListeners.delete(this._rerender);
    this._langObserver.disconnect();
  }

  private _rerender = (): void => this.requestUpdate();

  protected override willUpdate(): void {
    this._lang = this.lang || inheritedLang(this);
    this._t = stringsFor(this._lang, { ...this._transportTexts?.(this._lang), ...this.strings }, this._rerender);
    // Before this update renders, so the first request is on its way while the first screen renders.
    this._startWhenConfigured();
    this.setAttribute('state', this._current);
  }

  protected override updated(): void {
    if (!this._focusHeading) return;
    this._focusHeading = false;
    this.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  /**
   * No request leaves without its configuration: the first load waits for an `endpoint` and for
   * `defer-hydration` to be gone. It starts in the update that saw both, so every property a
   * framework sets in the same task as `endpoint` (React wrappers set all of them in one layout
   * effect) is in place by then. See docs/elements.md, "Frameworks".
   */
  private _startWhenConfigured(): void {
    if (this._started || !this.endpoint || this.hasAttribute('defer-hydration')) return;
    this._started = true;
    const { problem } = this._json.strings;
    if (problem) console.error(`totpkit: ${problem}`);
    // The allauth transport's texts are there before the first form shows (`<totp-verify>` loads
    // nothing); the default transport has none, and costs no update here.
    if (this.protocol === 'allauth-headless') this._allauthTransport().then(this._rerender, () => undefined);
    // At once: the status request leaves before the first render (which it used to wait for),
    // and what `_load` changes before its first await is part of this update.
    this._load();
  }

  private _setJson(name: 'headers' | 'strings', value: unknown, isValid: (value: unknown) => value is object): void {
    const old = this._json[name].value;
    const { value: parsed, problem } = readJsonSetting(this.localName, name, value as string, isValid);
    this._json[name] = { value: parsed ?? {}, problem };
    // Reported once the element is configured: until then a framework may still set the property.
    if (problem && name === 'strings' && this._started) console.error(`totpkit: ${problem}`);
    this.requestUpdate(name, old);
  }

  /** Where and how to send a request; throws instead when the configuration is not complete. */
  private _clientOptions(): ClientOptions {
    const tag = this.localName;
    const problem = !this.endpoint
      ? `<${tag}> has no endpoint yet.`
      : this.hasAttribute('defer-hydration')
        ? `<${tag}> has defer-hydration: remove it once every property is set.`
        : (this._json.headers.problem ??
          strayAttribute(this, (this.constructor as typeof TotpElement).elementProperties));
    if (problem) throw new TotpConfigurationError(problem);
    const { endpoint, fetch, headers, csrfHeader, csrfToken } = this;
    // `issuer` is an attribute of <totp-activate> and <totp-recovery-codes> only.
    const { issuer } = this as { issuer?: string };
    return { endpoint, fetch, headers, csrfHeader, csrfToken, issuer };
  }

  /**
   * The transport for `protocol`. The default one (and a page's own `client`) is returned as is, not
   * in a promise, so that `_call` sends in the same task: the status request of the first load
   * leaves before the first render. allauth's is a module of its own, loaded only when asked for.
   */
  private _transport(): TotpTransport | Promise<TotpTransport> {
    const { client, protocol } = this;
    if (client) return client;
    if (protocol === 'allauth-headless') return this._allauthTransport();
    if (protocol && protocol !== 'totpkit')
      throw new TotpConfigurationError(`<${this.localName}> has an unknown protocol.`);
    return callEndpoint;
  }

  private async _allauthTransport(): Promise<TotpTransport> {
    const transport = await import('../transports/allauth-headless.js').catch((error) => {
      throw new TotpRequestError('network_error', `could not load the transport: ${error}`);
    });
    this._transportTexts = transport.texts;
    return transport.allauthHeadless;
  }

  /** Starts over: reloads the status (or, for `<totp-verify>`, shows the challenge again). */
  reload(): void {
    this._generation++;
    this._failure = null;
    this._busy = false;
    this._setState('loading', true);
    this._load();
  }

  /** Fetches what the first step needs and enters it. */
  protected abstract _load(): void;

  /** Sends a code the user entered in the form. */
  protected abstract _submitCode(code: string, kind: CodeKind): void;

  /** The title and content of the element's own step; no content for the shared states. */
  protected abstract _renderStep(t: TotpStrings): [title: string, content?: unknown];

  /**
   * Moves to `next` and fires `totp-state-change`. With `focus`, and only when focus is inside
   * the element (so a background update never steals it), focus goes to the new step's heading.
   */
  protected _setState(next: S | CommonState, focus = false): void {
    if (focus && this.matches(':focus-within')) this._focusHeading = true;
    const previousState = this._current;
    if (next === previousState) return;
    this._current = next;
    this.requestUpdate();
    this._emit('totp-state-change', { state: next, previousState });
  }

  /**
   * Fires `totp-reauthentication-required` for `action` and shows the reauthenticate state. The
   * event's `retry()` (like the Continue button) tries the action again once the user has signed
   * in, for example in a dialog the page opens on this event.
   */
  protected _reauthenticate(action: EndpointName, focus = false): void {
    this._reauthAction = action;
    if (this._reauthDigits) {
      // In place, by code: the page has nothing to do, so it hears nothing until it is done.
      this._form.reset();
      if (focus && this.matches(':focus-within')) this._form.focus();
    } else {
      this._emit('totp-reauthentication-required', { action, retry: () => this._retry(action) });
    }
    this._setState('reauthenticate', focus);
  }

  /**
   * Confirms it's the user with the code from the in-place form, then tries the action again the
   * way `retry()` does: through a fresh status, to a new code form when the action takes a code
   * (the step of the code just used is spent).
   */
  private async _reauthenticateByCode(code: string): Promise<void> {
    const result = await this._call('reauthenticate', { code });
    if (!result) return;
    this._emit('totp-reauthenticated', { method: result.method, recoveryCodesLeft: result.recoveryCodesLeft });
    this._retry(this._reauthAction);
  }

  /** Tries `action` again after a sign-in: the status is loaded again, which leads back to it. */
  protected _retry(_action: EndpointName): void {
    this.reload();
  }

  /** Fires `totp-cancel`; elements with a step to go back to override `_cancelled` to go there. */
  private _cancel = (): void => {
    this._emit('totp-cancel', { state: this._current });
    this._cancelled();
  };

  protected _cancelled(): void {}

  /** When TOTP was turned on and last used, in the element's language; only what the status has. */
  protected _dates(totp: { createdAt: string | null; lastUsedAt?: string | null } | undefined): unknown {
    const format = intl(this._lang, (locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }));
    const t = this._t;
    const dates = [
      totp?.createdAt && t.activeSince(format.format(new Date(totp.createdAt))),
      totp?.lastUsedAt && t.lastUsed(format.format(new Date(totp.lastUsedAt))),
    ].filter(Boolean);
    return dates.length ? html`<p part="dates" class="hint">${dates.join(' ')}</p>` : nothing;
  }

  /**
   * Calls an endpoint. On failure fires `totp-error`, lets `_handleFailure` show it and returns
   * undefined; an answer that arrives after `reload()` is dropped. A `background` call leaves the
   * form usable meanwhile and fails silently (it only adds to a step that works without it).
   */
  protected async _call<N extends EndpointName>(
    name: N,
    body?: EndpointRequest<N>,
    background = false,
  ): Promise<EndpointResponse<N> | undefined> {
    const generation = this._generation;
    const foreground = !background;
    if (foreground) this._busy = true;
    try {
      // The element itself carries the client options: endpoint, fetch, headers, CSRF header and token.
      const options = this._clientOptions();
      const transport = this._transport();
      const response = await (typeof transport === 'function'
        ? transport(options, name, body)
        : transport.then((send) => send(options, name, body)));
      if (generation !== this._generation) return undefined;
      if (name === 'status') {
        const { features, totp, config } = response as StatusResponse;
        // No code can confirm it's the user before TOTP is on (setup, activation).
        this._reauthDigits = features?.codeReauthentication && totp.active ? config.digits : 0;
      }
      return response;
    } catch (error) {
      if (foreground && generation === this._generation) this._fail(error, name);
      return undefined;
    } finally {
      if (foreground && generation === this._generation) this._busy = false;
    }
  }

  /**
   * Loads the module of a later step and adopts its styles. In the no-build bundle such a module is
   * a chunk of its own, like the QR encoder, fetched together with the request that leads to the
   * step, so that the first screen of every element loads less. A chunk that cannot be loaded
   * fails `during` like a network error, before any of the step is shown.
   */
  protected async _loadStep<M extends StepModule>(
    during: EndpointName,
    load: () => Promise<M>,
  ): Promise<M | undefined> {
    const generation = this._generation;
    // Busy as for a call: a second click while the step loads sends nothing twice.
    this._busy = true;
    try {
      const step = await load();
      this._stepStyles.add(step.styles);
      const own = (this.constructor as typeof LitElement).elementStyles;
      adoptStyles(this.renderRoot as ShadowRoot, [...own, ...this._stepStyles]);
      return step;
    } catch (error) {
      if (generation === this._generation) {
        this._fail(new TotpRequestError('network_error', `could not load the next step: ${error}`), during);
      }
      return undefined;
    } finally {
      if (generation === this._generation) this._busy = false;
    }
  }

  /** Reports a failed call: fires `totp-error`, warns about a setup error, and shows it. */
  private _fail(error: unknown, during: EndpointName): void {
    // A transport loaded as a chunk of its own, or a page's `client`, throws its own errors with a `code`.
    const failure = (
      typeof (error as TotpRequestError | null)?.code === 'string'
        ? error
        : new TotpRequestError('invalid_response', String(error))
    ) as TotpRequestError;
    const { code, message, status = null, retryAfter = null } = failure;
    this._emit('totp-error', { code, message, endpoint: during, status, retryAfter });
    // A misconfigured page or backend is a developer's problem: say what is wrong where they look.
    if (failure instanceof TotpConfigurationError) console.error(`totpkit: ${message}`);
    else if (SETUP_ERRORS.includes(code) && !this._isExpectedFailure(code))
      console.warn(`totpkit: ${code}: ${message}`);
    this._handleFailure(failure, during);
  }

  /** True for a code this element shows as a state of its own, which is no setup error to warn about. */
  protected _isExpectedFailure(_code: string): boolean {
    return false;
  }

  /**
   * Shows a failed call. Elements handle their own codes (such as `already_active`) first and
   * pass the rest here. A submitted code's failure stays on the form; a load's becomes the
   * error state with a retry button.
   */
  protected _handleFailure(failure: TotpRequestError, during: EndpointName): void {
    const { code } = failure;
    if (code === 'reauthentication_required') {
      this._reauthenticate(during, true);
      return;
    }
    if (code === 'rate_limited') {
      const seconds = failure.retryAfter ?? 30;
      this._countdown.start(seconds);
      // The `role="timer"` is not announced as it counts, so its start is, like its end.
      this._announce(`${this._t.rateLimited} ${this._t.retryIn(formatDuration(seconds, this._lang))}`);
    }
    if (during !== 'status' && during !== 'setup') {
      if (code === 'invalid_code')
        this._form.fail(this._form.kind === 'totp' ? this._t.invalidCode : this._t.invalidRecovery);
      else this._form.fail(this._messageFor(failure), false);
      return;
    }
    this._failure = failure;
    this._setState('error', true);
  }

  /** The user's text for a failure. */
  private _messageFor(failure: TotpRequestError): string {
    const t = this._t;
    const messages: Partial<Record<string, string>> = {
      network_error: t.networkError,
      unavailable: t.unavailable,
      unauthenticated: t.unauthenticated,
      invalid_response: t.invalidResponse,
      rate_limited: t.rateLimited,
      not_active: t.notActive,
      already_active: t.alreadyActive,
    };
    return messages[failure.code] ?? t.genericError;
  }

  /** Fires a `totp-*` event that bubbles out of shadow roots. */
  protected _emit<K extends keyof TotpEventMap>(type: K, detail: TotpEventMap[K]['detail']): void {
    /** @ignore The events are documented on the classes; this keeps the manifest from listing one named "type". */
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  /** Says `message` through the live region; the same message twice is announced twice. */
  protected _announce = (message: string): void => {
    this._announcement = '';
    this.updateComplete.then(() => {
      this._announcement = message;
    });
  };

  /** The code form with the element's texts and the rate-limit state. */
  protected _renderForm(
    submitLabel: string,
    {
      digits = 6,
      recovery = true,
      cancel,
      extra,
    }: { digits?: number | undefined; recovery?: boolean; cancel?: string; extra?: unknown } = {},
  ): TemplateResult {
    return this._form.render({
      extra,
      strings: this._t,
      lockedFor: this._countdown.seconds,
      submitLabel,
      digits,
      recovery,
      cancel,
      autoSubmit: this.autoSubmit,
      onCancel: this._cancel,
      lang: this._lang,
    });
  }

  /**
   * Every state in the same frame: `base`, the `logo` slot, the heading, the step's content in
   * `content`, the `help` slot and the live region.
   */
  override render(): TemplateResult {
    const [title, content] = this._renderStep(this._t);
    return html`<div part="base" class="base">
      <slot name="logo"></slot>
      <div part="heading" class="heading" role="heading" aria-level=${this.headingLevel} tabindex="-1">${title}</div>
      <div part="content" class="content">${content ?? this._renderCommon()}</div>
      <slot name="help"></slot>
      <div class="visually-hidden" role="status">${this._announcement}</div>
    </div>`;
  }

  /**
   * The reauthenticate state: the code form when the server takes a code for it; otherwise the
   * slot, then a link to `reauthenticate-url` with `next` set to this page, or a Continue button
   * that retries.
   */
  protected _renderReauthenticate(t: TotpStrings): TemplateResult {
    if (this._reauthDigits) {
      return html`<p part="description">${t.reauthenticateCode}</p>
        ${this._renderForm(t.confirm, { digits: this._reauthDigits })}`;
    }
    let link = '';
    if (this.reauthenticateUrl) {
      const url = new URL(this.reauthenticateUrl, location.href);
      url.searchParams.set('next', location.pathname + location.search + location.hash);
      link = url.href;
    }
    return html`${messageSlot('reauthenticate', t.reauthenticate)}
      <div part="actions" class="actions">
        ${
          link
            ? html`<a part="button continue-button" class="button primary" href=${link}>${t.signIn}</a>`
            : button('continue-button', t.continue, () => this._retry(this._reauthAction), { primary: true })
        }
      </div>`;
  }

  /** The content of the shared states: loading, reauthenticate, error. */
  private _renderCommon(): TemplateResult {
    const t = this._t;
    if (this._current === 'reauthenticate') return this._renderReauthenticate(t);
    if (this._current !== 'error') return html`<p part="message" class="hint">${t.loading}</p>`;
    const seconds = this._countdown.seconds;
    return html`<p part="error" class="error" role="alert">
        ${this._failure ? this._messageFor(this._failure) : t.genericError}
      </p>
      ${seconds ? html`<p part="countdown" class="hint" role="timer">${t.retryIn(formatDuration(seconds, this._lang))}</p>` : nothing}
      <div part="actions" class="actions">
        ${button('retry-button', t.retry, this.reload, { primary: true, disabled: seconds > 0 })}
      </div>`;
  }
}
