/**
 * The uuids of the most recently delivered events, oldest evicted first. Okta's polling can
 * return an event on two pages (around late arrivals); this set drops the second copy.
 */
export class RecentIds {
  readonly #ids = new Set<string>();

  constructor(
    readonly capacity: number,
    initial: readonly string[] = [],
  ) {
    this.addAll(initial);
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  addAll(ids: readonly string[]): void {
    if (this.capacity === 0) return;
    for (const id of ids) {
      this.#ids.delete(id);
      this.#ids.add(id);
    }
    for (const id of this.#ids) {
      if (this.#ids.size <= this.capacity) break;
      this.#ids.delete(id);
    }
  }

  toArray(): string[] {
    return [...this.#ids];
  }
}
