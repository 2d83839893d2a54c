/**
 * The rate-limit countdown. It keeps a deadline rather than counting ticks, so a throttled
 * background tab still shows the right number when it wakes up.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class Countdown implements ReactiveController {
  private _deadline = 0;
  private _timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly _host: ReactiveControllerHost,
    private readonly _onEnd: () => void,
  ) {
    _host.addController(this);
  }

  /** Whole seconds left; 0 when not running. */
  get seconds(): number {
    return Math.max(0, Math.ceil((this._deadline - Date.now()) / 1000));
  }

  /** Starts (or restarts) counting down from `seconds`. */
  start(seconds: number): void {
    this._deadline = Date.now() + Math.max(0, seconds) * 1000;
    this._tick();
  }

  hostConnected(): void {
    if (this._deadline > Date.now()) this._tick();
  }

  hostDisconnected(): void {
    clearTimeout(this._timer);
    this._timer = undefined;
  }

  private _tick = (): void => {
    clearTimeout(this._timer);
    this._timer = undefined;
    this._host.requestUpdate();
    const left = this._deadline - Date.now();
    if (left <= 0) {
      this._deadline = 0;
      this._onEnd();
      return;
    }
    // Wake on the next whole-second boundary so the display never skips a number.
    this._timer = setTimeout(this._tick, left % 1000 || 1000);
  };
}
