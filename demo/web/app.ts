// Behaviour for the server-rendered pages: define the totpkit elements and react to their events.
import '@totpkit/elements';
import './app.css';

type Reloadable = HTMLElement & { reload(): void };

// After a successful second step the server has already replaced the session; go on.
document.addEventListener('totp-verified', (event) => {
  const next = (event.target as HTMLElement).dataset.onVerified;
  if (next) window.location.assign(next);
});

// A sensitive change confirmed with a code: afterReauthenticate has restarted the session's
// clocks, so the page that asked (the change of username) now lets the change through.
document.addEventListener('totp-reauthenticated', (event) => {
  const next = (event.target as HTMLElement).dataset.onReauthenticated;
  if (next) window.location.assign(next);
});

// The security page shows one state at a time (server/pages.js): the setup while 2FA is off, and
// the recovery codes with "turn off" while it is on. The page switches when the user finishes one.
const off = document.getElementById('two-factor-off');
const on = document.getElementById('two-factor-on');
// Browsers are trusted only while 2FA is on (turning it off revokes them all), so the list goes with it.
const trusted = document.getElementById('trusted-browsers');

function show(section: HTMLElement | null, visible: boolean): void {
  if (!section) return;
  section.hidden = !visible;
  if (visible) for (const element of section.querySelectorAll<Reloadable>('[endpoint]')) element.reload();
}

document.addEventListener('totp-state-change', (event) => {
  const element = event.target as HTMLElement;
  const { state } = event.detail;
  // Activation ends when the user has confirmed the recovery codes (Done), not when TOTP is on:
  // until then the codes are the only thing on the page.
  if (element.localName === 'totp-activate' && state === 'activated' && off && !off.hidden) {
    show(off, false);
    show(on, true);
    show(trusted, true);
  }
  // While freshly regenerated codes wait for "I have saved these codes", turning 2FA off (which
  // would void them unseen) is out of reach.
  if (element.localName === 'totp-recovery-codes') {
    const deactivate = on?.querySelector<HTMLElement>('totp-deactivate');
    if (deactivate) deactivate.inert = state === 'codes';
  }
});

document.addEventListener('totp-deactivated', () => {
  show(on, false);
  show(trusted, false);
  const notice = off?.querySelector<HTMLElement>('.notice');
  if (notice) notice.hidden = false;
  show(off, true);
});
