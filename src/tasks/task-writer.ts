import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { Clock } from '../common/clock.js';
import { TaskEntity, type TaskHistoryEntry } from './task.entity.js';
import { assertStep, type TaskStep } from './task-transitions.js';

/** Who takes a step: a person (their label and user id) or the system. */
export interface Actor {
  label: string;
  userId?: number;
}

/** The fields a step changes, and the note its history entry carries. */
export type TaskChange = Partial<Pick<TaskEntity, 'status' | 'assignee' | 'priority' | 'outcome'>> & Pick<TaskHistoryEntry, 'note' | 'compensation'>;

const ATTEMPTS = 5;

/**
 * Writes one step of a task. Every write is a compare-and-set on the task's version, so two people
 * claiming at once, or a rule resolving a task while an agent completes it, never both apply: the loser
 * re-reads the task and is judged again on what it now is (usually a 409 naming the new state).
 */
@Injectable()
export class TaskWriter {
  constructor(
    @InjectRepository(TaskEntity) private readonly repo: Repository<TaskEntity>,
    private readonly clock: Clock,
  ) {}

  async apply(id: number, step: TaskStep, by: Actor, decide: (task: TaskEntity) => TaskChange | Promise<TaskChange>, manager?: EntityManager): Promise<TaskEntity> {
    const repo = manager ? manager.getRepository(TaskEntity) : this.repo;
    // Inside a MySQL transaction a plain read repeats the transaction's snapshot, so a retry would see
    // the same stale row forever: read with a row lock there instead (SQLite has one writer anyway).
    const lock = manager?.queryRunner?.isTransactionActive && repo.manager.connection.options.type === 'mysql' ? { lock: { mode: 'pessimistic_write' as const } } : {};
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const task = await repo.findOne({ where: { id }, ...lock });
      if (!task) throw new NotFoundException(`task ${id} not found`);
      assertStep(task, step);
      const { note, compensation, ...change } = await decide(task);
      const now = this.clock.now();
      const entry: TaskHistoryEntry = { at: now.toISOString(), by: by.label, event: step, ...(by.userId ? { userId: by.userId } : {}), ...(note ? { note: note.slice(0, 500) } : {}), ...(compensation ? { compensation } : {}) };
      const next = { ...change, history: [...task.history, entry], version: task.version + 1, updatedAt: now };
      const res = await repo
        .createQueryBuilder()
        .update(TaskEntity)
        .set(next)
        .where('id = :id AND version = :version', { id, version: task.version })
        .execute();
      if (res.affected === 1) return Object.assign(task, next);
    }
    throw new ConflictException(`task ${id} kept changing while this step was tried; try again`);
  }
}
