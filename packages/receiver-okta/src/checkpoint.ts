import { join } from 'node:path';
import type { Logger, StorageClient } from '@oktel/core';

export interface Checkpoint {
  /** The next link to follow, exactly as Okta returned it. */
  next: string;
  /** The filter the cursor was started with: Okta bakes it into the next link. */
  filter: string;
  recentIds: string[];
}

const KEY = 'checkpoint';

/** Where the cursor lives: the storage extension, or memory when none is configured. */
export interface CheckpointStore {
  load(): Promise<Checkpoint | undefined>;
  save(checkpoint: Checkpoint): Promise<void>;
}

/** The checkpoint if `raw` is one, or why not. Stored state is untrusted input. */
export function parseCheckpoint(raw: string): Checkpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'it is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'it is not a JSON object';
  const { next, filter, recentIds } = value as Record<string, unknown>;
  if (typeof next !== 'string' || next === '') return 'it has no cursor ("next")';
  if (filter !== undefined && typeof filter !== 'string') return '"filter" is not a string';
  if (recentIds !== undefined && !(Array.isArray(recentIds) && recentIds.every((id) => typeof id === 'string'))) return '"recentIds" is not a list of strings';
  return { next, filter: (filter as string | undefined) ?? '', recentIds: (recentIds as string[] | undefined) ?? [] };
}

/**
 * The cursor in a storage extension. A checkpoint that does not parse is moved aside (kept
 * under `checkpoint.corrupt-<time>` for a human to look at) with a warning naming it, and the
 * receiver starts from `since`: a broken file must never stop start-up.
 */
export function storageCheckpoints(client: StorageClient, logger?: Logger): CheckpointStore {
  return {
    async load() {
      const raw = await client.get(KEY);
      if (!raw) return undefined;
      const parsed = parseCheckpoint(raw.toString('utf8'));
      if (typeof parsed !== 'string') return parsed;
      const aside = `${KEY}.corrupt-${Date.now()}`;
      await client.set(aside, raw);
      await client.delete(KEY);
      logger?.warn(
        `The checkpoint ${join(client.directory, KEY)} is unusable (${parsed}); moved it aside to ${join(client.directory, aside)} and starting from since.`,
      );
      return undefined;
    },
    save: (checkpoint) => client.set(KEY, JSON.stringify(checkpoint)),
  };
}

export function memoryCheckpoints(): CheckpointStore & { current: Checkpoint | undefined } {
  const store = {
    current: undefined as Checkpoint | undefined,
    load: async () => store.current,
    save: async (checkpoint: Checkpoint) => {
      store.current = checkpoint;
    },
  };
  return store;
}
