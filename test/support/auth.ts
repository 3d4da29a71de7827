/** Authenticates test calls to the API: a user with the given roles and the header that carries its token. */
import type { INestApplicationContext } from '@nestjs/common';
import type { Role } from '../../src/auth/roles.decorator.js';
import { UsersService } from '../../src/auth/users.service.js';

export interface TestUser {
  roles: Role[];
  /** Shops the user may see; all shops when omitted. */
  shopIds?: number[];
  /** The agent id written in remark lines, e.g. `kf01`. */
  agentId?: string;
  name?: string;
  /** Roles the user is on duty for; all of `roles` when omitted. */
  onDuty?: Role[];
}

export interface AuthHeader {
  Authorization: string;
  [header: string]: string;
}

let made = 0;

/** Creates a user with `user.roles` in the app's database and returns its `Authorization` header. */
export async function authAs(t: { app: INestApplicationContext }, user: TestUser): Promise<AuthHeader> {
  const { token } = await t.app.get(UsersService).create({
    name: user.name ?? `${user.roles.join('+')} ${++made}`,
    roles: user.roles,
    agentId: user.agentId,
    shopIds: user.shopIds,
    onDuty: user.onDuty,
  });
  return { Authorization: `Bearer ${token}` };
}
