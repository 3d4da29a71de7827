/**
 * `npm run users:create -- --name 王芳 --roles operator [--agent kf01] [--shops 1,2]`: creates a user and
 * prints their API token once (it is stored only as a hash). This is how the first operator gets in;
 * later users are made by an operator through POST /api/users.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SystemClock } from '../common/clock.js';
import { loadConfig } from '../config/config.loader.js';
import { createDataSource } from '../database/data-source.factory.js';
import { runMigrationsLocked } from '../database/migration-runner.js';
import { CreateUserDto } from './dto/user.dto.js';
import { UserEntity } from './user.entity.js';
import { UsersService } from './users.service.js';

function readInput(argv: string[]): CreateUserDto {
  const { values } = parseArgs({
    args: argv,
    options: { name: { type: 'string' }, roles: { type: 'string' }, agent: { type: 'string' }, shops: { type: 'string' }, role: { type: 'string' } },
    strict: true,
  });
  const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const dto = plainToInstance(CreateUserDto, {
    name: values.name,
    roles: list(values.roles),
    agentId: values.agent,
    shopIds: values.shops === undefined ? undefined : list(values.shops).map(Number),
  });
  const problems = validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));
  if (problems.length) throw new Error(`${problems.join('; ')}\nusage: npm run users:create -- --name <name> --roles operator[,lead] [--agent kf01] [--shops 1,2]`);
  return dto;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const input = readInput(args);
  const config = loadConfig({ argv: process.argv });
  const ds = await createDataSource(config.database).initialize();
  try {
    await runMigrationsLocked(ds);
    const users = new UsersService(ds.getRepository(UserEntity), new SystemClock());
    const { user, token } = await users.create(input);
    process.stdout.write(`user ${user.id} (${user.name}, ${user.roles.join(', ')}) created.\n`);
    process.stdout.write(`API token, shown only now: ${token}\n`);
    process.stdout.write(`use it as the header  Authorization: Bearer <token>\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`users:create failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
