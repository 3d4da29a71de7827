/**
 * The one place that reads the environment and config/*.yaml.
 *
 * Order: config/default.yaml, then the optional override file (KEFU_CONFIG_FILE), then environment
 * variables for infrastructure. The result is validated as a whole; any problem stops start-up with
 * a message naming the key (the environment variable, or the YAML path).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { AppConfig, ROLES, type MasterKeyConfig, type Role } from './config.schema.js';

export type Env = Record<string, string | undefined>;

export interface LoadConfigInput {
  /** Defaults to the process environment. */
  env?: Env;
  argv?: string[];
  /** Extra values merged last (tests); same shape as the YAML. */
  overrides?: Record<string, unknown>;
}

/** Finds the project root (the folder holding config/default.yaml) from this file's location. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'config', 'default.yaml'))) return dir;
    dir = dirname(dir);
  }
  throw new ConfigError(['config/default.yaml: not found above ' + dirname(fileURLToPath(import.meta.url))]);
}

export function loadConfig(input: LoadConfigInput = {}): AppConfig {
  const env = input.env ?? process.env;
  const root = projectRoot();
  const problems: string[] = [];
  const base = readYaml(join(root, 'config', 'default.yaml'), 'config/default.yaml', problems);
  const overrideFile = env.KEFU_CONFIG_FILE;
  const override = overrideFile ? readYaml(resolve(root, overrideFile), 'KEFU_CONFIG_FILE', problems) : {};
  const merged = deepMerge(deepMerge(base, override), input.overrides ?? {});
  const infra = infrastructure(env, input.argv ?? [], root, merged, problems);
  if (problems.length) throw new ConfigError(problems);

  const config = plainToInstance(AppConfig, { ...merged, ...infra }, { enableImplicitConversion: false });
  const errors = validateSync(config, { forbidUnknownValues: false });
  if (errors.length) throw new ConfigError(flattenErrors(errors, ''));
  return config;
}

function readYaml(path: string, label: string, problems: string[]): Record<string, unknown> {
  if (!existsSync(path)) {
    problems.push(`${label}: file not found (${path})`);
    return {};
  }
  try {
    const value: unknown = parseYaml(readFileSync(path, 'utf8'));
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${label}: must be a YAML mapping`);
      return {};
    }
    return value as Record<string, unknown>;
  } catch (err) {
    problems.push(`${label}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    return {};
  }
}

function infrastructure(
  env: Env,
  argv: string[],
  root: string,
  yaml: Record<string, unknown>,
  problems: string[],
): Record<string, unknown> {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV: must be development, production or test (got "${nodeEnv}")`);
  }
  const dataDir = resolvePath(root, env.KEFU_DATA_DIR ?? 'data');
  const server = (yaml.server ?? {}) as Record<string, unknown>;
  const scheduler = (yaml.scheduler ?? {}) as Record<string, unknown>;
  return {
    env: nodeEnv,
    role: roleFrom(env, argv, problems),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    dataDir,
    diagnostics: bool(env.KEFU_DIAGNOSTICS, 'KEFU_DIAGNOSTICS', false, problems),
    server: { ...server, port: int(env.PORT, 'PORT', server.port as number, problems) },
    database: databaseFrom(env, dataDir, root, problems),
    queue: queueFrom(env, problems),
    security: securityFrom(env, nodeEnv, dataDir, problems),
    scheduler: { ...scheduler, enabled: bool(env.KEFU_SCHEDULER, 'KEFU_SCHEDULER', scheduler.enabled !== false, problems) },
    platforms: platformsFrom(env, yaml.platforms as Record<string, unknown> | undefined, problems),
    publicUrl: (env.KEFU_PUBLIC_URL ?? `http://127.0.0.1:${env.PORT ?? String((server.port as number | undefined) ?? 3000)}`).replace(/\/$/, ''),
  };
}

/**
 * KEFU_SANDBOX_URL points every platform at the sandbox's prefixes instead of the real gateways; it
 * moves endpoints only, so the tracking account keys still come from YAML or KEFU_KUAIDI100_*.
 */
