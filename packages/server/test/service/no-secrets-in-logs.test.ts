/**
 * Checklist item 25 (ASVS 7.1.1 / 16.2.5): no secret, code, recovery code or otpauth URL reaches a
 * log, a console, or an error message — including on the failure paths, where leaks usually hide.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore, type TotpStore, totpCode } from '../../src/index.js';
import { makeService } from '../support/service-fixture.js';

const user = { id: 'u-1', email: 'ada@example.com' };
const captured: string[] = [];

function capture(...args: unknown[]) {
  for (const arg of args) {
    if (arg instanceof Error) captured.push(`${arg.name} ${arg.message} ${arg.stack} ${String(arg.cause)}`);
    else captured.push(typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg)));
  }
}

beforeEach(() => {
  captured.length = 0;
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation(capture);
  }
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    capture(String(chunk));
    return write(chunk, ...(rest as []));
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A store whose writes fail, to drive the error paths. */
function failingWrites(store: MemoryStore): TotpStore {
  return {
    getAuthenticator: (id) => store.getAuthenticator(id),
    createAuthenticator: (...a) => store.createAuthenticator(...a),
    advanceLastUsedStep: async () => {
      throw new Error('connection reset');
    },
    replaceEncryptedSecret: (...a) => store.replaceEncryptedSecret(...a),
    deleteAuthenticator: (...a) => store.deleteAuthenticator(...a),
    getRecoveryCodeCounts: (...a) => store.getRecoveryCodeCounts(...a),
    consumeRecoveryCode: async () => {
      throw new Error('connection reset');
    },
    replaceRecoveryCodes: (...a) => store.replaceRecoveryCodes(...a),
  };
}

describe('logs and errors', () => {
  it('never contain a secret, a code, a recovery code or an otpauth URL', async () => {
    const store = new MemoryStore();
    // The default logger is console, so everything the service logs is captured.
    const fixture = makeService(
      {
        logger: undefined,
        insecureBypassCode: '999999',
        allowInsecureBypassCode: true,
        production: false,
        algorithm: 'SHA256',
        adapter: {
          onVerified: () => {
            throw new Error('notification failed');
          },
        },
      },
      { store },
    );
    const setup = await fixture.kit.beginSetup(user);
    const code = () => totpCode(setup.secret, { time: fixture.clock.now() / 1000, algorithm: 'SHA256' });
    const activated = await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
    if (!activated.ok) throw new Error('activation failed');
    const sensitive = [setup.secret, setup.otpauthUrl, setup.enrollmentToken, ...activated.recoveryCodes];
    const codes: string[] = [code()];

    fixture.clock.advance(30);
    codes.push(code());
    await fixture.kit.verify(user, code());
    await fixture.kit.verify(user, code()); // replay
    await fixture.kit.verify(user, activated.recoveryCodes[0]);

    // The error paths: a failing store, a broken ciphertext, a bad configuration.
    const broken = makeService(
      { keyring: fixture.options.keyring, algorithm: 'SHA256', logger: undefined },
      { store: failingWrites(store) },
    );
    broken.clock.advance((fixture.clock.now() - broken.clock.now()) / 1000 + 30);
    codes.push(totpCode(setup.secret, { time: broken.clock.now() / 1000, algorithm: 'SHA256' }));
    const errors: unknown[] = [];
    for (const attempt of [
      () => broken.kit.verify(user, codes.at(-1)),
      () => broken.kit.verify(user, activated.recoveryCodes[1]),
      () => makeService({ issuer: setup.secret }).kit.beginSetup(user),
      () => makeService({ insecureBypassCode: code(), production: true }).kit.status(user),
    ]) {
      try {
        await attempt();
      } catch (error) {
        errors.push(error);
        capture(error);
      }
    }
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const tampered = `${(await store.getAuthenticator(user.id))?.encryptedSecret}x`;
    await store.replaceEncryptedSecret(
      user.id,
      (await store.getAuthenticator(user.id))?.encryptedSecret ?? '',
      tampered,
    );
    fixture.clock.advance(30);
    await fixture.kit.verify(user, code()).catch(capture);

    expect(captured.length).toBeGreaterThan(0); // warnings and errors were produced, and looked at
    const everything = captured.join('\n');
    for (const value of [...sensitive, ...codes]) expect(everything).not.toContain(value);
  });

  it('never contain a trust token, nor a code given to reauthenticate', async () => {
    const store = new MemoryStore();
    const fixture = makeService(
      {
        logger: undefined,
        trustedBrowsers: true,
        adapter: {
          onBrowserTrusted: () => {
            throw new Error('notification failed');
          },
          onReauthenticated: () => {
            throw new Error('notification failed');
          },
        },
      },
      { store },
    );
    const setup = await fixture.kit.beginSetup(user);
    const code = () => totpCode(setup.secret, { time: fixture.clock.now() / 1000 });
    const activated = await fixture.kit.activate(user, { enrollmentToken: setup.enrollmentToken, code: code() });
    if (!activated.ok) throw new Error('activation failed');
    fixture.clock.advance(30);
    const codes = [code()];
    const verified = await fixture.kit.verify(user, code(), { trustBrowser: { days: 14, userAgent: 'Firefox/133' } });
    if (!verified.ok || !verified.trust) throw new Error('no trust');
    const { token } = verified.trust;
    fixture.clock.advance(30);
    codes.push(code());
    await fixture.kit.reauthenticate(user, { code: code() });
    await fixture.kit.reauthenticate(user, { code: activated.recoveryCodes[0] });
    store.getTrustedBrowser = async () => {
      throw new Error('connection reset');
    };
    await fixture.kit.isBrowserTrusted(user, token).catch(capture);
    await fixture.kit.verify(user, code(), { trustBrowser: { days: 0 } }).catch(capture);

    expect(captured.length).toBeGreaterThan(0);
    const everything = captured.join('\n');
    for (const value of [token, setup.secret, ...codes, ...activated.recoveryCodes]) {
      expect(everything).not.toContain(value);
    }
  });
});
