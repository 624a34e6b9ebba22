import { DurableStore } from './durable';
import { MemoryStore } from './memory';
import { KVStore } from './types';

export * from './types';
export { MemoryStore } from './memory';
export { DurableStore } from './durable';
export { Compactor, DEFAULT_COMPACTION_INTERVAL_MS } from './compactor';

export interface OpenStoreOptions {
  /** Where the log and snapshots live. Omitted: an in-memory store (tests, throwaway clusters). */
  dataDir?: string;
}

export async function openStore(options: OpenStoreOptions = {}): Promise<KVStore> {
  if (options.dataDir === undefined) return new MemoryStore();
  return DurableStore.open({ dataDir: options.dataDir });
}
