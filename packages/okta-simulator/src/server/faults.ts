/** Failures the simulator can be told to produce on the next requests to /api/v1/logs. */
export type Fault =
  | { kind: 'status'; status: number }
  | { kind: 'html' }
  | { kind: 'truncated' }
  | { kind: 'invalid_json' }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number };

export class FaultQueue {
  readonly #queue: Fault[] = [];

  add(fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.#queue.push(fault);
  }

  next(): Fault | undefined {
    return this.#queue.shift();
  }

  get pending(): number {
    return this.#queue.length;
  }
}
