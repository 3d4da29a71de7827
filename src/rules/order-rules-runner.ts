/**
 * Runs the rules engine on one order now (evaluation, decisions performed through the outbox, trace
 * recorded). Scans that find an order due for a reason of their own — a parcel's stall check — hand
 * it over through this, so every decision still comes from the engine.
 */
export abstract class OrderRulesRunner {
  abstract evaluate(orderId: number): Promise<unknown>;
}
