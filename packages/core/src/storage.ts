import type { ComponentKind, Host } from './component.js';
import { PermanentError } from './errors.js';

/**
 * A crash-safe key/value store owned by one component. A `set` that resolved survives a
 * kill -9; a `set` interrupted by one leaves either the old or the new value, never a mix.
 */
export interface StorageClient {
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, value: Buffer | string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys with the given prefix, sorted. */
  list(prefix?: string): Promise<string[]>;
  /** A directory this client may use for its own files (e.g. a write-ahead log). */
  readonly directory: string;
  /**
   * Moves an entry the caller found corrupt out of the way, with a warning naming it, so the
   * caller carries on (from scratch) and a human can still inspect it. Returns where it went.
   */
  setAside?(key: string, reason: string): Promise<string>;
}

export interface StorageExtension {
  readonly isStorage: true;
  /** The store for one component, isolated from every other component's keys. */
  client(kind: string, componentId: string): Promise<StorageClient>;
}

export function isStorageExtension(value: unknown): value is StorageExtension {
  return typeof value === 'object' && value !== null && (value as { isStorage?: unknown }).isStorage === true;
}

/**
 * The store of one component in the storage extension `storageId`: the one lookup every
 * component with a `storage` key uses. A PermanentError (ERR_STORAGE_MISSING) when no started
 * storage extension has that id (the config loader checks the reference; this is the backstop).
 */
export async function storageClient(host: Host, storageId: string, kind: ComponentKind, componentId: string): Promise<StorageClient> {
  const extension = host.getExtension(storageId);
  if (!isStorageExtension(extension))
    throw new PermanentError(`storage extension "${storageId}" is not available`, {
      code: 'ERR_STORAGE_MISSING',
      context: { storage: storageId, component: componentId },
    });
  return extension.client(kind, componentId);
}
