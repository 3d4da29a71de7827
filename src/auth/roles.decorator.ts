import { SetMetadata } from '@nestjs/common';

/**
 * Who uses kefu-bridge (rules.md §1): the shop operator, the agents (pre-, in- and after-sale), the
 * order auditor, warehouse staff, and the team lead who receives escalations.
 */
export const ROLES = ['operator', 'pre_sale', 'in_sale', 'after_sale', 'auditor', 'warehouse', 'lead'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_KEY = 'kefu:roles';
export const PUBLIC_KEY = 'kefu:public';

/** The roles allowed to call an endpoint (on a handler, or on a controller for all its handlers). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

/** An endpoint anyone may call without a token: health, platform callbacks and pushes, the API docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
