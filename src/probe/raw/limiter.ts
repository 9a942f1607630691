/** A counting semaphore: at most `max` tasks run at once; the rest wait in FIFO order. */
export class Limiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
