import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ROLES, Roles } from '../auth/roles.decorator.js';
import { CancelTaskDto, CompensateTaskDto, CompleteTaskDto, ContactTaskDto, EscalateTaskDto, ListTasksQuery, ReassignTaskDto } from './dto/task.dto.js';
import { TaskQuery } from './task-query.js';
import { TaskSteps } from './task-steps.service.js';
import { TaskViews, type TaskView } from './task.view.js';
import type { TaskEntity } from './task.entity.js';

const TaskId = new ParseIntPipe({ exceptionFactory: () => new BadRequestException('id must be a whole number') });

/** Tasks for people (rules.md §7): everyone works the tasks of their roles; leads and operators steer. */
@Controller('api/tasks')
@Roles(...ROLES)
export class TasksController {
  constructor(
    private readonly query: TaskQuery,
    private readonly steps: TaskSteps,
    private readonly views: TaskViews,
  ) {}

  @Get()
  async list(@CurrentUser() me: AuthUser, @Query() q: ListTasksQuery): Promise<{ items: TaskView[]; total: number; page: number; pageSize: number }> {
    const page = await this.query.list(me, q);
    return { ...page, items: await this.views.build(page.items, me) };
  }

  @Get(':id')
  async show(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number): Promise<TaskView> {
    return this.view(await this.query.get(me, id), me);
  }

  @Post(':id/claim')
  @HttpCode(200)
  async claim(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number): Promise<TaskView> {
    return this.view(await this.steps.claim(id, me), me);
  }

  @Post(':id/complete')
  @HttpCode(200)
  async complete(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number, @Body() dto: CompleteTaskDto): Promise<TaskView> {
    return this.view(await this.steps.complete(id, me, dto.outcome), me);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  async escalate(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number, @Body() dto: EscalateTaskDto): Promise<TaskView> {
    return this.view(await this.steps.escalate(id, me, dto.reason), me);
  }

  /** The buyer contacted the shop again about this (二次进线): the task's priority goes up. */
  @Post(':id/contact')
  @HttpCode(200)
  async contact(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number, @Body() dto: ContactTaskDto): Promise<TaskView> {
    return this.view(await this.steps.contact(id, me, dto.note), me);
  }

  /** A compensation for the buyer: within the agent's authority it is recorded; above it the task goes to a lead. */
  @Post(':id/compensate')
  @HttpCode(200)
  async compensate(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number, @Body() dto: CompensateTaskDto): Promise<TaskView> {
    return this.view(await this.steps.compensate(id, me, dto.amountFen, dto.note), me);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles('lead', 'operator')
  async reassign(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number, @Body() dto: ReassignTaskDto): Promise<TaskView> {
    return this.view(await this.steps.reassign(id, me, dto.userId), me);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('lead', 'operator')
  async cancel(@CurrentUser() me: AuthUser, @Param('id', TaskId) id: number, @Body() dto: CancelTaskDto): Promise<TaskView> {
    return this.view(await this.steps.cancel(id, me, dto.reason), me);
  }

  private async view(task: TaskEntity, me: AuthUser): Promise<TaskView> {
    const [v] = await this.views.build([task], me);
    return v;
  }
}
