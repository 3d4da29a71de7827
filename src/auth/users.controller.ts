import { BadRequestException, Body, Controller, ForbiddenException, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Put } from '@nestjs/common';
import type { AuthUser } from './auth-user.js';
import { CurrentUser } from './current-user.decorator.js';
import { CreateUserDto, DutyDto, UpdateUserDto } from './dto/user.dto.js';
import { ROLES, Roles } from './roles.decorator.js';
import { userView, UsersService, type UserView } from './users.service.js';

const UserId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

/** Operators manage the people who use the API. A new or rotated token is shown in this answer only. */
@Controller('api/users')
@Roles('operator')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  async create(@CurrentUser() me: AuthUser, @Body() dto: CreateUserDto): Promise<{ user: UserView; token: string }> {
    managesEveryone(me);
    const { user, token } = await this.users.create(dto);
    return { user: userView(user), token };
  }

  @Get()
  async list(@CurrentUser() me: AuthUser): Promise<UserView[]> {
    managesEveryone(me);
    return (await this.users.list()).map(userView);
  }

  @Get(':id')
  async show(@CurrentUser() me: AuthUser, @Param('id', UserId) id: number): Promise<UserView> {
    managesEveryone(me);
    return userView(await this.users.get(id));
  }

  @Patch(':id')
  async update(@CurrentUser() me: AuthUser, @Param('id', UserId) id: number, @Body() dto: UpdateUserDto): Promise<UserView> {
    managesEveryone(me);
    return userView(await this.users.update(id, dto));
  }

  @Post(':id/token')
  @HttpCode(200)
  async rotate(@CurrentUser() me: AuthUser, @Param('id', UserId) id: number): Promise<{ user: UserView; token: string }> {
    managesEveryone(me);
    const { user, token } = await this.users.rotateToken(id);
    return { user: userView(user), token };
  }

  @Post(':id/disable')
  @HttpCode(200)
  async disable(@CurrentUser() me: AuthUser, @Param('id', UserId) id: number): Promise<UserView> {
    managesEveryone(me);
    return userView(await this.users.setDisabled(id, true));
  }

  @Post(':id/enable')
  @HttpCode(200)
  async enable(@CurrentUser() me: AuthUser, @Param('id', UserId) id: number): Promise<UserView> {
    managesEveryone(me);
    return userView(await this.users.setDisabled(id, false));
  }
}

/** Every user's own view of themselves, and going on and off duty. */
@Controller('api/me')
@Roles(...ROLES)
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async me(@CurrentUser() me: AuthUser): Promise<UserView> {
    return userView(await this.users.get(me.id));
  }

  @Put('duty')
  async duty(@CurrentUser() me: AuthUser, @Body() dto: DutyDto): Promise<UserView> {
    return userView(await this.users.setDuty(me.id, dto.onDuty));
  }
}

/** A shop-scoped operator could otherwise hand out access to shops outside their own. */
function managesEveryone(me: AuthUser): void {
  if (me.shopIds !== null) throw new ForbiddenException('managing users needs an operator of every shop');
}
