import { statSync } from 'node:fs';

const POLL_MS = 2000;
const SETTLE_MS = 300;

/**
 * Calls `onChange` once a watched file differs (inode, size or mtime) from what it was when the
 * set was loaded, and has been quiet for a moment (an editor writes in several steps; a deploy
 * replaces several files). Plain stat polling of a known, small list of files: it works on
 * every filesystem, bind mount and rename-replace, never misses a write made before the first
 * poll, and never keeps the process alive. Each change is reported once: a change that yields
 * an invalid set is not retried until the files change again.
 */
export class FileWatch {
  readonly #onChange: () => void;
  readonly #baseline = new Map<string, string>();
  #poll: NodeJS.Timeout | undefined;
  #settle: NodeJS.Timeout | undefined;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Watches exactly these files from now on, as they are now. */
  watch(files: readonly string[]): void {
    this.close();
    for (const file of new Set(files)) this.#baseline.set(file, fingerprint(file));
    this.#poll = setInterval(() => this.#check(), POLL_MS);
    this.#poll.unref();
  }

  #check(): void {
    let changed = false;
    for (const [file, seen] of this.#baseline) {
      const now = fingerprint(file);
      if (now === seen) continue;
      this.#baseline.set(file, now);
      changed = true;
    }
    if (!changed) return;
    if (this.#settle) clearTimeout(this.#settle);
    this.#settle = setTimeout(() => {
      this.#settle = undefined;
      this.#onChange();
    }, SETTLE_MS);
    this.#settle.unref();
  }

  close(): void {
    if (this.#poll) clearInterval(this.#poll);
    if (this.#settle) clearTimeout(this.#settle);
    this.#poll = undefined;
    this.#settle = undefined;
    this.#baseline.clear();
  }
}

function fingerprint(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'absent';
  }
}
