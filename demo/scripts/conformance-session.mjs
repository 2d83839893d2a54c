#!/usr/bin/env node
// The demo's session recipe for the conformance kit (docs/protocol.md §9):
//
//   npx -p @totpkit/protocol totpkit-conformance --base-url http://localhost:3000/mfa \
//     --login-command 'node demo/scripts/conformance-session.mjs http://localhost:3000 /tmp/kit-user.json'
//
// The kit runs it with a phase as the last argument and reads the session's headers from stdout.
// It signs a test user in through the demo's own forms, as a person would:
// - `signedIn`: the first time, signs up a new user (its name and password go to the state file);
//   then signs that user in, which gives a complete session while TOTP is off;
// - `pending`: signs the user in with the password; once TOTP is on, the demo answers with a
//   session waiting for the second factor (stage `password`), which is what the kit needs for
//   verify. Prints null when the sign-in completes instead (TOTP off);
// - `reauthenticated`: null, so the kit uses the signed-in session: signing in again would sign
//   the other sessions out when the demo rotates them, and a fresh sign-up is recent anyway.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [base, stateFile, phase] = process.argv.slice(2);
if (!base || !stateFile || !['signedIn', 'pending', 'reauthenticated'].includes(phase ?? '')) {
  process.stderr.write('usage: conformance-session.mjs BASE_URL STATE_FILE signedIn|pending|reauthenticated\n');
  process.exit(2);
}

/** Posts one of the demo's forms the way its pages do; resolves the redirect and the session cookie. */
async function post(path, fields) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin', Origin: base },
    body: new URLSearchParams(fields),
  });
  if (response.status !== 303) throw new Error(`${path} answered ${response.status}, not a redirect`);
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error(`${path} set no session cookie`);
  return { location: response.headers.get('location'), cookie };
}

const print = (headers) => process.stdout.write(`${JSON.stringify(headers)}\n`);

if (phase === 'reauthenticated') {
  print(null);
} else if (!existsSync(stateFile)) {
  if (phase !== 'signedIn') throw new Error('ask for signedIn first: it creates the test user');
  const user = { username: `kit-${randomBytes(6).toString('hex')}`, password: randomBytes(18).toString('base64url') };
  const { cookie } = await post('/signup', user);
  writeFileSync(stateFile, JSON.stringify(user));
  print({ Cookie: cookie });
} else {
  const { cookie, location } = await post('/signin', JSON.parse(readFileSync(stateFile, 'utf8')));
  const pending = location === '/signin/verify';
  print(pending === (phase === 'pending') ? { Cookie: cookie } : null);
}
