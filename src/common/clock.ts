/** Every piece of code that needs "now" asks a Clock, so tests and scenarios can move time. */
export abstract class Clock {
  abstract now(): Date;
  nowMs(): number {
    return this.now().getTime();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests set by hand. */
export class ManualClock extends Clock {
  constructor(private current: number = Date.now()) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(ms: number | Date): void {
    this.current = typeof ms === 'number' ? ms : ms.getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
