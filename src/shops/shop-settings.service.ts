import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { deepMerge, flattenErrors, isPlainObject } from '../config/config.loader.js';
import { AppConfig, FLAG_COLOURS, RULE_MODES } from '../config/config.schema.js';
import { REMARK_KINDS } from '../remarks/remark-kinds.js';
import { RULE_NAMES } from '../rules/rule-names.js';
import { ShopEntity } from './shop.entity.js';
import { SETTING_SECTIONS, ShopSettings } from './shop-settings.js';

export interface ShopSettingsView {
  shopId: number;
  /** What the rules use: defaults with the shop's overrides merged over them. */
  effective: ShopSettings;
  /** Only what the shop changed. */
  overrides: Record<string, unknown>;
}

/**
 * Each shop's effective settings. A PATCH is merged into the shop's overrides (`null` removes an
 * override, so the default applies again), and the result is validated whole before it is stored:
 * a bad value answers 400 naming its key, and nothing is written.
 */
@Injectable()
export class ShopSettingsService {
  constructor(
    @InjectRepository(ShopEntity) private readonly shops: Repository<ShopEntity>,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async view(shopId: number): Promise<ShopSettingsView> {
    const shop = await this.shop(shopId);
    return { shopId, effective: this.effectiveOf(shop), overrides: shop.settings ?? {} };
  }

  /** The effective settings of a shop row already loaded (the rules load it with the order). */
  effectiveOf(shop: Pick<ShopEntity, 'settings'>): ShopSettings {
    const { settings, problems } = this.resolve(shop.settings ?? {});
    // Stored overrides were validated on the way in; a default changed since then is reported, not hidden.
    if (problems.length) throw new Error(`shop settings no longer valid: ${problems.join('; ')}`);
    return settings;
  }

  async effective(shopId: number, manager?: EntityManager): Promise<ShopSettings> {
    return this.effectiveOf(await this.shop(shopId, manager));
  }

  async patch(shopId: number, patch: unknown): Promise<ShopSettingsView> {
    if (!isPlainObject(patch)) throw bad(['settings: must be a JSON object']);
    return this.shops.manager.transaction(async (m) => {
      const shop = await this.shop(shopId, m);
      const overrides = prune(deepMerge(shop.settings ?? {}, patch));
      const { settings, problems } = this.resolve(overrides);
      if (problems.length) throw bad(problems);
      await m.update(ShopEntity, { id: shopId }, { settings: overrides as never, updatedAt: this.clock.now() });
      return { shopId, effective: settings, overrides };
    });
  }

  /**
   * Validates the patch as if applied, without storing it: an operator can see what a setting would
   * be before switching it on (the order's rules dry run takes the result).
   */
  async preview(shopId: number, patch: unknown): Promise<ShopSettings> {
    if (!isPlainObject(patch)) throw bad(['settings: must be a JSON object']);
    const shop = await this.shop(shopId);
    const { settings, problems } = this.resolve(prune(deepMerge(shop.settings ?? {}, patch)));
    if (problems.length) throw bad(problems);
    return settings;
  }

  private resolve(overrides: Record<string, unknown>): { settings: ShopSettings; problems: string[] } {
    const merged = deepMerge(this.defaults(), overrides);
    const settings = plainToInstance(ShopSettings, merged);
    const problems = [
      ...Object.keys(overrides).filter((k) => !(SETTING_SECTIONS as readonly string[]).includes(k)).map((k) => `settings.${k}: is not a setting`),
      ...flattenErrors(validateSync(settings, { forbidUnknownValues: false }), 'settings', ''),
      ...domainProblems(settings),
    ];
    return { settings, problems };
  }

  private defaults(): Record<string, unknown> {
    const c = this.config;
    // A JSON copy: merging must never write into the process-wide configuration.
    return JSON.parse(
      JSON.stringify({
        dryRun: c.rules.dryRun,
        rules: c.rules.switches,
        remarks: c.remarks,
        unpaid: c.unpaid,
        logistics: c.logistics,
        promotions: c.promotions,
        reship: c.reship,
        buyerMessages: c.buyerMessages,
        tasks: c.tasks,
      }),
    ) as Record<string, unknown>;
  }

  private async shop(shopId: number, manager?: EntityManager): Promise<ShopEntity> {
    const repo = manager ? manager.getRepository(ShopEntity) : this.shops;
    const shop = await repo.findOneBy({ id: shopId });
    if (!shop) throw new NotFoundException(`shop ${shopId} not found`);
    return shop;
  }
}

/** What class-validator cannot say about maps: keys and values drawn from fixed lists. */
function domainProblems(s: ShopSettings): string[] {
  const out: string[] = [];
  for (const [name, mode] of Object.entries(s.rules ?? {})) {
    if (!(RULE_NAMES as readonly string[]).includes(name)) out.push(`settings.rules.${name}: no such rule (${RULE_NAMES.join(', ')})`);
    else if (!(RULE_MODES as readonly string[]).includes(mode)) out.push(`settings.rules.${name}: must be one of ${RULE_MODES.join(', ')}`);
  }
  for (const [kind, colour] of Object.entries(s.remarks?.flags ?? {})) {
    if (!(REMARK_KINDS as readonly string[]).includes(kind)) out.push(`settings.remarks.flags.${kind}: not a remark kind`);
    else if (!(FLAG_COLOURS as readonly string[]).includes(colour)) out.push(`settings.remarks.flags.${kind}: must be one of ${FLAG_COLOURS.join(', ')}`);
  }
  for (const [kind, template] of Object.entries(s.remarks?.templates ?? {})) {
    if (!(REMARK_KINDS as readonly string[]).includes(kind)) out.push(`settings.remarks.templates.${kind}: not a remark kind`);
    else if (typeof template !== 'string' || !template.trim()) out.push(`settings.remarks.templates.${kind}: must be a non-empty string`);
  }
  for (const [type, minutes] of Object.entries(s.tasks?.slaMinutes ?? {})) {
    if (!Number.isInteger(minutes) || minutes < 1) out.push(`settings.tasks.slaMinutes.${type}: must be a whole number of minutes, at least 1`);
  }
  return out;
}

/** Drops overrides set to null (back to the default) and sections left empty. */
function prune(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null) continue;
    if (isPlainObject(v)) {
      const inner = prune(v);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

function bad(problems: string[]): BadRequestException {
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problems });
}
