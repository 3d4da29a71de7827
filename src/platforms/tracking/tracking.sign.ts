import { md5Hex } from '../shared/digest.util.js';

/** Kuaidi100 real-time query: UPPER(MD5(param + key + customer)), `param` exactly as sent. */
export function signKd100Query(param: string, key: string, customer: string): string {
  return md5Hex(param + key + customer).toUpperCase();
}

/** Push callback: UPPER(MD5(param + salt)), salt being the one we gave at subscription. */
export function signKd100Callback(param: string, salt: string): string {
  return md5Hex(param + salt).toUpperCase();
}
