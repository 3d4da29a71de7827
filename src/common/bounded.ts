/**
 * The collection with its oldest entries dropped (Sets and Maps iterate in insertion order) to leave
 * room for one more: a process-local memory of recent ids that never grows past `max`.
 */
export function bounded<C extends Set<unknown> | Map<unknown, unknown>>(collection: C, max: number): C {
  for (const old of collection.keys()) {
    if (collection.size < max) break;
    collection.delete(old);
  }
  return collection;
}