function platformsFrom(env: Env, yaml: Record<string, unknown> | undefined, problems: string[]): Record<string, unknown> | undefined {
  const sandbox = env.KEFU_SANDBOX_URL?.replace(/\/$/, '');
  const tracking = {
    ...(yaml?.tracking as Record<string, unknown> | undefined),
    ...(env.KEFU_KUAIDI100_CUSTOMER !== undefined ? { customer: env.KEFU_KUAIDI100_CUSTOMER } : {}),
    ...(env.KEFU_KUAIDI100_KEY !== undefined ? { key: env.KEFU_KUAIDI100_KEY } : {}),
  };
  if (!sandbox) return { ...yaml, tracking };
  if (!/^https?:\/\//.test(sandbox)) problems.push('KEFU_SANDBOX_URL: must be an http(s) URL');
  const ws = sandbox.replace(/^http/, 'ws');
  return {
    ...yaml,
    taobao: { routerUrl: `${sandbox}/taobao/router/rest`, oauthTokenUrl: `${sandbox}/taobao/oauth/token`, authorizeUrl: `${sandbox}/taobao/oauth/authorize` },
    pinduoduo: {
      routerUrl: `${sandbox}/pinduoduo/api/router`,
      oauthTokenUrl: `${sandbox}/pinduoduo/oauth/token`,
      authorizeUrl: `${sandbox}/pinduoduo/oauth/authorize`,
      messageUrl: `${ws}/pinduoduo`,
    },
    kuaishou: { baseUrl: `${sandbox}/kuaishou`, oauthBaseUrl: `${sandbox}/kuaishou`, authorizeUrl: `${sandbox}/kuaishou/oauth/authorize` },
    jushuitan: { baseUrl: `${sandbox}/jushuitan`, authBaseUrl: `${sandbox}/jushuitan`, authorizeUrl: `${sandbox}/jushuitan/auth` },
    tracking: { ...tracking, baseUrl: `${sandbox}/kuaidi100` },
  };
}

function roleFrom(env: Env, argv: string[], problems: string[]): Role {
  const flag = argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  const value = flag ?? env.KEFU_ROLE ?? 'both';
  if (!(ROLES as readonly string[]).includes(value)) {
    problems.push(`${flag ? '--role' : 'KEFU_ROLE'}: must be one of ${ROLES.join(', ')} (got "${value}")`);
    return 'both';
  }
  return value as Role;
}

function databaseFrom(env: Env, dataDir: string, root: string, problems: string[]): Record<string, unknown> {
  const url = env.DATABASE_URL?.trim();
  const poolSize = int(env.DATABASE_POOL_SIZE, 'DATABASE_POOL_SIZE', 10, problems);
  if (!url) return { driver: 'sqlite', url: join(dataDir, 'kefu.sqlite'), poolSize: 1 };
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  if (scheme === 'mysql:' || scheme === 'mariadb:') {
    try {
      const parsed = new URL(url);
      if (!parsed.pathname || parsed.pathname === '/') problems.push('DATABASE_URL: must name a database (mysql://user:pass@host:3306/kefu)');
    } catch {
      problems.push('DATABASE_URL: not a valid URL');
    }
    return { driver: 'mysql', url: scheme === 'mariadb:' ? 'mysql:' + url.slice(scheme.length) : url, poolSize };
  }
  if (scheme === 'sqlite:') return { driver: 'sqlite', url: resolvePath(root, url.slice('sqlite:'.length).replace(/^\/\//, '')), poolSize: 1 };
  problems.push(`DATABASE_URL: unsupported scheme "${scheme || url}" (use mysql:// or sqlite:<file>, or leave it unset for the embedded SQLite)`);
  return { driver: 'sqlite', url: ':invalid:', poolSize: 1 };
}

function queueFrom(env: Env, problems: string[]): Record<string, unknown> {
  const url = env.REDIS_URL?.trim();
  const prefix = env.KEFU_QUEUE_PREFIX ?? 'kefu';
  if (!url) return { driver: 'memory', prefix };
  if (!/^rediss?:\/\//i.test(url)) {
    problems.push(`REDIS_URL: unsupported scheme (use redis:// or rediss://, or leave it unset for the in-process queue)`);
  }
  return { driver: 'redis', redisUrl: url, prefix };
}

function securityFrom(env: Env, nodeEnv: string, dataDir: string, problems: string[]): Record<string, unknown> {
  const id = env.KEFU_MASTER_KEY_ID ?? 'k1';
  let masterKey: MasterKeyConfig | undefined;
  if (env.KEFU_MASTER_KEY) masterKey = { id, key: decodeKey(env.KEFU_MASTER_KEY, 'KEFU_MASTER_KEY', problems) };
  else if (nodeEnv === 'production') problems.push('KEFU_MASTER_KEY: required when NODE_ENV=production (32 bytes, base64)');
  else masterKey = { id: 'dev', key: devMasterKey(dataDir) };
  const previousKeys = (env.KEFU_PREVIOUS_MASTER_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(':');
      if (at < 1) problems.push('KEFU_PREVIOUS_MASTER_KEYS: each entry must be <id>:<base64 key>');
      return { id: pair.slice(0, at), key: decodeKey(pair.slice(at + 1), 'KEFU_PREVIOUS_MASTER_KEYS', problems) };
    });
  return { masterKey: masterKey ?? { id, key: Buffer.alloc(32) }, previousKeys };
}

function decodeKey(value: string, name: string, problems: string[]): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) problems.push(`${name}: must be 32 bytes encoded in base64 (got ${key.length} bytes)`);
  return key;
}

/** Outside production a key is generated once and kept beside the embedded database. */
function devMasterKey(dataDir: string): Buffer {
  const file = join(dataDir, 'master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

function int(value: string | undefined, name: string, fallback: number, problems: string[]): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) problems.push(`${name}: must be a whole number (got "${value}")`);
  return Number(value);
}

function bool(value: string | undefined, name: string, fallback: boolean, problems: string[]): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'off', 'no'].includes(value.toLowerCase())) return false;
  problems.push(`${name}: must be on or off (got "${value}")`);
  return fallback;
}

function resolvePath(root: string, p: string): string {
  return isAbsolute(p) ? p : resolve(root, p);
}

/** Merges `b` over `a` key by key (plain objects recurse; arrays and values replace). */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** class-validator errors as `<label> <path>: <message>` lines, each naming the key it is about. */
export function flattenErrors(errors: ValidationError[], prefix: string, label = 'config '): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${label}${path}: ${m.replace(/^\S+ /, '')}`);
    return [...own, ...flattenErrors(e.children ?? [], path, label)];
  });
}
