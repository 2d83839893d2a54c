/**
 * The rate-limit countdown. It keeps a deadline rather than counting ticks, so a throttled
 * background tab still shows the right number when it wakes up.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class Countdown implements ReactiveController {
  private deadline = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onEnd: () => void,
  ) {
    host.addController(this);
  }

  /** Whole seconds left; 0 when not running. */
  get seconds(): number {
    return Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
  }

  /** Starts (or restarts) counting down from `seconds`. */
  start(seconds: number): void {
    this.deadline = Date.now() + Math.max(0, seconds) * 1000;
    this.tick();
  }

  hostConnected(): void {
    if (this.deadline > Date.now()) this.tick();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.host.requestUpdate();
    const left = this.deadline - Date.now();
    if (left <= 0) {
      this.deadline = 0;
      this.onEnd();
      return;
    }
    // Wake on the next whole-second boundary so the display never skips a number.
    this.timer = setTimeout(this.tick, left % 1000 || 1000);
  };
}
