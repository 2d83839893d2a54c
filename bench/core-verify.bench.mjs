// Core benchmark (issue 2): verifying a WRONG code at tolerance 1, which scans the whole ±1
// window. That is the worst case and the one an attacker can trigger at will. Every library is
// measured in the same run, on the same secrets, doing the same per-call work (decode the base32
// secret, check three steps), and compared by ratio.
//
// Every check runs before any timing, and none depends on how long the previous one took (issue
// 15: on a loaded machine the 1,000,000-input self-check can take minutes):
// 1. the hand-written SHA-1 and HMAC-SHA1 truncation against node:crypto;
// 2. agreement with the peers at fixed times: the codes of totpkit and of every peer that can
//    generate one for a given time are the same;
// 3. each library accepts the code of the moment and refuses the wrong one, the code computed
//    just before each library checks it (a code from before a slow step may have expired);
// then the timing, with ratios against the peers of the same run.
//
//   node bench/core-verify.bench.mjs            full run with the 1,000,000-input SHA-1 self-check
//   node bench/core-verify.bench.mjs --quick    a smoke run (used by the test suite)
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { verifyTOTP as epicVerify } from '@epic-web/totp';
import { decodeBase32 } from '@oslojs/encoding';
import { verifyTOTPWithGracePeriod } from '@oslojs/otp';
import { ScureBase32Plugin } from '@otplib/plugin-base32-scure';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { buildTotpUrl, generateTotpSecret, totpCode, totpQrSvg, verifyTotp } from '@totpkit/server';
import twofactor from 'node-2fa';
import notp from 'notp';
import * as OTPAuth from 'otpauth';
import {
  generateSecret as otplibGenerateSecret,
  generateSync as otplibGenerateSync,
  verifySync as otplibVerify,
} from 'otplib';
import QRCode from 'qrcode';
import speakeasy from 'speakeasy';
import thirtyTwo from 'thirty-two';
import { hotpSha1, sha1, sha1HmacStateFromBytes } from '../packages/server/dist/core/sha1.js';
import { describeMachine, measure, printTable } from './lib/harness.mjs';

const quick = process.argv.includes('--quick');
const SELF_CHECK_INPUTS = quick || process.argv.includes('--no-self-check') ? 20_000 : 1_000_000;
const roundsOption = quick ? { rounds: 1, batchMs: 20 } : { rounds: 9, batchMs: 250 };

// 1. Self-check: the hand-written SHA-1 and HMAC-SHA1 truncation against node:crypto.
function selfCheck() {
  const started = Date.now();
  for (let i = 0; i < SELF_CHECK_INPUTS; i++) {
    const message = randomBytes(randomInt(0, 192));
    const ours = Buffer.from(sha1(message)).toString('hex');
    if (ours !== createHash('sha1').update(message).digest('hex')) {
      throw new Error(`SHA-1 mismatch on input ${message.toString('hex')}`);
    }
    const key = randomBytes(randomInt(1, 100));
    const high = randomInt(0, 2 ** 32);
    const low = randomInt(0, 2 ** 32);
    const counter = Buffer.alloc(8);
    counter.writeUInt32BE(high, 0);
    counter.writeUInt32BE(low, 4);
    const mac = createHmac('sha1', key).update(counter).digest();
    const expected = mac.readUInt32BE(mac[19] & 0xf) & 0x7fffffff;
    if (hotpSha1(sha1HmacStateFromBytes(key), high, low) !== expected) {
      throw new Error(`HMAC-SHA1 mismatch for key ${key.toString('hex')} counter ${high}:${low}`);
    }
  }
  console.log(
    `Self-check: SHA-1 and HMAC-SHA1 truncation agree with node:crypto on ${SELF_CHECK_INPUTS.toLocaleString('en-US')} random inputs each (${((Date.now() - started) / 1000).toFixed(1)} s).`,
  );
}

// A pool of secrets, each with a code that is wrong for every step from 5 minutes before the pool
// is made to an hour after it, so that it stays wrong however long the timing takes on a busy machine.
const POOL = 256;
const WRONG_FROM_STEP = -10;
const WRONG_TO_STEP = 120;
function makePool() {
  const now = Date.now() / 1000;
  return Array.from({ length: POOL }, () => {
    const secret = generateTotpSecret();
    const valid = new Set();
    for (let s = WRONG_FROM_STEP; s <= WRONG_TO_STEP; s++) valid.add(totpCode(secret, { time: now + s * 30 }));
    let wrong;
    do wrong = String(randomInt(0, 1_000_000)).padStart(6, '0');
    while (valid.has(wrong));
    return { secret, wrong, bytes: decodeBase32(secret), raw: thirtyTwo.decode(secret) };
  });
}
let pool = [];

const otplibNode = { crypto: new NodeCryptoPlugin(), base32: new ScureBase32Plugin() };

