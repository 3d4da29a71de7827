import { ZONE_TRANSIT_DAYS } from './geo-data.js';
import type { SbReceiver, SbTrackEvent, SbZone } from './types.js';

const HOUR = 3600_000;

export interface TrackPlanInput {
  consignedAt: number;
  zone: SbZone;
  originCity: string;
  dest: Pick<SbReceiver, 'city' | 'district'>;
  carrierName: string;
  rand: () => number;
  /** The parcel is scanned as signed (locker / doorman) although the buyer will say it never came. */
  signedNotReceived?: boolean;
}

function between(rand: () => number, lo: number, hi: number): number {
  return lo + rand() * (hi - lo);
}

/**
 * A parcel's life at zone speed: collected 1–6 h after consignment, transit scans every few hours,
 * out for delivery on the last morning, signed after the zone's 1–2 / 2–3 / 3–5 days.
 */
export function planTrack(p: TrackPlanInput): SbTrackEvent[] {
  const collectAt = p.consignedAt + Math.round(between(p.rand, 1, 6) * HOUR);
  const [lo, hi] = ZONE_TRANSIT_DAYS[p.zone];
  const signAt = collectAt + Math.round(between(p.rand, lo, hi) * 24 * HOUR);
  const dispatchAt = signAt - Math.round(between(p.rand, 2, 5) * HOUR);
  const origin = p.originCity;
  const dest = p.dest.city;
  const events: SbTrackEvent[] = [
    { time: collectAt, state: 1, action: 'GOT', context: `【${origin}】${p.carrierName} ${origin}营业部 已揽收`, city: origin },
  ];
  let t = collectAt + Math.round(between(p.rand, 2, 4) * HOUR);
  events.push({ time: t, state: 0, action: 'DEPARTURE', context: `【${origin}】快件已发往 ${dest}转运中心`, city: origin });
  const arriveAt = dispatchAt - Math.round(between(p.rand, 3, 8) * HOUR);
  for (t += Math.round(between(p.rand, 4, 9) * HOUR); t < arriveAt - 2 * HOUR; t += Math.round(between(p.rand, 5, 10) * HOUR)) {
    events.push({ time: t, state: 0, action: 'ARRIVAL', context: '快件已到达 中转场，正在分拣', city: undefined });
  }
  events.push({ time: Math.max(arriveAt, t), state: 0, action: 'ARRIVAL', context: `【${dest}】快件已到达 ${dest}转运中心`, city: dest });
  events.push({
    time: dispatchAt,
    state: 5,
    action: 'SENT_SCAN',
    context: `【${dest}】${p.dest.district}派件员 正在为您派件，请保持电话畅通`,
    city: dest,
  });
  const signer = p.signedNotReceived ? '快递柜代收' : '本人签收';
  events.push({ time: signAt, state: 3, action: 'SIGNED', context: `【${dest}】您的快件已签收，签收人：${signer}`, city: dest });
  return events.sort((a, b) => a.time - b.time);
}
