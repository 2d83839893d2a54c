/**
 * Configuration that reaches an element in another form than a property. Frameworks write what
 * they cannot set as a property as an attribute: React before an element is defined, and the
 * server renderers of React and Vue always. An object then arrives as JSON text (which the
 * elements read) or as "[object Object]" (which is lost), and a camelCase name arrives lowercased
 * (`csrftoken`: HTML attribute names have no case). Both are reported by name, with the fix,
 * rather than dropped; a request that would leave without its headers is not sent at all.
 */
import type { LitElement, PropertyDeclaration } from 'lit';
import type { TotpElement } from './base.js';
import { TotpRequestError } from './client.js';

/** `headers` and `strings` take an object, or its JSON text (the attribute, or a framework that sets text). */
export type JsonSetting<T> = T | string;

/**
 * The configuration of an element, for framework typings (React, Vue, Svelte): its public
 * properties, without those of lit and HTMLElement.
 */
export type TotpElementConfig<E extends TotpElement<string>> = Partial<Omit<E, keyof LitElement | 'state' | 'reload'>>;

/** An object that JSON could have made: not null, not an array. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Header values must be strings: `fetch` would send `{ a: 1 }` as "1" but `{ a: {} }` as "[object Object]". */
export function isHeaders(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((header) => typeof header === 'string');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value);
}

/**
 * The object behind a `headers` or `strings` setting, or the problem with it: text that is not
 * a JSON object, such as the "[object Object]" a framework writes for an object.
 */
export function readJsonSetting<T extends object>(
  tag: string,
  name: string,
  value: JsonSetting<T> | null | undefined,
  isValid: (value: unknown) => value is T,
): { value: T; problem?: undefined } | { value?: undefined; problem: string } {
  if (value == null || value === '') return { value: {} as T };
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  if (isValid(parsed)) return { value: parsed };
  const shown = typeof value === 'string' ? `="${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : '';
  const cause =
    value === '[object Object]'
      ? 'an object written as text'
      : `not a JSON object${name === 'headers' ? ' of strings' : ''}`;
  return {
    problem:
      `<${tag} ${name}${shown}> is ${cause}. Set the ${name} property to an object, or give JSON text ` +
      `(docs/elements.md, "Frameworks").`,
  };
}

/**
 * A camelCase property's name written as an attribute, which HTML lowercases (`csrftoken`), while
 * the element reads the kebab-case one (`csrf-token`): what React and Vue render on the server for
 * `csrfToken={…}`, and what React sets before the element is defined.
 */
export function strayAttribute(
  element: HTMLElement,
  properties: Map<PropertyKey, PropertyDeclaration>,
): string | undefined {
  for (const [name, { attribute }] of properties) {
    if (typeof name !== 'string' || typeof attribute !== 'string') continue;
    const lowered = name.toLowerCase();
    if (lowered === attribute || !element.hasAttribute(lowered) || element.hasAttribute(attribute)) continue;
    return `<${element.localName}> does not read ${lowered} (HTML lowercases attribute names): write ${attribute}="…" or set the ${name} property.`;
  }
  return undefined;
}

/** A request the element refused to send because its configuration is incomplete or unusable. */
export class TotpConfigurationError extends TotpRequestError {
  constructor(problem: string) {
    super('invalid_request', `${problem} Nothing was sent.`);
  }
}
