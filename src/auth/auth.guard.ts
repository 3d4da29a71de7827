import { ForbiddenException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { AuthUser } from './auth-user.js';
import { PUBLIC_KEY, ROLES_KEY, type Role } from './roles.decorator.js';
import { UsersService } from './users.service.js';

export type AuthedRequest = Request & { user?: AuthUser };

/**
 * Every route needs a valid bearer token unless it is @Public(); @Roles() then says who may call it.
 * A route with neither is refused to everyone, so a forgotten declaration fails closed.
 * Messages never repeat the presented token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthorizedException('a bearer token is required: Authorization: Bearer <token>');
    const user = await this.users.authenticate(token);
    if (!user) throw new UnauthorizedException('the bearer token is not valid, or its user is disabled');
    req.user = user;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed?.length) throw new ForbiddenException('this endpoint declares no roles, so nobody may call it');
    if (!user.has(...allowed)) throw new ForbiddenException(`this endpoint is for ${allowed.join(', ')}; your roles are ${user.roles.join(', ')}`);
    return true;
  }
}

function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}
