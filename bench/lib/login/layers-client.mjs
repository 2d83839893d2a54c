// The client of bench/login-layers.mjs, in a process of its own so that the servers' process
// counts only their CPU. Asked `{ port, logins: [[userId, code], …], connections }`, it sends every
// login as `POST /mfa/verify` over keep-alive connections, each sending its next login as soon as
// the last is answered (a closed loop), and answers `{ ok, failures, examples }`: a login is ok only
// when it is a 200 whose body is a TOTP success.
import http from 'node:http';

process.on('message', async ({ port, logins, connections }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let next = 0;
  let ok = 0;
  let failures = 0;
  const examples = [];
  const send = ([userId, code]) =>
    new Promise((resolve) => {
      const body = JSON.stringify({ code });
      const request = http.request(
        {
          agent,
          host: '127.0.0.1',
          port,
          path: '/mfa/verify',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'totpkit-protocol': '1',
            'x-test-user': userId,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => {
            if (response.statusCode === 200 && text.includes('"method":"totp"')) ok++;
            else {
              failures++;
              if (examples.length < 3) examples.push(`${userId} ${code}: ${response.statusCode} ${text.slice(0, 200)}`);
            }
            resolve();
          });
        },
      );
      request.on('error', (error) => {
        failures++;
        if (examples.length < 3) examples.push(`${userId} ${code}: ${error.message}`);
        resolve();
      });
      request.end(body);
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < logins.length) await send(logins[next++]);
    }),
  );
  agent.destroy();
  process.send({ ok, failures, examples });
});
