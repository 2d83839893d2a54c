// Behaviour for the server-rendered pages: define the totpkit elements and react to their events.
import '@totpkit/elements';
import './app.css';

// After a successful second step the server has already replaced the session; go on.
document.addEventListener('totp-verified', (event) => {
  const next = (event.target as HTMLElement).dataset.onVerified;
  if (next) window.location.assign(next);
});

// On the security page, turning TOTP on or off changes what the other elements should show.
const others = (source: EventTarget | null) =>
  [
    ...document.querySelectorAll<HTMLElement & { reload(): void }>(
      'totp-activate, totp-deactivate, totp-recovery-codes',
    ),
  ].filter((element) => element !== source);
document.addEventListener('totp-activated', (event) => {
  for (const element of others(event.target)) element.reload();
});
document.addEventListener('totp-deactivated', (event) => {
  for (const element of others(event.target)) element.reload();
});
