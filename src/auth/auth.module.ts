import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthGuard } from './auth.guard.js';
import { RouteInventory } from './route-inventory.js';
import { UserEntity } from './user.entity.js';
import { MeController, UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** Users, API tokens and the guard every HTTP route passes. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), DiscoveryModule],
  controllers: [UsersController, MeController],
  providers: [UsersService, RouteInventory, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersService, RouteInventory],
})
export class AuthModule {}
