import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { PushKeys, type PddAppKeys, type TaobaoAppKeys } from '../orders/push/push-keys.js';
import { ShopEntity } from './shop.entity.js';
import { ShopCredentialEntity } from './shop-credential.entity.js';
import { ShopCredentialVault } from './shop-credential.vault.js';

interface AppIndex {
  /** What the index was built from: any shop or credential write changes it. */
  version: string;
  kuaishou: Map<string, string>;
  taobao: TaobaoAppKeys[];
  pinduoduo: PddAppKeys[];
}

const PUSH_PLATFORMS = ['taobao', 'pinduoduo', 'kuaishou'] as const;

/**
 * The push paths' app secrets, opened from the shops' sealed credentials. Many shops share one app, so
 * the apps are indexed once and the index is rebuilt only when a shop or credential row changed (one
 * small aggregate query per use), which keeps a Kuaishou push from opening every credential.
 */
@Injectable()
export class ShopPushKeys extends PushKeys {
  private index: AppIndex | undefined;
  private building: Promise<AppIndex> | undefined;

  constructor(
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    @InjectRepository(ShopCredentialEntity) private readonly creds: Repository<ShopCredentialEntity>,
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
    const version = await this.version();
    if (this.index?.version === version) return this.index;
    this.building ??= this.build(version).finally(() => (this.building = undefined));
    this.index = await this.building;
    return this.index;
  }

  private async version(): Promise<string> {
    const stamp = async (repo: Repository<ShopEntity> | Repository<ShopCredentialEntity>): Promise<string> => {
      const row = await repo.createQueryBuilder('r').select('COUNT(*)', 'n').addSelect('MAX(r.updated_at)', 'at').getRawOne<{ n: number | string; at: Date | string | null }>();
      const at = row?.at instanceof Date ? row.at.getTime() : (row?.at ?? '');
      return `${row?.n ?? 0}@${at}`;
    };
    return `${await stamp(this.shops)}|${await stamp(this.creds)}`;
  }

  private async build(version: string): Promise<AppIndex> {
    const index: AppIndex = { version, kuaishou: new Map(), taobao: [], pinduoduo: [] };
    const shops = await this.shops.find({ where: { platform: In([...PUSH_PLATFORMS]) }, order: { updatedAt: 'ASC', id: 'ASC' } });
    const taobao = new Map<string, TaobaoAppKeys>();
    const pdd = new Map<string, PddAppKeys>();
    for (const shop of shops) {
      const stored = await this.vault.read(shop.id);
      if (!stored) continue;
      const s = stored.secrets;
      // Kuaishou keeps pushing to a paused shop's app; the key must still open them, so any shop counts.
      // Later rows win, so a key re-entered on any shop of the app replaces an older one.
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
