import { formatBeijing } from '../../core/time-format.js';
import type { SbTrackEvent } from '../../core/types.js';
import { STATE_NAMES } from './kuaidi100.constants.js';

export interface Kd100Result {
  message: string;
  nu: string;
  ischeck: string;
  condition: string;
  com: string;
  status: string;
  state: string;
  data: Record<string, string>[];
}

/** Kuaidi100's result body: scans newest first, state of the newest, ischeck "1" once signed. */
export function renderResult(com: string, nu: string, events: SbTrackEvent[], resultv2: boolean): Kd100Result {
  const newestFirst = [...events].sort((a, b) => b.time - a.time);
  const latest = newestFirst[0];
  return {
    message: 'ok',
    nu,
    ischeck: events.some((e) => e.state === 3) ? '1' : '0',
    condition: 'F00',
    com,
    status: '200',
    state: String(latest?.state ?? 0),
    data: newestFirst.map((e) => {
      const t = formatBeijing(e.time);
      const row: Record<string, string> = { time: t, ftime: t, context: e.context, location: e.city ?? '' };
      if (resultv2) {
        row.status = STATE_NAMES[e.state] ?? '在途';
        row.areaName = e.city ?? '';
      }
      return row;
    }),
  };
}
