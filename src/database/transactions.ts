import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** One flow's exclusive use of the SQLite connection; `open` is false once the flow has given it back. */
interface Turn {
  open: boolean;
}

/**
 * Takes turns on the single SQLite connection. A flow holds the connection for a whole transaction;
 * anything it awaits meanwhile (nested transactions, repositories called without the transaction's
 * manager) runs inside its turn, and every other flow waits until the turn ends.
 */
class ConnectionTurns {
  private readonly current = new AsyncLocalStorage<Turn>();
  private tail: Promise<void> = Promise.resolve();

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.current.getStore()?.open) return work();
    const previous = this.tail;
    let handBack!: () => void;
    this.tail = new Promise<void>((resolve) => (handBack = resolve));
    await previous;
    const turn: Turn = { open: true };
    try {
      return await this.current.run(turn, work);
    } finally {
      turn.open = false;
      handBack();
    }
  }
}

/** EntityManager methods that open a transaction of their own when none is active. */
const TRANSACTIONAL = ['transaction', 'save', 'remove', 'softRemove', 'recover'] as const;

/**
 * The embedded database runs every query of the process on one better-sqlite3 connection (TypeORM
 * shares one query runner). Two flows that interleave there corrupt each other: a second BEGIN fails,
 * a save joins someone else's transaction and is lost with its rollback, a COMMIT commits a stranger's
 * half-done work. This makes the flows take turns: a transaction (explicit, or the implicit one of
 * save/remove) holds the connection until it ends, and a lone query waits for it. MySQL gives each
 * transaction its own pooled connection and is left as it is.
 */
export function takeTurnsOnSqlite(ds: DataSource): DataSource {
  if (ds.options.type !== 'better-sqlite3') return ds;
  const turns = new ConnectionTurns();
  const manager = ds.manager as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of TRANSACTIONAL) {
    const original = manager[name].bind(ds.manager);
    manager[name] = (...args: unknown[]) => turns.exclusive(() => original(...args));
  }
  const driver = ds.driver as unknown as { createQueryRunner(mode?: string): QueryRunner };
  const createRunner = driver.createQueryRunner.bind(driver);
  const guarded = new WeakSet<QueryRunner>();
  driver.createQueryRunner = (mode?: string) => {
    const runner = createRunner(mode);
    if (!guarded.has(runner)) {
      guarded.add(runner);
      const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
      runner.query = ((...args: unknown[]) => turns.exclusive(() => query(...args))) as QueryRunner['query'];
    }
    return runner;
  };
  return ds;
}

/** The query runner of the transaction the current flow is inside, once its callback runs. */
interface Holder {
  runner: QueryRunner | null;
}

/**
 * Makes a query that a flow runs on another connection while it holds a transaction fail at once,
 * naming itself. On MySQL such a query takes a second pooled connection while the first is held:
 * with as many flows as the pool has connections, each waits for another to give one back, forever.
 * (On SQLite the flows take turns and it passes unnoticed.) The check is for tests
 * (KEFU_STRICT_TRANSACTIONS=1); it costs an async-context lookup per query.
 */
export function failQueriesOutsideTheirTransaction(ds: DataSource): DataSource {
  // SQLite has one connection (TypeORM hands out one shared runner): nothing to take beside it.
  if (ds.options.type === 'better-sqlite3') return ds;
  const holders = new AsyncLocalStorage<Holder>();
  const manager = ds.manager as unknown as { transaction(...args: unknown[]): Promise<unknown> };
  const transaction = manager.transaction.bind(ds.manager);
  manager.transaction = (...args: unknown[]) => {
    const i = args.findIndex((a) => typeof a === 'function');
    const work = args[i] as (m: { queryRunner?: QueryRunner }) => Promise<unknown>;
    const holder: Holder = { runner: null };
    args[i] = (m: { queryRunner?: QueryRunner }) => {
      holder.runner = m.queryRunner ?? null;
      return work(m);
    };
    return holders.run(holder, () => transaction(...args));
  };
  const released = new WeakSet<QueryRunner>();
  const driver = ds.driver as unknown as { createQueryRunner(mode?: string): QueryRunner };
  const createRunner = driver.createQueryRunner.bind(driver);
  const guarded = new WeakSet<QueryRunner>();
  driver.createQueryRunner = (mode?: string) => {
    const runner = createRunner(mode);
    if (guarded.has(runner)) return runner;
    guarded.add(runner);
    // Held from the transaction's start until TypeORM releases its connection, after the commit
    // hooks: work done in those hooks still holds the connection.
    const beside = () => {
      const held = holders.getStore()?.runner;
      return held !== undefined && held !== null && held !== runner && !released.has(held);
    };
    const release = runner.release.bind(runner);
    runner.release = (() => {
      released.add(runner);
      return release();
    });
    // Checked when the connection is taken (the wait that can deadlock) and again for each query.
    const connect = runner.connect.bind(runner) as () => Promise<unknown>;
    runner.connect = (() => (beside() ? Promise.reject(new Error('connection taken beside the transaction this flow holds (pass its EntityManager)')) : connect())) as QueryRunner['connect'];
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    runner.query = ((...args: unknown[]) => {
      if (beside()) return Promise.reject(new Error(`query beside the transaction this flow holds (pass its EntityManager): ${String(args[0]).slice(0, 160)}`));
      return query(...args);
    }) as QueryRunner['query'];
    return runner;
  };
  return ds;
}

/**
 * The lock a read needs to see a row another transaction committed after this one's snapshot, such as
 * the winner of a unique-key race: on MySQL a plain read inside a transaction answers from the snapshot
 * taken before that commit, a locking read sees the committed row. SQLite's single writer sees it anyway.
 */
export function seeCommitted(manager: EntityManager): { mode: 'pessimistic_write' } | undefined {
  return manager.queryRunner?.isTransactionActive && manager.connection.options.type === 'mysql' ? { mode: 'pessimistic_write' } : undefined;
}
