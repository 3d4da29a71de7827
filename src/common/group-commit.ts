/**
 * A group commit: calls made while a write is under way wait and go in together with the next write,
 * so a burst costs one write per group instead of one per call. The first call of a quiet spell is
 * written at the next turn of the event loop (nothing waits for a timer). Each caller's promise settles
 * with its own item's result.
 */
export class GroupCommit<T, R> {
  private readonly pending: { item: T; resolve: (r: R) => void; reject: (err: unknown) => void }[] = [];
  private writing = false;

  /**
   * `write` takes up to `max` items and settles each: one result per item, in order. Should it throw,
   * every item of its group fails with that error.
   */
  constructor(
    private readonly max: number,
    private readonly write: (items: T[]) => Promise<PromiseSettledResult<R>[]>,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      setImmediate(() => void this.writeAll());
    });
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, this.max);
        try {
          const results = await this.write(group.map((g) => g.item));
          group.forEach((g, i) => {
            const r = results[i];
            if (r?.status === 'fulfilled') g.resolve(r.value);
            else g.reject(r ? r.reason : new Error('group write gave no result for an item'));
          });
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
