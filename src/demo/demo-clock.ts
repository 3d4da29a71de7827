import { Clock } from '../common/clock.js';
import type { RunningSandbox } from '../sandbox/server.js';

/**
 * The service reads the sandbox's virtual time, so polling windows, request timestamps and rule
 * deadlines agree with the platforms while the demo runs a day forward in a couple of minutes.
 */
export class DemoClock extends Clock {
  constructor(private readonly sb: RunningSandbox) {
    super();
  }

  now(): Date {
    return new Date(this.sb.clock.now());
  }
}
