// The theming page shows <totp-activate> three times against a sample backend that lives in
// the page, so it needs no account and nothing leaves the browser. The key is a fixed sample.
import '@totpkit/elements/totp-activate';
import './app.css';

const SAMPLE_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const sample: Record<string, unknown> = {
  '/status': {
    totp: { active: false, createdAt: null, lastUsedAt: null },
    recoveryCodes: null,
    config: { digits: 6, period: 30 },
    reauthenticationRequired: false,
  },
  '/totp/setup': {
    secret: SAMPLE_SECRET,
    otpauthUrl: `otpauth://totp/totpkit%20demo:sample%40example.com?secret=${SAMPLE_SECRET}&issuer=totpkit%20demo`,
    qrCode: null, // drawn in the browser by the elements' own encoder
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
    issuer: 'totpkit demo',
    accountName: 'sample@example.com',
    enrollmentToken: 'sample-token',
    expiresAt: new Date(Date.now() + 600_000).toISOString(),
  },
};

const sampleFetch: typeof fetch = async (input) => {
  const path = new URL(String(input), window.location.href).pathname.replace(/^\/sample/, '');
  const body = sample[path];
  return new Response(JSON.stringify(body ?? { error: { code: 'invalid_code', message: 'This is a sample.' } }), {
    status: body ? 200 : 400,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
};

for (const element of document.querySelectorAll<HTMLElement & { fetch: typeof fetch; endpoint: string }>(
  'totp-activate.preview',
)) {
  element.fetch = sampleFetch;
  element.endpoint = '/sample';
}
