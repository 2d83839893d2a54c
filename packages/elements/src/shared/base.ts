/**
 * The base class of the four elements: the configuration they share (endpoint, fetch, headers,
 * CSRF, lang, strings), the protocol calls and how their failures are shown, the state machine
 * with its `totp-state-change` event, focus management, the live region, and the states every
 * element has (loading, error with retry, reauthentication).
 */
import type { EndpointName } from '@totpkit/protocol';
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { callEndpoint, type EndpointRequest, type EndpointResponse, TotpRequestError } from './client.js';
import { CodeForm, type CodeKind } from './code-form.js';
import { Copier } from './copy.js';
import { Countdown } from './countdown.js';
import type { TotpEventMap } from './events.js';
import { formatDuration } from './format.js';
import {
  en,
  inheritedLang,
  loadedStrings,
  localeFor,
  mergeStrings,
  type TotpStringOverrides,
  type TotpStrings,
} from './strings/index.js';
import { formStyles, frameStyles, tokens } from './styles.js';

/** The states every element can be in, besides its own. */
export type CommonState = 'loading' | 'error' | 'reauthenticate';

/** Answers that mean the page or the backend is set up wrong (docs/protocol.md §6: "Report a bug"). */
const SETUP_ERRORS = new Set([
  'invalid_response',
  'invalid_request',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
]);

// One observer for all elements: a page that switches its `lang` re-renders them in place.
const langWatchers = new Set<LitElement>();
let langObserver: MutationObserver | undefined;

