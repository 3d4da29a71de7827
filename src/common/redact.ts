/**
 * Removes secrets from anything about to be logged or shown: values under secret-looking keys,
 * and secret-looking query parameters or URL credentials inside strings.
 */
const SECRET_KEY = /(secret|token|password|passwd|^sign$|signature|apikey|api_key|authorization|cookie|master.?key|credential|private)/i;
const SECRET_PARAM = /([?&](?:access_token|refresh_token|session|sign|app_secret|client_secret|secret|token|code)=)[^&\s"']+/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:)[^@\s]+@/gi;
export const REDACTED = '[redacted]';

export function redactString(s: string): string {
  return s.replace(SECRET_PARAM, `$1${REDACTED}`).replace(URL_PASSWORD, `$1${REDACTED}@`);
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return redactString(value);
  if (Buffer.isBuffer(value)) return REDACTED;
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1);
    return out;
  }
  return value;
}
