/**
 * The shape of kefu-bridge's configuration, validated at boot with class-validator.
 * Infrastructure values come from the environment; rule defaults from config/default.yaml.
 */
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const ROLES = ['api', 'worker', 'both'] as const;
export type Role = (typeof ROLES)[number];

export const FLAG_COLOURS = ['none', 'red', 'yellow', 'green', 'blue', 'purple', 'grey'] as const;
export type FlagColour = (typeof FLAG_COLOURS)[number];

export class DatabaseConfig {
  @IsIn(['mysql', 'sqlite'])
  driver: 'mysql' | 'sqlite';
  /** mysql: the connection URL (never logged); sqlite: the file path. */
  @IsString()
  @IsNotEmpty()
  url: string;
  @IsInt()
  @Min(1)
  poolSize: number;
}

export class QueueConfig {
  @IsIn(['redis', 'memory'])
  driver: 'redis' | 'memory';
  @IsOptional()
  @IsString()
  redisUrl?: string;
  @IsString()
  @Matches(/^[a-z0-9_-]+$/i)
  prefix: string;
}

export class MasterKeyConfig {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/)
  id: string;
  /** 32 raw bytes; never logged. */
  key: Buffer;
}

export class SecurityConfig {
  @ValidateNested()
  @Type(() => MasterKeyConfig)
  masterKey: MasterKeyConfig;
  /** Older keys still able to decrypt while rows are re-encrypted under the active one. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MasterKeyConfig)
  previousKeys: MasterKeyConfig[];
}

export class ServerConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  port: number;
  @IsInt()
  @Min(0)
  shutdownGraceMs: number;
}

export class JobsConfig {
  @IsInt()
  @Min(1)
  @Max(64)
  concurrency: number;
  @IsInt()
  @Min(1)
  attempts: number;
  @IsInt()
  @Min(1)
  backoffMs: number;
  @IsInt()
  @Min(0)
  keepFailed: number;
  /** bull: how long a worker's lock on an active job lasts; a killed worker's job is retaken after it. */
  @IsInt()
  @Min(500)
  lockMs: number;
  @IsInt()
  @Min(500)
  stalledCheckMs: number;
}

export class ActionsConfig {
  @IsInt()
  @Min(1000)
  staleAfterMs: number;
  @IsInt()
  @Min(1000)
  leaseMs: number;
  /** How long an action waits after platform trouble (a rate limit without a stated wait, 5xx on its last try). */
  @IsInt()
  @Min(100)
  troubleDeferMs: number;
  /** An action keeps waiting out platform trouble until it is this old; then it fails. */
  @IsInt()
  @Min(1000)
  troubleRetryForMs: number;
}

export class TickConfig {
  @IsString()
  @Matches(/^[a-z0-9_.-]+$/i)
  name: string;
  @IsInt()
  @Min(100)
  everyMs: number;
  @IsString()
  @IsNotEmpty()
  job: string;
}

export class SchedulerConfig {
  @IsBoolean()
  enabled: boolean;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TickConfig)
  ticks: TickConfig[];
}

export class QuietHoursConfig {
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  start: string;
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/)
  end: string;
}

export const RULE_MODES = ['on', 'off', 'dry_run'] as const;
export type RuleMode = (typeof RULE_MODES)[number];

/** The rules engine: shop-wide dry run and per-rule switches (both overridable per shop). */
export class RulesConfig {
  @IsBoolean()
  dryRun: boolean;
  /** rule name → on | off | dry_run */
  @IsObject()
  switches: Record<string, RuleMode>;
  @IsInt()
  @Min(1)
  @Max(5000)
  scanBatch: number;
  /** Due orders one evaluation job takes along, evaluated and recorded in one transaction. */
  @IsInt()
  @Min(1)
  @Max(500)
  evaluateBatch: number;
}

export class RemarksConfig {
  @IsString()
  @IsNotEmpty()
  botId: string;
  @IsInt()
  @Min(1)
  deadlineAfterPaymentMinutes: number;
  @IsString()
  separator: string;
  @IsObject()
  flags: Record<string, FlagColour>;
  @IsObject()
  templates: Record<string, string>;
}

export class UnpaidConfig {
  @IsBoolean()
  enabled: boolean;
  @IsInt()
  @Min(1)
  firstReminderAfterMinutes: number;
  @IsInt()
  @Min(0)
  secondReminderBeforeCloseHours: number;
  @IsInt()
  @Min(1)
  autoCloseHours: number;
  @IsInt()
  @Min(0)
  maxRemindersPerOrder: number;
  @IsInt()
  @Min(0)
  maxRemindersPerBuyerPerDay: number;
  @ValidateNested()
  @Type(() => QuietHoursConfig)
  quietHours: QuietHoursConfig;
  @IsString()
  template: string;
  @IsString()
  benefit: string;
  /** Buyer refs (OAID, open uid) the shop never chases. */
  @IsArray()
  @IsString({ each: true })
  doNotChase: string[];
}

