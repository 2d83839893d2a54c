// Placeholder demo until the demo issue lands: it serves one page that enrols a throwaway
// secret with the TOTP core and checks a code against it. Nothing is stored.
import { createServer } from 'node:http';
import { buildTotpUrl, generateTotpSecret, totpQrDataUri, verifyTotp } from '@totpkit/server';

const port = Number(process.env.PORT ?? 3000);
const secret = generateTotpSecret();
const url = buildTotpUrl({ secret, accountName: 'demo@example.com', issuer: 'totpkit demo' });
let lastStep = null;

function page(message = '') {
  return `<!doctype html><meta charset="utf-8"><title>totpkit demo</title>
<style>body{font:16px system-ui;max-width:36rem;margin:3rem auto;padding:0 1rem}img{width:220px}</style>
<h1>totpkit</h1><p>Scan this with an authenticator app, then enter the code. (The full demo app arrives with the demo issue.)</p>
<img alt="QR code for totpkit demo" src="${totpQrDataUri(url)}">
<form method="post"><label>Code <input name="code" autocomplete="one-time-code" inputmode="numeric"></label> <button>Check</button></form>
<p role="status">${message}</p>`;
}

const server = createServer((req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  if (req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 1024) req.destroy();
    });
    req.on('end', () => {
      const code = new URLSearchParams(body).get('code');
      const result = verifyTotp(secret, code, { afterStep: lastStep });
      if (result.ok) lastStep = result.step;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(page(result.ok ? 'Code accepted.' : 'Incorrect code.'));
    });
    return;
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page());
});

server.listen(port, () => console.log(`totpkit demo on http://localhost:${port} (Ctrl-C to stop)`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
