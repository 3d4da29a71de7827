/**
 * Converts a yuan amount ("12.3", 12.3, "0.05") to integer fen without floating-point drift:
 * the decimal text is split rather than multiplied.
 */
export function yuanToFen(value: unknown): number {
  if (value === undefined || value === null || value === '') return 0;
  const text = typeof value === 'number' ? value.toFixed(2) : typeof value === 'string' ? value.trim() : '';
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not a yuan amount: ${text}`);
  const [, sign, whole, frac = ''] = match;
  const cents = (frac + '00').slice(0, 2);
  const roundUp = frac.length > 2 && Number(frac[2]) >= 5 ? 1 : 0;
  const fen = Number(whole || '0') * 100 + Number(cents) + roundUp;
  return sign === '-' ? -fen : fen;
}

/** Integer amounts already in fen (Kuaishou) may come as strings. */
export function fenValue(value: unknown): number {
  if (value === undefined || value === null || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(typeof value === 'string' ? value : NaN);
  if (!Number.isFinite(n)) throw new Error('not a fen amount');
  return Math.round(n);
}

/** Integer fen to a yuan number with two decimals, for APIs that take yuan. */
export function yuanFromFen(fen: number): number {
  return Math.round(fen) / 100;
}
