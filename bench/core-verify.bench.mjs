// Core benchmark (issue 2): verifying a WRONG code at tolerance 1, which scans the whole ±1
// window. That is the worst case and the one an attacker can trigger at will. Every library is
// measured in the same run, on the same secrets, doing the same per-call work (decode the base32
// secret, check three steps), and compared by ratio.
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
import { generateSecret as otplibGenerateSecret, verifySync as otplibVerify } from 'otplib';
import QRCode from 'qrcode';
import speakeasy from 'speakeasy';
import thirtyTwo from 'thirty-two';
import { hotpSha1, sha1, sha1HmacStateFromBytes } from '../packages/server/dist/core/sha1.js';
import { describeMachine, measure, printTable } from './lib/harness.mjs';

const quick = process.argv.includes('--quick');
const SELF_CHECK_INPUTS = quick || process.argv.includes('--no-self-check') ? 20_000 : 1_000_000;
const roundsOption = quick ? { rounds: 1, batchMs: 20 } : { rounds: 9, batchMs: 250 };

// 1. Self-check: the hand-written SHA-1 against node:crypto.
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

// 2. A pool of secrets, each with a code that is wrong for the next ten minutes.
const POOL = 256;
const now = Date.now() / 1000;
const pool = Array.from({ length: POOL }, () => {
  const secret = generateTotpSecret();
  const valid = new Set();
  for (let s = -5; s <= 20; s++) valid.add(totpCode(secret, { time: now + s * 30 }));
  let wrong;
  do wrong = String(randomInt(0, 1_000_000)).padStart(6, '0');
  while (valid.has(wrong));
  return {
    secret,
    wrong,
    valid: totpCode(secret, { time: now }),
    bytes: decodeBase32(secret),
    raw: thirtyTwo.decode(secret),
  };
});

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

// 3. Every library must accept the valid code and refuse the wrong one, or the timing is moot.
async function sanity() {
  for (const candidate of candidates) {
    const entry = pool[0];
    const withCode = (code) => {
      const saved = entry.wrong;
      entry.wrong = code;
      try {
        return candidate.fn(0);
      } finally {
        entry.wrong = saved;
      }
    };
    const accepted = await withCode(entry.valid);
    const refused = !(await candidate.fn(0));
    if (!accepted || !refused)
      throw new Error(`${candidate.name}: accepted valid=${accepted}, refused wrong=${refused}`);
  }
  console.log(`Sanity: all ${candidates.length} libraries accept the current code and refuse the wrong one.`);
}

console.log(`# Core benchmark — ${describeMachine()}${quick ? ' (quick smoke run; figures meaningless)' : ''}`);
selfCheck();
await sanity();

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
