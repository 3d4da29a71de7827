/** Fen as yuan with two decimals, the way the shop writes an amount (¥12.50). */
export function yuanText(fen: number): string {
  return (fen / 100).toFixed(2);
}
