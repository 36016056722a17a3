/**
 * Runs mutating operations one at a time, in arrival order, so the state file and QSD's graph
 * change together and no operation sees another half done. Reads do not queue.
 */
export class OpQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => {
      this.waiting--;
      return fn();
    });
    this.tail = result.catch(() => {});
    return result;
  }

  /** Operations queued or running. */
  get length(): number {
    return this.waiting;
  }
}
