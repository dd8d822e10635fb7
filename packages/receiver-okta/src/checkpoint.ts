import type { StorageClient } from '@oktel/core';

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

export function storageCheckpoints(client: StorageClient): CheckpointStore {
  return {
    async load() {
      const raw = await client.get(KEY);
      if (!raw) return undefined;
      const value = JSON.parse(raw.toString('utf8')) as Partial<Checkpoint>;
      if (typeof value.next !== 'string') throw new Error(`the stored checkpoint in ${client.directory} has no cursor`);
      return { next: value.next, filter: value.filter ?? '', recentIds: Array.isArray(value.recentIds) ? value.recentIds : [] };
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
