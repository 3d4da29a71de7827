import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { In } from 'typeorm';
import { AtOrBefore } from '../../src/database/columns.js';
import { OrderEntity } from '../../src/orders/order.entity.js';
import { RuleEvaluationEntity } from '../../src/rules/rule-evaluation.entity.js';
import { RulesProcessor } from '../../src/rules/rules.processor.js';
import { RulesService } from '../../src/rules/rules.service.js';
import { eventually } from '../support/eventually.js';
import { backend } from '../support/test-env.js';
import { startRulesHarness, type RulesHarness } from './support/rules-harness.js';

const MIN = 60_000;
const BATCH = 4;

/**
 * Evaluation jobs run in batches: a job takes its order and other due orders along into one
 * transaction, the jobs of those orders then find nothing to do, and jobs running at the same time in
 * one process wait for the batch that holds their order instead of evaluating it again.
 */
describe(`rule evaluations in batches (${backend.label})`, () => {
  let h: RulesHarness;
  let processor: RulesProcessor;
  let service: RulesService;
  /** The order ids of every evaluateMany call, while recording. */
  let batches: number[][] | null = null;

  beforeAll(async () => {
    h = await startRulesHarness({ overrides: { rules: { evaluateBatch: BATCH } } });
    processor = h.t.app.get(RulesProcessor);
    service = h.t.app.get(RulesService);
    const evaluateMany = service.evaluateMany.bind(service);
    service.evaluateMany = (ids: number[]) => {
      batches?.push([...ids]);
      return evaluateMany(ids);
    };
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const orders = () => h.ds.getRepository(OrderEntity);
  const evaluatedAt = async (ids: number[]) => {
    const rows = await h.ds.getRepository(RuleEvaluationEntity).findBy({ orderId: In(ids) });
    return new Map(ids.map((id) => [id, Math.max(...rows.filter((r) => r.orderId === id).map((r) => r.evaluatedAt.getTime()))]));
  };

  /** `n` unpaid Taobao orders, ingested and evaluated once by the jobs their changes set off. */
  async function settledOrders(n: number): Promise<number[]> {
    const placed = Array.from({ length: n }, () => h.sb.world.addOrder({ platform: 'taobao', shopId: h.platformShopId('taobao') }));
    h.sb.clock.advance(MIN);
    await h.poll('taobao');
    const ids: number[] = [];
    for (const o of placed) ids.push((await h.order('taobao', o.orderId)).id);
    await eventually(async () => expect([...(await evaluatedAt(ids)).values()].every((t) => Number.isFinite(t))).toBe(true));
    // Wait for the jobs to be done with them: none left due.
    await eventually(async () => expect(await dueCount(ids)).toBe(0));
    return ids;
  }

  const now = () => new Date(h.sb.clock.now());
  const dueCount = (ids: number[]) => orders().count({ where: { id: In(ids), rulesDueAt: AtOrBefore(h.ds, now()) } });
  const markDue = async (ids: number[]) => orders().update({ id: In(ids) }, { rulesDueAt: new Date(h.sb.clock.now() - 1_000) });

  it("one job evaluates its order and the other due ones, whose jobs then have nothing to do", async () => {
    const ids = await settledOrders(3);
    h.sb.clock.advance(MIN);
    await markDue(ids);
    batches = [];
    const before = h.sb.clock.now();
    await processor.evaluateDue(ids[0]);
    expect(batches).toEqual([[ids[0], ...ids.slice(1).sort((a, b) => a - b)]]);
    const at = await evaluatedAt(ids);
    for (const id of ids) expect(at.get(id)).toBeGreaterThanOrEqual(before);
    expect(await dueCount(ids)).toBe(0);

    h.sb.clock.advance(1_000);
    batches = [];
    await processor.evaluateDue(ids[1]);
    await processor.evaluateDue(ids[2]);
    expect(batches).toEqual([]);
    expect(await evaluatedAt(ids)).toEqual(at);
  });

  it('jobs running together evaluate each order once, in batches of at most rules.evaluateBatch', async () => {
    const ids = await settledOrders(BATCH + 2);
    h.sb.clock.advance(MIN);
    await markDue(ids);
    batches = [];
    const before = h.sb.clock.now();
    await Promise.all(ids.map((id) => processor.evaluateDue(id)));
    const taken = batches.flat();
    expect(taken.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(BATCH);
    const at = await evaluatedAt(ids);
    for (const id of ids) expect(at.get(id)).toBeGreaterThanOrEqual(before);
    expect(await dueCount(ids)).toBe(0);
  });

  it('a job for a version stored while a batch holding its order ran evaluates again, and sees that version', async () => {
    const [id] = await settledOrders(1);
    h.sb.clock.advance(MIN);
    await markDue([id]);
    const { version } = await orders().findOneByOrFail({ id });
    const evaluateMany = service.evaluateMany;
    let done!: () => void;
    const evaluated = new Promise<void>((r) => (done = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The first batch evaluates the order as it is, then stays open until the newer version is stored.
    service.evaluateMany = async (ids: number[]) => {
      service.evaluateMany = evaluateMany;
      const traces = await evaluateMany(ids);
      done();
      await held;
      return traces;
    };
    batches = [];
    const first = processor.evaluateDue(id);
    await evaluated;
    await orders().update({ id }, { version: version + 1, rulesDueAt: new Date(h.sb.clock.now() - 1_000) });
    const second = processor.evaluateDue(id, version + 1);
    release();
    await Promise.all([first, second]);
    expect(batches.filter((b) => b.includes(id))).toHaveLength(2);
    const rows = await h.ds.getRepository(RuleEvaluationEntity).findBy({ orderId: id });
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.orderVersion).toBe(version + 1);
    expect(await dueCount([id])).toBe(0);
  });

  it('a job for a version this process has evaluated does nothing; the due scan\'s job (no version) still evaluates', async () => {
    const [id] = await settledOrders(1);
    h.sb.clock.advance(MIN);
    await markDue([id]);
    // The jobs of its changes evaluated it at this version; due again (its next check came), the job of
    // that version has nothing to do, and reads nothing to know it.
    const { version } = await orders().findOneByOrFail({ id });
    batches = [];
    await processor.evaluateDue(id, version);
    expect(batches).toEqual([]);
    await processor.evaluateDue(id);
    expect(batches).toEqual([[id]]);
    expect(await dueCount([id])).toBe(0);
  });

  it('a batch that fails fails the jobs of every order in it, and leaves them due for their retries', async () => {
    const ids = await settledOrders(2);
    h.sb.clock.advance(MIN);
    await markDue(ids);
    const evaluateMany = service.evaluateMany;
    service.evaluateMany = () => Promise.reject(new Error('database went away'));
    try {
      const results = await Promise.allSettled(ids.map((id) => processor.evaluateDue(id)));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      service.evaluateMany = evaluateMany;
    }
    expect(await dueCount(ids)).toBe(2);
    batches = [];
    await processor.evaluateDue(ids[1]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
  });
});
