import { Injectable } from '@nestjs/common';
import { PushKeys, type PddAppKeys, type TaobaoAppKeys } from '../orders/push/push-keys.js';
import { ShopCredentialVault } from './shop-credential.vault.js';
import { ShopDirectory, type ShopSnapshot } from './shop-directory.js';

interface AppIndex {
  /** The shop directory's generation the index was built from: any shop or credential write changes it. */
  version: string;
  kuaishou: Map<string, string>;
  taobao: TaobaoAppKeys[];
  pinduoduo: PddAppKeys[];
}

const PUSH_PLATFORMS = new Set(['taobao', 'pinduoduo', 'kuaishou']);

/**
 * The push paths' app secrets, opened from the shops' sealed credentials. Many shops share one app, so
 * the apps are indexed once and the index is rebuilt only when the shop directory moved, which keeps a
 * push from opening every credential or asking the database anything.
 */
@Injectable()
export class ShopPushKeys extends PushKeys {
  private index: AppIndex | undefined;
  private building: Promise<AppIndex> | undefined;

  constructor(
    private readonly directory: ShopDirectory,
    private readonly vault: ShopCredentialVault,
  ) {
    super();
  }

  async kuaishouPushKey(appKey: string): Promise<string | null> {
    return (await this.current()).kuaishou.get(appKey) ?? null;
  }

  async taobaoApps(): Promise<TaobaoAppKeys[]> {
    return (await this.current()).taobao;
  }

  async pinduoduoApps(): Promise<PddAppKeys[]> {
    return (await this.current()).pinduoduo;
  }

  private async current(): Promise<AppIndex> {
    const shops = await this.directory.current();
    if (this.index?.version === shops.generation) return this.index;
    this.building ??= this.build(shops).finally(() => (this.building = undefined));
    this.index = await this.building;
    return this.index;
  }

  private async build(directory: ShopSnapshot): Promise<AppIndex> {
    const index: AppIndex = { version: directory.generation, kuaishou: new Map(), taobao: [], pinduoduo: [] };
    // Oldest change first, so a key re-entered on any shop of the app replaces an older one.
    const shops = directory.shops.filter((s) => PUSH_PLATFORMS.has(s.platform)).sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || a.id - b.id);
    const taobao = new Map<string, TaobaoAppKeys>();
    const pdd = new Map<string, PddAppKeys>();
    for (const shop of shops) {
      const stored = await this.vault.read(shop.id);
      if (!stored) continue;
      const s = stored.secrets;
      // Kuaishou keeps pushing to a paused shop's app; the key must still open them, so any shop counts.
      if (shop.platform === 'kuaishou' && s.pushKey) index.kuaishou.set(s.appKey, s.pushKey);
      if (shop.status !== 'active') continue;
      if (shop.platform === 'taobao') taobao.set(s.appKey, { appKey: s.appKey, appSecret: s.appSecret });
      if (shop.platform === 'pinduoduo') pdd.set(s.appKey, { clientId: s.appKey, clientSecret: s.appSecret });
    }
    index.taobao = [...taobao.values()];
    index.pinduoduo = [...pdd.values()];
    return index;
  }
}
