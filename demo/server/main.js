// Starts the demo: `npm start` at the repository root builds everything and runs this.
//   PORT (default 3000), DATA_DIR (default demo/data), DATABASE_URL, REDIS_URL,
//   TOTPKIT_KEYRING or TOTPKIT_KEYRING_FILE, TRUST_PROXY. See demo/README.md.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createDemo } from './demo.js';
import { ConfigurationError } from './keys.js';

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR || fileURLToPath(new URL('../data', import.meta.url));

/** One line on stderr and exit code 1: for problems the person starting the demo can fix. */
function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

let demo;
try {
  demo = await createDemo({ dataDir });
} catch (error) {
  if (error instanceof ConfigurationError) fail(error.message);
  throw error;
}
if (demo.warning) console.warn(demo.warning);

const server = createServer(demo.app);
server.once('error', async (error) => {
  await demo.close();
  if (error.code === 'EADDRINUSE')
    fail(`port ${port} is already in use; set PORT to a free one (PORT=3001 npm start).`);
  if (error.code === 'EACCES') fail(`port ${port} needs privileges; set PORT to one above 1023.`);
  fail(`cannot listen on port ${port}: ${error.message}`);
});
server.listen(port, () => {
  console.log(`totpkit demo on http://localhost:${server.address().port} (${demo.description}). Ctrl-C to stop.`);
});

// Ctrl-C: finish what is in flight, close the stores, exit 0. A non-zero code (130 is the shell's
// convention for SIGINT) would make npm and pnpm report a failure for what is a normal stop.
let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the demo…`);
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  // A browser tab may hold a connection open; give requests in flight a moment, then cut it.
  setTimeout(() => server.closeAllConnections(), 3000).unref();
  await closed;
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
