/** Every job name in one place; ids built from them are deterministic so duplicates collapse. */
export const JOBS = {
  actionExecute: 'actions.execute',
  actionsSweep: 'actions.sweep',
  heartbeat: 'scheduler.heartbeat',
  diagnosticsProbe: 'diagnostics.probe',
} as const;
