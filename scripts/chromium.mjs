// Where the browser tests find Chromium, and how they get it on a fresh machine. No test tool
// may download a browser of its own; this machine kind gets Chromium from Debian.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags from DESIGN.md: no sandbox as root, and no background traffic on a closed network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function run(cmd, args) {
  const asRoot = process.getuid?.() === 0;
  const [bin, argv] = asRoot ? [cmd, args] : ['sudo', [cmd, ...args]];
  return spawnSync(bin, argv, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status;
}

/** Installs Debian's chromium when it is missing. Throws when that is impossible. */
export function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  console.log(`Chromium is missing at ${chromiumPath}; installing it from Debian...`);
  if (run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']) !== 0) {
    run('apt-get', ['update']);
    if (run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']) !== 0) {
      throw new Error('Could not install Chromium with apt-get; set CHROMIUM_PATH to a Chromium binary.');
    }
  }
  if (!existsSync(chromiumPath)) throw new Error(`Chromium still missing at ${chromiumPath}`);
}
