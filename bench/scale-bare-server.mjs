// The baseline of bench/scale.bench.mjs: a bare node:http endpoint that does only what every
// JSON API does — read the body and JSON.parse it — and answers `{}`. It runs in a process of its
// own, like each app server, so the ratio between the two is the cost of totpkit (protocol
// checks, Fetch bridge, rate limit, storage round trips, crypto) over an empty JSON handler.
// Forked with IPC; reports `{ type: 'ready', port }`; exits when the parent disconnects.
import { createServer } from 'node:http';

const server = createServer({ keepAliveTimeout: 30_000 }, (request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let status = 200;
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      status = 400;
    }
    const body = status === 200 ? '{}' : '{"error":{"code":"invalid_request"}}';
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    response.end(body);
  });
});

server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
