/** A Taobao app whose shops we serve: TMC messages are pulled per app, not per shop. */
export interface TaobaoAppKeys {
  appKey: string;
  appSecret: string;
}

/** A Pinduoduo app: the message WebSocket is authenticated with client id + secret. */
export interface PddAppKeys {
  clientId: string;
  clientSecret: string;
}

/**
 * The app-level secrets the push paths need, read from the stored (sealed) shop credentials.
 * Implemented by the shops module; the push code never reads credentials itself.
 */
export abstract class PushKeys {
  /** The Base64 消息私钥 of a Kuaishou app, or null when no shop of ours uses that app key. */
  abstract kuaishouPushKey(appKey: string): Promise<string | null>;
  /** Distinct Taobao apps of active shops. */
  abstract taobaoApps(): Promise<TaobaoAppKeys[]>;
  /** Distinct Pinduoduo apps of active shops. */
  abstract pinduoduoApps(): Promise<PddAppKeys[]>;
}
