import { type TrackingEvent, type TrackingResult, TrackingState } from '../ports/canonical.types.js';
import { parsePlatformTime } from '../shared/beijing-time.util.js';
import { optionalString, text } from '../shared/lossless-json.util.js';
import { asArray, asRecord } from '../shared/wire-params.util.js';

/** §4b `state` codes. */
export const KD100_STATE: Readonly<Record<string, TrackingState>> = {
  '0': TrackingState.IN_TRANSIT,
  '1': TrackingState.COLLECTED,
  '2': TrackingState.PROBLEM,
  '3': TrackingState.SIGNED,
  '4': TrackingState.RETURN_SIGNED,
  '5': TrackingState.DELIVERING,
  '6': TrackingState.RETURNING,
  '7': TrackingState.REDIRECTED,
  '8': TrackingState.CUSTOMS,
  '10': TrackingState.CUSTOMS,
  '11': TrackingState.CUSTOMS,
  '12': TrackingState.CUSTOMS,
  '13': TrackingState.CUSTOMS,
  '14': TrackingState.REJECTED,
};

/** A query response or a push's `lastResult`: `{state, ischeck, com, nu, data:[{context, time, ftime}]}` newest first. */
export function mapKd100Result(wire: unknown): TrackingResult {
  const r = asRecord(wire);
  const state = KD100_STATE[text(r.state)] ?? TrackingState.UNKNOWN;
  const events: TrackingEvent[] = asArray(r.data)
    .map(asRecord)
    .map((d) => ({
      time: parsePlatformTime(d.ftime ?? d.time) ?? new Date(0),
      description: text(d.context),
      state: KD100_STATE[text(d.statusCode)] ?? null,
      location: optionalString(d.areaName) ?? optionalString(d.location),
    }))
    .sort((a, b) => b.time.getTime() - a.time.getTime());
  return {
    carrierCode: optionalString(r.com),
    trackingNo: text(r.nu),
    state,
    signed: text(r.ischeck) === '1' || state === TrackingState.SIGNED,
    events,
  };
}
