/**
 * A fake clock that owns simulated time and every piece of asynchronous work the fake AWS world
 * starts (hook Lambda invocations, Step Functions states, EventBridge targets). Nothing runs on
 * the real event loop's timers: time moves only through `advance`, and `advance` awaits each
 * callback (and everything it started) before moving on, so a scenario is deterministic.
 */

export type Task = () => unknown | Promise<unknown>;

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly seq: number;
  readonly label: string;
  readonly run: Task;
}

/** How the clock treats an error thrown by a scheduled callback (a handler under test). */
export type HandlerErrorMode = 'throw' | 'record';

export interface FakeClockProps {
  /**
   * Start of simulated time (epoch ms or ISO string).
   * @default '2026-01-05T10:00:00.000Z'
   */
  readonly start?: number | string;
  /**
   * `'throw'`: `advance`/`settle` reject with the first error a callback threw (a bug in the code
   * under test surfaces at once). `'record'`: errors are kept in `errors` and time goes on.
   * @default 'throw'
   */
  readonly onHandlerError?: HandlerErrorMode;
  /**
   * How long (real time) the clock waits for a task that is busy without waiting on the fake
   * clock before it gives up with an error.
   * @default 10_000
   */
  readonly realTimeLimitMs?: number;
}

/** Thrown by `advance`/`settle` when a scheduled handler failed and the mode is `'throw'`. */
export class ScheduledHandlerError extends Error {
  constructor(
    public readonly label: string,
    options: { cause: unknown },
  ) {
    super(`scheduled handler "${label}" failed: ${String((options.cause as Error)?.message ?? options.cause)}`, options);
    this.name = 'ScheduledHandlerError';
  }
}

export class FakeClock {
  private current: number;
  private readonly timers = new Map<number, Timer>();
  private readonly pending = new Set<Promise<unknown>>();
  private nextId = 1;
  private seq = 0;
  private readonly listeners: Array<(nowMs: number) => void> = [];
  private readonly mode: HandlerErrorMode;
  private activity = 0;
  private sleepers = 0;
  private readonly realTimeLimitMs: number;
  /** Errors thrown by scheduled callbacks, in order. */
  readonly errors: Array<{ at: number; label: string; error: unknown }> = [];
  private unreported: ScheduledHandlerError | undefined;

  constructor(props: FakeClockProps = {}) {
    const start = props.start ?? '2026-01-05T10:00:00.000Z';
    this.current = typeof start === 'number' ? start : Date.parse(start);
    if (!Number.isFinite(this.current)) throw new Error(`FakeClock: start ${String(start)} is not a valid time`);
    this.mode = props.onHandlerError ?? 'throw';
    this.realTimeLimitMs = props.realTimeLimitMs ?? 10_000;
  }

  private sequenceNumber = 0;

  /** A number that increases with every call: orders records made at the same simulated time. */
  sequence(): number {
    this.sequenceNumber += 1;
    return this.sequenceNumber;
  }

  /** Current simulated time, epoch ms. */
  now(): number {
    return this.current;
  }

  date(): Date {
    return new Date(this.current);
  }

  iso(): string {
    return new Date(this.current).toISOString();
  }

  /** Called whenever simulated time moves (e.g. to keep a patched `Date` in step). */
  onTimeChange(listener: (nowMs: number) => void): void {
    this.listeners.push(listener);
  }

  /** Schedules `run` `delayMs` from now; returns an id for `cancel`. Same-time timers run in order. */
  schedule(delayMs: number, run: Task, label = 'timer'): number {
    if (!(delayMs >= 0)) throw new Error(`FakeClock.schedule: delayMs ${delayMs} must be >= 0`);
    const id = this.nextId++;
    this.timers.set(id, { id, at: this.current + delayMs, seq: this.seq++, label, run });
    this.activity++;
    return id;
  }

  cancel(id: number | undefined): void {
    if (id !== undefined) this.timers.delete(id);
  }

