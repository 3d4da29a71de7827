/**
 * Single flight for batch drains in this process: one drain at a time per key (pushes of a platform and
 * source, rule evaluations).
 * A caller whose item is in the running drain waits for that drain's outcome for it instead of starting
 * its own; a caller whose item is not in it waits for it to end, then looks again and drains next (its
 * item included). Drains of different keys run side by side.
 */
export class DrainGate<T> {
  private readonly running = new Map<string, Promise<ReadonlyMap<number, T>>>();

  /**
   * What a drain did to `id`: the running one's outcome when it took `id`, else the outcome of a drain
   * started here by `drain`. Undefined when `stillWaiting` says, after a drain without it, that there is
   * nothing left to do for `id` (another process dealt with it meanwhile).
   *
   * `drain` must settle with an outcome for every item it took and never reject: the callers waiting on
   * it only learn from its map whether their item was among them.
   */
  async outcomeFor(
    key: string,
    id: number,
    drain: () => Promise<ReadonlyMap<number, T>>,
    stillWaiting: () => Promise<boolean>,
  ): Promise<T | undefined> {
    for (;;) {
      const current = this.running.get(key);
      if (!current) return (await this.start(key, drain)).get(id);
      const outcomes = await current;
      const mine = outcomes.get(id);
      if (mine !== undefined) return mine;
      if (!(await stillWaiting())) return undefined;
    }
  }

  private start(key: string, drain: () => Promise<ReadonlyMap<number, T>>): Promise<ReadonlyMap<number, T>> {
    // Registered before anything is awaited, so a caller arriving meanwhile waits for this drain.
    const run: Promise<ReadonlyMap<number, T>> = drain().finally(() => {
      if (this.running.get(key) === run) this.running.delete(key);
    });
    this.running.set(key, run);
    return run;
  }
}