export class ThresholdsConfig {
  @IsInt()
  @Min(1)
  zone1: number;
  @IsInt()
  @Min(1)
  zone2: number;
  @IsInt()
  @Min(1)
  zone3: number;
  @IsInt()
  @Min(1)
  notCollected: number;
}

export class WarehouseConfig {
  @IsString()
  @IsNotEmpty()
  province: string;
  /** zone number ("1" | "2" | "3") → provinces */
  @IsObject()
  zones: Record<string, string[]>;
}

export class LogisticsConfig {
  @ValidateNested()
  @Type(() => ThresholdsConfig)
  thresholdsHours: ThresholdsConfig;
  @IsInt()
  @Min(1)
  escalateAfterHours: number;
  @IsInt()
  @Min(1)
  fakeShipAfterHours: number;
  @IsInt()
  @Min(1)
  @Max(10000)
  scanBatch: number;
  @IsString()
  buyerMessage: string;
  @IsObject()
  warehouses: Record<string, WarehouseConfig>;
}

/** Order ingestion: polling windows per platform (platforms.md §8) and carrier tracking. */
export class OrdersSyncConfig {
  /** Each window starts this far before the previous one ended, so late-indexed changes are seen. */
  @IsInt()
  @Min(0)
  overlapMs: number;
  /** Where a shop's first poll starts; older history is the backfill's job. */
  @IsInt()
  @Min(60000)
  initialLookbackMs: number;
  /** Window length per resource; each platform's documented maximum still applies on top. */
  @IsObject()
  sliceMs: Record<string, number>;
  /** PDD: the window must end this far before platform time (FAQ says ≥ 3 min). */
  @IsInt()
  @Min(180000)
  pddLagMs: number;
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number;
  @IsInt()
  @Min(1)
  maxWindowsPerJob: number;
  /** A rate-limit wait up to this long is slept through inside the job; longer ones re-enqueue it. */
  @IsInt()
  @Min(0)
  inlineRateLimitWaitMs: number;
  /** How often a platform trace (Taobao online-send, Pinduoduo) is read for a parcel still on its way. */
  @IsInt()
  @Min(1)
  trackEveryMinutes: number;
  /** Shipments read per batch of the tracking job. */
  @IsInt()
  @Min(1)
  trackBatch: number;
  /** A subscribed waybill with no callback for this long is queried instead (the push may be lost). */
  @IsInt()
  @Min(1)
  trackSilenceMinutes: number;
  /** Pushed events one processing job takes along (its own included) and records in one transaction. */
  @IsInt()
  @Min(1)
  @Max(500)
  pushBatch: number;
  /** Order fetches one push batch runs at the same time. */
  @IsInt()
  @Min(1)
  @Max(100)
  pushFetchConcurrency: number;
  /** A push batch reads one shop's orders with list calls (instead of a detail call each) from this many orders on. */
  @IsInt()
  @Min(1)
  pushListMin: number;
  /** Added on both sides of the pushes' change times to make that list's update-time window. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  pushListMarginMs: number;
  /** Pages that list may read (more when the batch's orders alone would fill more). */
  @IsInt()
  @Min(1)
  @Max(100)
  pushListMaxPages: number;
}

