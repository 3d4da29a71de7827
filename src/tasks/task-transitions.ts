import { ConflictException } from '@nestjs/common';
import type { TaskEntity, TaskStatus } from './task.entity.js';

/** What can happen to a task, and from which states. Done and cancelled are final. */
export type TaskStep = 'claim' | 'complete' | 'escalate' | 'reassign' | 'contact' | 'compensate' | 'cancel' | 'resolve';

export const STEP_FROM: Record<TaskStep, readonly TaskStatus[]> = {
  claim: ['open', 'escalated'],
  complete: ['claimed'],
  escalate: ['open', 'claimed'],
  reassign: ['open', 'claimed', 'escalated'],
  contact: ['open', 'claimed', 'escalated'],
  compensate: ['open', 'claimed', 'escalated'],
  cancel: ['open', 'claimed', 'escalated'],
  resolve: ['open', 'claimed', 'escalated'],
};

export const UNFINISHED: readonly TaskStatus[] = ['open', 'claimed', 'escalated'];

const AS_PHRASE: Record<TaskStep, string> = {
  claim: 'claimed',
  complete: 'completed',
  escalate: 'escalated',
  reassign: 'reassigned',
  contact: 'marked as contacted again',
  compensate: 'given a compensation',
  cancel: 'cancelled',
  resolve: 'resolved',
};

/** 409 unless `step` may be taken from the task's current state. */
export function assertStep(task: TaskEntity, step: TaskStep): void {
  if (STEP_FROM[step].includes(task.status)) return;
  throw new ConflictException(`task ${task.id} is ${task.status}, so it cannot be ${AS_PHRASE[step]} (only a task that is ${STEP_FROM[step].join(' or ')})`);
}