  /** Runs `run` now as tracked background work (like an asynchronous Lambda invocation). */
  spawn(run: Task, label = 'task'): void {
    this.schedule(0, run, label);
  }

  /** A promise that resolves after `ms` of simulated time (for code under test that sleeps). */
  sleep(ms: number): Promise<void> {
    this.sleepers += 1;
    return new Promise((resolve) =>
      this.schedule(
        ms,
        () => {
          this.sleepers -= 1;
          resolve();
        },
        'sleep',
      ),
    );
  }

  /** Number of timers not yet run. */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** Number of started tasks that have not finished (e.g. waiting on a future timer). */
  runningTasks(): number {
    return this.pending.size;
  }

  /** Runs everything due at the current time, and everything that work starts, to completion. */
  async settle(): Promise<void> {
    await this.runUntil(this.current);
    this.throwUnreported();
  }

  /** Moves time forward by `ms`, running every timer on the way in time order. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new Error(`FakeClock.advance: ms ${ms} must be >= 0`);
    await this.runUntil(this.current + ms);
    this.throwUnreported();
  }

  /** Moves time to `atMs` (epoch ms or ISO), running every timer on the way. */
  async advanceTo(at: number | string): Promise<void> {
    const target = typeof at === 'number' ? at : Date.parse(at);
    if (!(target >= this.current)) throw new Error(`FakeClock.advanceTo: ${String(at)} is before now ${this.iso()}`);
    await this.advance(target - this.current);
  }

  /**
   * Advances in steps of `stepMs` until `predicate()` holds or `maxMs` has passed; returns whether
   * it held. Handy for "run until the deployment is no longer InProgress".
   */
  async advanceUntil(predicate: () => boolean, maxMs: number, stepMs = 1_000): Promise<boolean> {
    const end = this.current + maxMs;
    await this.settle();
    while (!predicate()) {
      if (this.current >= end) return false;
      await this.advance(Math.min(stepMs, end - this.current));
    }
    return true;
  }

  private async runUntil(target: number): Promise<void> {
    for (;;) {
      await this.drain();
      const next = this.nextDue(target);
      if (!next) break;
      this.timers.delete(next.id);
      if (next.at > this.current) this.setNow(next.at);
      this.track(next);
    }
    if (target > this.current) this.setNow(target);
  }

  private nextDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at > target) continue;
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }

  private track(timer: Timer): void {
    const promise = (async () => {
      try {
        await timer.run();
      } catch (error) {
        this.errors.push({ at: this.current, label: timer.label, error });
        if (this.mode === 'throw' && !this.unreported) this.unreported = new ScheduledHandlerError(timer.label, { cause: error });
      }
    })();
    this.pending.add(promise);
    void promise.finally(() => {
      this.pending.delete(promise);
      this.activity++;
    });
  }

  /**
   * Lets every running task progress as far as it can without simulated time moving. Tasks
   * waiting on a fake timer (a Wait state, `clock.sleep`) stay pending until `advance` reaches
   * the timer. A task waiting on anything else (e.g. a real `setTimeout` backoff in the code under
   * test) is awaited in real time, up to `realTimeLimitMs`, so time never moves under it.
   */
  private async drain(): Promise<void> {
    const deadline = performance.now() + this.realTimeLimitMs;
    for (;;) {
      let quietTurns = 0;
      while (quietTurns < 2) {
        const before = this.activity;
        await new Promise<void>((resolve) => setImmediate(resolve));
        quietTurns = this.activity === before ? quietTurns + 1 : 0;
      }
      if (this.pending.size <= this.sleepers) return;
      if (performance.now() > deadline) {
        throw new Error(
          `FakeClock: ${this.pending.size - this.sleepers} task(s) still running after ${this.realTimeLimitMs} ms of real time without waiting on the fake clock (a handler that never settles?)`,
        );
      }
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
    }
  }

  private setNow(ms: number): void {
    this.current = ms;
    for (const listener of this.listeners) listener(ms);
  }

  private throwUnreported(): void {
    const error = this.unreported;
    this.unreported = undefined;
    if (error) throw error;
  }
}
