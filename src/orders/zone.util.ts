import type { LogisticsConfig } from '../config/config.schema.js';

/** Zone (1 near … 3 remote) of a destination province seen from a warehouse; null when unknown. */
export function zoneOf(logistics: LogisticsConfig, warehouse: string, province: string | null): number | null {
  if (!province) return null;
  const table = logistics.warehouses[warehouse] ?? logistics.warehouses.default;
  if (!table) return null;
  // Platforms spell provinces with or without the 省/市 suffix; match on the stem.
  const stem = (p: string) => p.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/, '');
  for (const [zone, provinces] of Object.entries(table.zones)) {
    if (provinces.some((p) => stem(p) === stem(province))) return Number(zone);
  }
  return null;
}

/** Hours without a tracking update before a parcel in this zone counts as stalled (rules.md §4). */
export function stallHours(logistics: LogisticsConfig, zone: number | null): number {
  const t = logistics.thresholdsHours;
  return zone === 1 ? t.zone1 : zone === 3 ? t.zone3 : t.zone2;
}
