const SENSITIVE_PARAM = /\b(access_token|session|refresh_token|app_secret|client_secret|sign|token)=([^&\s"]+)/gi;

/**
 * Strips known secrets (by value) and token-like query parameters (by name) from text that may
 * end up in logs or error messages.
 */
export function redact(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank out innocent text; real secrets and tokens are long.
    if (secret && secret.length >= 6) out = out.split(secret).join('***');
  }
  return out.replace(SENSITIVE_PARAM, (_m, name: string) => `${name}=***`);
}