function watchLang(element: LitElement, watch: boolean): void {
  if (!watch) {
    langWatchers.delete(element);
    return;
  }
  langWatchers.add(element);
  if (langObserver) return;
  langObserver = new MutationObserver(() => {
    for (const watcher of langWatchers) watcher.requestUpdate();
  });
  langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

/**
 * What the four elements have in common; each element's own documentation adds its states.
 *
 * @slot reauthenticate - Shown when the server wants a recent sign-in first. Default: a sentence; a Continue button follows.
 * @slot input - An `<input>` of the page to use instead of the built-in one, for password managers that cannot see into shadow roots.
 * @slot code-form - Filled by the element with its code form when `light-dom-input` is set.
 *
 * @event {CustomEvent<TotpErrorDetail>} totp-error - A call failed, including with a wrong code: `{ code, message, endpoint, status, retryAfter }`.
 * @event {CustomEvent<TotpReauthenticationRequiredDetail>} totp-reauthentication-required - The server wants a recent sign-in before `action`.
 * @event {CustomEvent<TotpStateChangeDetail>} totp-state-change - The element moved to another step: `{ state, previousState }`.
 *
 * @csspart base - The frame around everything.
 * @csspart heading - The title.
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
 * @csspart continue-button - Continues after reauthentication.
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

  /** A request is in flight. */
  @state() protected busy = false;
  @state() private announcement = '';
  @state() private failure: TotpRequestError | null = null;
  /** The current step; see `state`. */
  protected current: S | CommonState = 'loading';
  /** The texts for this render: English, then the locale, then `strings`. */
  protected t: TotpStrings = en;
  /** Counts down a `rate_limited` answer's `retryAfter`. */
  protected readonly countdown = new Countdown(this, () => this.announce(this.t.retryNow));
  /** The copy buttons, which announce their result through the live region. */
  protected readonly copier = new Copier(this, (message) => this.announce(message));
  /** The code form. `busy` turns true synchronously in call(), so a double click sends one request. */
  protected readonly form = new CodeForm(this, (code, kind) => {
    if (!this.busy) this.submitCode(code, kind);
  });
  private generation = 0;
  private focusHeading = false;

  /** Base URL of the protocol endpoints, such as `/mfa`. */
  @property() endpoint = '';
  /** Language of the texts: en, de, fr or es (`de-CH` counts as `de`). Inherited from the page when unset. */
  @property({ reflect: true }) override lang!: string;
  /** Name of a header that carries `csrf-token`, for frameworks that check one (such as `X-CSRFToken`). */
  @property({ attribute: 'csrf-header' }) csrfHeader = '';
  /** The CSRF token sent in `csrf-header`. */
  @property({ attribute: 'csrf-token' }) csrfToken = '';
  /** A `fetch` to use instead of the global one. */
  @property({ attribute: false }) fetch: typeof globalThis.fetch | undefined;
  /** Extra request headers, such as `Authorization` for apps that use bearer tokens. */
  @property({ attribute: false }) headers: Record<string, string> = {};
  /** Overrides for any text; keys left out come from the locale, then English. Assign a new object to change. */
  @property({ type: Object }) strings: TotpStringOverrides = {};
  /** The heading level (1–6) of the element's title. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  /** Renders the code form in light DOM, where every password manager can see it. */
  @property({ type: Boolean, attribute: 'light-dom-input' }) lightDomInput = false;

  /** The current step, also reflected in the `state` attribute (read-only). */
  get state(): S | CommonState {
    return this.current;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    watchLang(this, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    watchLang(this, false);
  }

  protected override willUpdate(): void {
    const locale = localeFor(this.lang || inheritedLang(this));
    this.t = mergeStrings(
      loadedStrings(locale, () => this.requestUpdate()),
      this.strings,
    );
    this.setAttribute('state', this.current);
  }

  protected override firstUpdated(): void {
    // After the first render has settled, so loading state changes are ordinary updates.
    this.updateComplete.then(() => this.load());
  }

  protected override updated(): void {
    if (!this.focusHeading) return;
    this.focusHeading = false;
    this.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  /** Starts over: reloads the status (or, for `<totp-verify>`, shows the challenge again). */
  reload(): void {
    this.generation++;
    this.failure = null;
    this.busy = false;
    this.setState('loading', true);
    this.load();
  }

  /** Fetches what the first step needs and enters it. */
  protected abstract load(): void;

  /** Sends a code the user entered in the form. */
  protected abstract submitCode(code: string, kind: CodeKind): void;

  /**
   * Moves to `next` and fires `totp-state-change`. With `focus`, and only when focus is inside
   * the element (so a background update never steals it), focus goes to the new step's heading.
   */
  protected setState(next: S | CommonState, focus = false): void {
    if (focus && this.matches(':focus-within')) this.focusHeading = true;
    const previousState = this.current;
    if (next === previousState) return;
    this.current = next;
    this.requestUpdate();
    this.emit('totp-state-change', { state: next, previousState });
  }

  /**
   * Calls an endpoint. On failure fires `totp-error`, lets `handleFailure` show it and returns
   * undefined; an answer that arrives after `reload()` is dropped.
   */
  protected async call<N extends EndpointName>(
    name: N,
    body?: EndpointRequest<N>,
  ): Promise<EndpointResponse<N> | undefined> {
    const generation = this.generation;
    this.busy = true;
    try {
      const options = {
        endpoint: this.endpoint,
        fetch: this.fetch,
        headers: this.headers,
        csrfHeader: this.csrfHeader,
        csrfToken: this.csrfToken,
      };
      const response = await callEndpoint(options, name, body);
      return generation === this.generation ? response : undefined;
    } catch (error) {
      if (generation !== this.generation) return undefined;
      const failure =
        error instanceof TotpRequestError ? error : new TotpRequestError('invalid_response', String(error));
      const { code, message, status, retryAfter } = failure;
      this.emit('totp-error', { code, message, endpoint: name, status, retryAfter });
      // A misconfigured page or backend is a developer's problem: say what is wrong where they look.
      if (SETUP_ERRORS.has(code)) console.warn(`totpkit: ${code}: ${message}`);
      this.handleFailure(failure, name);
      return undefined;
    } finally {
      if (generation === this.generation) this.busy = false;
    }
  }

  /**
   * Shows a failed call. Elements handle their own codes (such as `already_active`) first and
   * pass the rest here. A submitted code's failure stays on the form; a load's becomes the
   * error state with a retry button.
   */
  protected handleFailure(failure: TotpRequestError, during: EndpointName): void {
    const { code } = failure;
    if (code === 'reauthentication_required') {
      this.emit('totp-reauthentication-required', { action: during });
      this.setState('reauthenticate', true);
      return;
    }
    if (code === 'rate_limited') this.countdown.start(failure.retryAfter ?? 30);
    if (during !== 'status' && during !== 'setup') {
      if (code === 'invalid_code')
        this.form.fail(this.form.kind === 'totp' ? this.t.invalidCode : this.t.invalidRecovery);
      else this.form.fail(this.messageFor(failure), false);
      return;
    }
    this.failure = failure;
    this.setState('error', true);
  }

  /** The user's text for a failure. */
  protected messageFor(failure: TotpRequestError): string {
    const t = this.t;
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
  protected emit<K extends keyof TotpEventMap>(type: K, detail: TotpEventMap[K]['detail']): void {
    /** @ignore The events are documented on the classes; this keeps the manifest from listing one named "type". */
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }

  /** Says `message` through the live region; the same message twice is announced twice. */
  protected announce(message: string): void {
    this.announcement = '';
    this.updateComplete.then(() => {
      this.announcement = message;
    });
  }

  /** The code form with the element's texts and the rate-limit state. */
  protected renderForm(
    submitLabel: string,
    options: { digits?: number; recovery?: boolean; extra?: TemplateResult } = {},
  ): TemplateResult {
    return this.form.render({
      strings: this.t,
      lockedFor: this.countdown.seconds,
      submitLabel,
      digits: options.digits ?? 6,
      recovery: options.recovery ?? true,
      extra: options.extra,
    });
  }

  /** The frame of every state: `base`, the heading, the step's content and the live region. */
  protected renderFrame(title: string, content: unknown): TemplateResult {
    return html`<div part="base" class="base">
      <div part="heading" class="heading" role="heading" aria-level=${this.headingLevel} tabindex="-1">${title}</div>
      ${content}
      <div class="visually-hidden" role="status">${this.announcement}</div>
    </div>`;
  }

  /** The content of the shared states, or undefined when the element is in one of its own. */
  protected renderCommon(): TemplateResult | undefined {
    const t = this.t;
    if (this.current === 'loading') return html`<p part="message" class="hint">${t.loading}</p>`;
    if (this.current === 'reauthenticate') {
      return html`<slot name="reauthenticate"><p part="message">${t.reauthenticate}</p></slot>
        <div part="actions" class="actions">
          <button part="button continue-button" class="button primary" type="button" @click=${this.reload}>
            ${t.continue}
          </button>
        </div>`;
    }
    if (this.current !== 'error') return undefined;
    const seconds = this.countdown.seconds;
    return html`<p part="error" class="error" role="alert">
        ${this.failure ? this.messageFor(this.failure) : t.genericError}
      </p>
      ${seconds ? html`<p part="countdown" class="hint" role="timer">${t.retryIn(formatDuration(seconds))}</p>` : nothing}
      <div part="actions" class="actions">
        <button part="button retry-button" class="button primary" type="button" ?disabled=${seconds > 0} @click=${this.reload}>
          ${t.retry}
        </button>
      </div>`;
  }
}