export class PromotionConfig {
  @IsString()
  @IsNotEmpty()
  name: string;
  @Matches(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  start: string;
  @Matches(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  end: string;
}

export class ReshipConfig {
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  responsibleParties: string[];
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  reasons: string[];
  @IsInt()
  @Min(1)
  trackEveryMinutes: number;
}

export const MESSAGE_PURPOSES = ['unpaid_reminder', 'stall_notice', 'reship_tracking'] as const;
export type MessagePurpose = (typeof MESSAGE_PURPOSES)[number];

/** Buyer SMS: the shop's approved template per purpose and platform, and its signatures. */
export class BuyerMessagesConfig {
  @IsString()
  @IsNotEmpty()
  taobaoSignName: string;
  @IsString()
  @IsNotEmpty()
  kuaishouSignId: string;
  /** purpose → platform → template code */
  @IsObject()
  templates: Record<MessagePurpose, Record<string, string>>;
  /** purpose → text with {placeholders}, for purposes whose wording is not given by a rule */
  @IsObject()
  texts: Record<string, string>;
}

export class TasksConfig {
  @IsObject()
  slaMinutes: Record<string, number>;
  @IsInt()
  @Min(0)
  compensationAuthorityFen: number;
  @IsInt()
  @Min(0)
  @Max(100)
  outOfStockCompensationPercent: number;
  @IsInt()
  @Min(0)
  outOfStockCouponFen: number;
}

/** Kuaidi100 carrier codes (lower case) for what each marketplace says about a parcel's carrier. */
export class CarrierCodesConfig {
  /** Taobao names the carrier only (`company_name`): a name containing the key maps to the code. */
  @IsObject()
  names: Record<string, string>;
  /** Kuaishou `expressCode` → code. */
  @IsObject()
  kuaishou: Record<string, string>;
  /** Pinduoduo `logistics_id` → code. */
  @IsObject()
  pinduoduo: Record<string, string>;
}

/** The carrier-tracking service (Kuaidi100): its account, its caps and the carrier codes it speaks. */
export class TrackingServiceConfig {
  @Matches(/^https?:\/\/[^\s]+$/)
  baseUrl: string;
  /** Account id and key (KEFU_KUAIDI100_CUSTOMER / KEFU_KUAIDI100_KEY); empty = no carrier-tracking service. */
  @IsString()
  customer: string;
  @IsString()
  key: string;
  /** Queries of one waybill we allow ourselves per 24 h (the service locks it past its own cap). */
  @IsInt()
  @Min(1)
  queriesPerWaybillPerDay: number;
  /** Subscriptions of one waybill we make at most (the service caps them per month). */
  @IsInt()
  @Min(1)
  subscriptionsPerWaybill: number;
  /** Requests per second to the service, shared by every process. */
  @IsInt()
  @Min(1)
  requestsPerSecond: number;
  @ValidateNested()
  @Type(() => CarrierCodesConfig)
  carriers: CarrierCodesConfig;
}

export class PlatformEndpoints {
  @IsObject()
  taobao: { routerUrl: string; oauthTokenUrl: string; authorizeUrl: string };
  @IsObject()
  pinduoduo: { routerUrl: string; oauthTokenUrl: string; authorizeUrl: string; messageUrl: string };
  @IsObject()
  kuaishou: { baseUrl: string; oauthBaseUrl: string; authorizeUrl: string };
  @IsObject()
  jushuitan: { baseUrl: string; authBaseUrl: string; authorizeUrl: string };
  @ValidateNested()
  @Type(() => TrackingServiceConfig)
  tracking: TrackingServiceConfig;
  @IsInt()
  @Min(100)
  timeoutMs: number;
}

/** Shop tokens: how far ahead of expiry they are refreshed, or the operator asked to re-authorise. */
export class ShopTokensConfig {
  @IsInt()
  @Min(1)
  refreshLeadMinutes: number;
  @IsInt()
  @Min(1)
  reauthLeadHours: number;
}

export class ShopDirectoryConfig {
  /** How stale this process's view of the shops may be after another process changed one (0: always ask). */
  @IsInt()
  @Min(0)
  checkMs: number;
}

export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  env: 'development' | 'production' | 'test';
  @IsIn(ROLES)
  role: Role;
  @IsIn(['debug', 'info', 'warn', 'error'])
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  @IsString()
  @IsNotEmpty()
  dataDir: string;
  @IsString()
  @IsNotEmpty()
  timezone: string;
  /** Runs a process-local diagnostic probe job (used by operability checks and the multi-process tests). */
  @IsBoolean()
  diagnostics: boolean;

  @ValidateNested()
  @Type(() => ServerConfig)
  server: ServerConfig;
  @ValidateNested()
  @Type(() => DatabaseConfig)
  database: DatabaseConfig;
  @ValidateNested()
  @Type(() => QueueConfig)
  queue: QueueConfig;
  @ValidateNested()
  @Type(() => SecurityConfig)
  security: SecurityConfig;
  @ValidateNested()
  @Type(() => JobsConfig)
  jobs: JobsConfig;
  @ValidateNested()
  @Type(() => ActionsConfig)
  actions: ActionsConfig;
  @ValidateNested()
  @Type(() => SchedulerConfig)
  scheduler: SchedulerConfig;
  @ValidateNested()
  @Type(() => RulesConfig)
  rules: RulesConfig;
  @ValidateNested()
  @Type(() => RemarksConfig)
  remarks: RemarksConfig;
  @ValidateNested()
  @Type(() => UnpaidConfig)
  unpaid: UnpaidConfig;
  @ValidateNested()
  @Type(() => LogisticsConfig)
  logistics: LogisticsConfig;
  @ValidateNested()
  @Type(() => OrdersSyncConfig)
  orders: OrdersSyncConfig;
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PromotionConfig)
  promotions: PromotionConfig[];
  @ValidateNested()
  @Type(() => ReshipConfig)
  reship: ReshipConfig;
  @ValidateNested()
  @Type(() => BuyerMessagesConfig)
  buyerMessages: BuyerMessagesConfig;
  @ValidateNested()
  @Type(() => TasksConfig)
  tasks: TasksConfig;
  @ValidateNested()
  @Type(() => PlatformEndpoints)
  platforms: PlatformEndpoints;
  @ValidateNested()
  @Type(() => ShopTokensConfig)
  shopTokens: ShopTokensConfig;
  @ValidateNested()
  @Type(() => ShopDirectoryConfig)
  shopDirectory: ShopDirectoryConfig;
  /** Where platforms and browsers reach this service (OAuth redirects, tracking callbacks). */
  @IsString()
  @Matches(/^https?:\/\/[^\s]+$/)
  publicUrl: string;
}
