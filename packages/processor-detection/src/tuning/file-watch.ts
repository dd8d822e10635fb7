import { unwatchFile, watchFile, type Stats } from 'node:fs';

const POLL_MS = 2000;
const SETTLE_MS = 300;

/**
 * Calls `onChange` once the watched files stop changing for a moment (an editor writes a file in
 * several steps; a deploy replaces several files). Stat polling rather than inotify: it works
 * the same on every filesystem, on bind mounts and on files replaced by rename, and never keeps
 * the process alive.
 */
export class FileWatch {
  readonly #onChange: () => void;
  #files: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #listener = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onChange();
    }, SETTLE_MS);
    this.#timer.unref();
  };

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** Watches exactly these files from now on. */
  watch(files: readonly string[]): void {
    this.close();
    this.#files = [...new Set(files)];
    for (const file of this.#files) watchFile(file, { interval: POLL_MS, persistent: false }, this.#listener);
  }

  close(): void {
    for (const file of this.#files) unwatchFile(file, this.#listener);
    this.#files = [];
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
