import { md5Hex, sortedEntries } from '../shared/digest.util.js';

/**
 * openapi sign (docId=70): params except `sign` sorted, `key+value` concatenated, app_secret
 * prepended only (no suffix, unlike TOP/PDD), MD5 lower hex. Same rule for biz and auth calls.
 */
export function signJst(params: Record<string, string>, appSecret: string): string {
  const body = sortedEntries(params)
    .filter(([k]) => k !== 'sign')
    .map(([k, v]) => k + v)
    .join('');
  return md5Hex(appSecret + body);
}

/** Legacy query.aspx gateway: md5(method + partnerid + "token" + token + "ts" + ts + partnerkey). */
export function signJstLegacy(method: string, partnerId: string, token: string, ts: string, partnerKey: string): string {
  return md5Hex(`${method}${partnerId}token${token}ts${ts}${partnerKey}`);
}