const candidates = [
  { name: 'totpkit', fn: (i) => verifyTotp(pool[i & 255].secret, pool[i & 255].wrong, { tolerance: 1 }).ok },
  {
    name: 'otplib 13 (noble, default)',
    fn: (i) => otplibVerify({ secret: pool[i & 255].secret, token: pool[i & 255].wrong, epochTolerance: 30 }).valid,
  },
  {
    name: 'otplib 13 (node crypto)',
    fn: (i) =>
      otplibVerify({ secret: pool[i & 255].secret, token: pool[i & 255].wrong, epochTolerance: 30, ...otplibNode })
        .valid,
  },
  {
    name: 'otpauth',
    fn: (i) =>
      new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(pool[i & 255].secret) }).validate({
        token: pool[i & 255].wrong,
        window: 1,
      }) !== null,
  },
  {
    name: '@oslojs/otp',
    fn: (i) => verifyTOTPWithGracePeriod(decodeBase32(pool[i & 255].secret), 30, 6, pool[i & 255].wrong, 30),
  },
  {
    name: 'speakeasy',
    fn: (i) =>
      speakeasy.totp.verify({
        secret: pool[i & 255].secret,
        encoding: 'base32',
        token: pool[i & 255].wrong,
        window: 1,
      }),
  },
  {
    name: 'notp',
    fn: (i) =>
      notp.totp.verify(pool[i & 255].wrong, thirtyTwo.decode(pool[i & 255].secret), { window: 1, time: 30 }) !== null,
  },
  { name: 'node-2fa', fn: (i) => twofactor.verifyToken(pool[i & 255].secret, pool[i & 255].wrong, 1) !== null },
  {
    name: '@epic-web/totp',
    async: true,
    fn: async (i) => (await epicVerify({ otp: pool[i & 255].wrong, secret: pool[i & 255].secret, window: 1 })) !== null,
  },
];

// 2. Agreement with the peers that generate a code for a given time: fixed times, no clock involved.
const generators = [
  {
    name: 'otplib 13',
    code: (secret, time) => otplibGenerateSync({ secret, epoch: time, ...otplibNode }),
  },
  {
    name: 'otpauth',
    code: (secret, time) =>
      new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: time * 1000 }),
  },
  { name: 'speakeasy', code: (secret, time) => speakeasy.totp({ secret, encoding: 'base32', time }) },
  // notp's totp.gen takes no time outside NODE_ENV=test; its hotp.gen at the time's step is the same code.
  { name: 'notp', code: (secret, time) => notp.hotp.gen(thirtyTwo.decode(secret), { counter: Math.floor(time / 30) }) },
];

function agreement() {
  const secrets = pool.slice(0, 32).map((entry) => entry.secret);
  // Step 0, the 2038 and 2106 boundaries of 32-bit seconds, and random times up to the year 3000.
  const times = [0, 59, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1_111_111_109, 20_000_000_000];
  for (let i = 0; i < 24; i++) times.push(randomInt(0, 2 ** 32) * 7);
  let compared = 0;
  for (const secret of secrets) {
    for (const time of times) {
      const ours = totpCode(secret, { time });
      for (const generator of generators) {
        const theirs = generator.code(secret, time);
        if (theirs !== ours) throw new Error(`${generator.name} gives ${theirs}, totpkit ${ours}, at time ${time}`);
        compared++;
      }
      if (!verifyTotp(secret, ours, { time, tolerance: 1 }).ok)
        throw new Error(`totpkit refuses its own code at ${time}`);
    }
  }
  console.log(
    `Agreement: totpkit and ${generators.map((g) => g.name).join(', ')} give the same codes (${compared.toLocaleString('en-US')} comparisons at fixed times).`,
  );
}

// 3. Every library must accept the code of the moment and refuse the wrong one, or the timing is
// moot. The code is computed just before each library checks it, never before a slow step.
async function sanity() {
  const entry = pool[0];
  const saved = entry.wrong;
  try {
    for (const candidate of candidates) {
      entry.wrong = totpCode(entry.secret, { time: Date.now() / 1000 });
      const accepted = await candidate.fn(0);
      entry.wrong = saved;
      const refused = !(await candidate.fn(0));
      if (!accepted || !refused)
        throw new Error(`${candidate.name}: accepted valid=${accepted}, refused wrong=${refused}`);
    }
  } finally {
    entry.wrong = saved;
  }
  console.log(`Sanity: all ${candidates.length} libraries accept the current code and refuse the wrong one.`);
}

console.log(`# Core benchmark — ${describeMachine()}${quick ? ' (quick smoke run; figures meaningless)' : ''}`);
selfCheck();
pool = makePool();
agreement();
await sanity();
console.log('Every check passed; timing starts now.');

const verifyResults = await measure(candidates, roundsOption);
printTable('Verify a wrong code, tolerance ±1 (full window scan)', verifyResults, 'totpkit');
const peers = verifyResults.filter((r) => r.name !== 'totpkit');
const fastest = peers.reduce((a, b) => (a.opsPerSecond > b.opsPerSecond ? a : b));
const ratio = verifyResults[0].opsPerSecond / fastest.opsPerSecond;
console.log(`\ntotpkit vs the fastest peer (${fastest.name}): ${ratio.toFixed(2)}× (target ≥ 5×)`);

const secretResults = await measure(
  [
    { name: 'totpkit generateTotpSecret()', fn: () => generateTotpSecret() },
    { name: 'otplib 13 generateSecret()', fn: () => otplibGenerateSecret() },
    { name: 'otpauth new Secret().base32', fn: () => new OTPAuth.Secret().base32 },
    { name: 'speakeasy generateSecret()', fn: () => speakeasy.generateSecret() },
  ],
  roundsOption,
);
printTable('Generate a 20-byte secret', secretResults, 'totpkit generateTotpSecret()');

const url = buildTotpUrl({ secret: pool[0].secret, accountName: 'ada.lovelace@example.com', issuer: 'ACME Co' });
const qrResults = await measure(
  [
    { name: 'totpkit totpQrSvg()', fn: () => totpQrSvg(url) },
    { name: "qrcode toString({ type: 'svg' })", async: true, fn: () => QRCode.toString(url, { type: 'svg' }) },
  ],
  roundsOption,
);
printTable('QR code SVG for an otpauth URL', qrResults, 'totpkit totpQrSvg()');

if (!quick && ratio < 5) {
  console.log('\nBelow the 5× target.');
  process.exitCode = 1;
}
