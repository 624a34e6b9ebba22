/**
 * The resources this server serves: one RegistryStore per ResourceDefinition, looked up by
 * group/version/resource for routing and by kind for discovery and subresources.
 */
import type { Clock } from '../clock';
import type { KVStore } from '../store/types';
import type { ResourceDefinition } from './registry/resource';
import { RegistryStore, type StorageConversion } from './registry/store';
import { fromCoreEvent, toCoreEvent } from './registry/kinds';
import { WatchedKeys } from './registry/watched-keys';

const EVENTS_V1_STORAGE: StorageConversion = { apiVersion: 'v1', kind: 'Event', toStorage: toCoreEvent, fromStorage: fromCoreEvent };
import type { AdmissionLookup, AdmissionPlugin } from './admission/types';

/** The resources admission plugins look up for every create (NamespaceLifecycle, ServiceAccount, Priority). */
const WATCHED_FOR_ADMISSION: readonly [string, string][] = [['', 'namespaces'], ['', 'serviceaccounts'], ['scheduling.k8s.io', 'priorityclasses']];

export class Registries {
  /** By resource name (plural), then the few group/versions serving it: found without building a key per request. */
  private readonly byResource = new Map<string, RegistryStore[]>();
  readonly all: RegistryStore[] = [];
  private watchedForAdmission = new Map<RegistryStore, WatchedKeys>();

  constructor(definitions: ResourceDefinition[], private readonly kv: KVStore, clock: Clock) {
    const coreNames = new Set(definitions.filter((d) => d.group === '').map((d) => d.resource));
    for (const def of definitions) {
      // `/registry/<resource>/` (cluster contract). events.k8s.io events live in core events'
      // storage, converted (as in kube-apiserver); any other non-core resource whose plural a core
      // one already uses gets its group in the prefix so the two never mix.
      const conversion = def.group === 'events.k8s.io' && def.resource === 'events' && coreNames.has('events') ? EVENTS_V1_STORAGE : undefined;
      const prefix = conversion ? undefined : def.group && coreNames.has(def.resource) ? `/registry/${def.group}/${def.resource}/` : undefined;
      const registry = new RegistryStore(def, kv, clock, prefix, conversion);
      const same = this.byResource.get(def.resource);
      const at = same?.findIndex((r) => r.def.group === def.group && r.def.version === def.version) ?? -1;
      if (!same) this.byResource.set(def.resource, [registry]);
      else if (at >= 0) same[at] = registry;
      else same.push(registry);
      this.all.push(registry);
    }
  }

  /** The first registry serving `group/resource` in any version (admission lookups name no version). */
  findAnyVersion(group: string, resource: string): RegistryStore | undefined {
    return this.all.find((r) => r.def.group === group && r.def.resource === resource);
  }

  /** Gives every registry the admission chain, with read-only lookups across all of them. */
  setAdmission(plugins: AdmissionPlugin[]): void {
    const lookup: AdmissionLookup = {
      get: async (group, resource, namespace, name) => {
        const registry = this.findAnyVersion(group, resource);
        if (!registry) return undefined;
        const kv = await registry.getKv(namespace, name);
        return kv ? registry.shared(kv) : undefined;
      },
      list: async (group, resource, namespace) => {
        const registry = this.findAnyVersion(group, resource);
        if (!registry) return [];
        const result = await registry.list({ namespace: namespace ?? '', selection: { everything: true, name: undefined, matches: () => true } });
        return registry.objectsOf(result);
      },
    };
    // What admission looks up for every create is kept in memory (watched-keys.ts).
    const watched = new Map<RegistryStore, WatchedKeys>();
    this.watchedForAdmission = watched;
    for (const [group, resource] of WATCHED_FOR_ADMISSION) {
      const registry = this.findAnyVersion(group, resource);
      if (!registry) continue;
      const keys = new WatchedKeys(this.kv, registry.prefix);
      void keys.start();
      watched.set(registry, keys);
    }
    lookup.peek = (group, resource, namespace, name) => {
      const registry = this.findAnyVersion(group, resource);
      const keys = registry && watched.get(registry);
      if (!keys) return undefined;
      const kv = keys.get(registry.key(namespace, name));
      return kv ? registry.shared(kv) : kv;
    };
    lookup.peekList = (group, resource) => {
      const registry = this.findAnyVersion(group, resource);
      const kvs = registry && watched.get(registry)?.list();
      return registry && kvs?.map((kv) => registry.shared(kv));
    };
    for (const registry of this.all) registry.admission = { plugins, lookup };
  }

  /** Stops admission's watches and every registry's timers (ApiServer.stop). */
  stop(): void {
    for (const keys of this.watchedForAdmission.values()) keys.stop();
    for (const registry of this.all) registry.stop();
  }

  find(group: string, version: string, resource: string): RegistryStore | undefined {
    const candidates = this.byResource.get(resource);
    if (candidates === undefined) return undefined;
    for (const r of candidates) if (r.def.group === group && r.def.version === version) return r;
    return undefined;
  }

  core(resource: string): RegistryStore {
    const r = this.find('', 'v1', resource);
    if (!r) throw new Error(`core resource ${resource} is not registered`);
    return r;
  }

  /** Group-versions served, core first, then groups in name order (discovery and /openapi/v3 read this). */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const r of this.all) seen.set(`${r.def.group}/${r.def.version}`, { group: r.def.group, version: r.def.version });
    return [...seen.values()].sort((a, b) => (a.group === b.group ? 0 : a.group === '' ? -1 : b.group === '' ? 1 : a.group < b.group ? -1 : 1));
  }

  inGroupVersion(group: string, version: string): RegistryStore[] {
    return this.all.filter((r) => r.def.group === group && r.def.version === version);
  }
}
