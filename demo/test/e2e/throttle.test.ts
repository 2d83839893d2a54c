/**
 * Issue 16, item 4: password guesses are throttled per name and per client address, answered with
 * 429 and Retry-After, and an unknown name behaves exactly like a known one. In-process with a
 * clock the test moves; the demo trusts a loopback proxy so each test can be its own address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueUsername } from '../support/flows.js';
import type { Client } from '../support/http.js';
import { type InProcessDemo, signUpClient, startInProcess } from '../support/in-process.js';

let demo: InProcessDemo;
let address = 0;
beforeAll(async () => {
  demo = await startInProcess({ TRUST_PROXY: 'loopback' });
});
afterAll(async () => {
  await demo?.stop();
});

/** A client at an address of its own, as seen through the proxy. */
const fromNewAddress = () => demo.client({ 'X-Forwarded-For': `198.51.100.${++address}` });

const signIn = (client: Client, username: string, password: string) => client.form('/signin', { username, password });

/** The status, Retry-After and error sentence of an answer. */
async function outcome(response: Response) {
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    message: /<p class="error"[^>]*>([^<]*)</.exec(text)?.[1],
  };
}

describe('password throttling per name', () => {
  it('refuses a sixth guess at a name with 429 and Retry-After, the right password too, until the lock ends', async () => {
    const owner = demo.client();
    const username = await signUpClient(owner);
    const attacker = fromNewAddress();
    for (let i = 0; i < 5; i++) expect((await signIn(attacker, username, `wrong ${i}`)).status).toBe(400);
    expect(await outcome(await signIn(attacker, username, 'wrong again'))).toEqual({
      status: 429,
      retryAfter: '60',
      message: 'Too many attempts. Try again in 1 minute.',
    });
    // The lock is on the name, not the address: the owner, elsewhere, waits too.
    const elsewhere = fromNewAddress();
    expect((await signIn(elsewhere, username, PASSWORD)).status).toBe(429);
    demo.advance(61_000);
    expect((await signIn(elsewhere, username, PASSWORD)).status).toBe(303);
  });

  it('answers a name that does not exist exactly like one that does', async () => {
    const real = await signUpClient(demo.client());
    const unknown = `${uniqueUsername()}x`;
    const answers = { real: [] as unknown[], unknown: [] as unknown[] };
    for (let i = 0; i < 6; i++) {
      answers.real.push(await outcome(await signIn(fromNewAddress(), real, 'not the password')));
      answers.unknown.push(await outcome(await signIn(fromNewAddress(), unknown, 'not the password')));
    }
    expect(answers.unknown).toEqual(answers.real);
    expect(answers.real.at(-1)).toMatchObject({ status: 429, retryAfter: '60' });
  });

  it('doubles the lock each time', async () => {
    const username = await signUpClient(demo.client());
    const retryAfter: (string | null)[] = [];
    for (let lock = 0; lock < 3; lock++) {
      for (let i = 0; i < 5; i++) await signIn(fromNewAddress(), username, 'wrong');
      const locked = await signIn(fromNewAddress(), username, 'wrong');
      retryAfter.push(locked.headers.get('retry-after'));
      demo.advance(Number(retryAfter.at(-1)) * 1000);
    }
    expect(retryAfter).toEqual(['60', '120', '240']);
  });

  it('forgets the failures after the right password', async () => {
    const username = await signUpClient(demo.client());
    const client = fromNewAddress();
    for (let i = 0; i < 4; i++) await signIn(client, username, 'wrong');
    expect((await signIn(client, username, PASSWORD)).status).toBe(303);
    for (let i = 0; i < 4; i++) expect((await signIn(client, username, 'wrong')).status).toBe(400);
  });

  it('counts wrong passwords on the reauthentication form against the same name', async () => {
    const client = fromNewAddress();
    const username = await signUpClient(client);
    for (let i = 0; i < 5; i++)
      expect((await client.form('/reauth', { password: 'wrong', next: '/' })).status).toBe(400);
    expect((await client.form('/reauth', { password: PASSWORD, next: '/' })).status).toBe(429);
    expect((await signIn(fromNewAddress(), username, PASSWORD)).status).toBe(429);
  });
});

describe('password throttling per address', () => {
  it('locks an address after 20 wrong passwords across any names, and only that address', async () => {
    const sprayer = fromNewAddress();
    for (let i = 0; i < 20; i++) expect((await signIn(sprayer, uniqueUsername(), 'Summer2026!')).status).toBe(400);
    const own = await signUpClient(fromNewAddress());
    expect(await outcome(await signIn(sprayer, own, PASSWORD))).toMatchObject({ status: 429, retryAfter: '300' });
    expect((await signIn(fromNewAddress(), own, PASSWORD)).status).toBe(303);
    demo.advance(301_000);
    expect((await signIn(sprayer, own, PASSWORD)).status).toBe(303);
  });

  it('does not let a right password clear the count of an address', async () => {
    const client = fromNewAddress();
    const own = await signUpClient(client);
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) await signIn(client, uniqueUsername(), 'wrong');
      expect((await signIn(client, own, PASSWORD)).status).toBe(round < 3 ? 303 : 429);
    }
  });

  it('keeps "That username is taken." on sign-up, counted per address', async () => {
    const taken = await signUpClient(demo.client());
    const lister = fromNewAddress();
    for (let i = 0; i < 20; i++) {
      expect(await outcome(await lister.form('/signup', { username: taken, password: PASSWORD }))).toMatchObject({
        status: 400,
        message: 'That username is taken.',
      });
    }
    const locked = await lister.form('/signup', { username: uniqueUsername(), password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('300');
  });
});
