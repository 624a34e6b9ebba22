/**
 * The compact field index generated from the Kubernetes 1.32 OpenAPI spec (dist/schema/field-index.json):
 * what a field is, for hovers, explanations, strict field validation and patch metadata.
 *
 * Paths are segment arrays (`['spec', 'containers', 0, 'image']`) or the dotted form kube-apiserver
 * prints (`spec.containers[0].image`). Lookups are forgiving about list indices: `spec.containers.image`
 * steps into the list's items as `spec.containers[0].image` would, which is what patch code walking a
 * schema without concrete indices needs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFieldPath, parseFieldPath } from './field-path';
import { schemaAssetsDir } from './location';
import type {
  FieldIndexFile,
  FieldInfo,
  FieldPathSegment,
  GroupVersionKind,
  PatchMeta,
  SchemaDefinition,
  SchemaNode,
  SchemaType,
} from './types';

export interface KindSchema {
  /** Definition name, e.g. io.k8s.api.core.v1.Pod. */
  name: string;
  definition: SchemaDefinition;
}

type PathInput = readonly FieldPathSegment[] | string;

export function gvkKey({ group, version, kind }: GroupVersionKind): string {
  return group ? `${group}/${version}/${kind}` : `${version}/${kind}`;
}

export class FieldIndex {
  constructor(private readonly file: FieldIndexFile) {}

  get kubernetesVersion(): string {
    return this.file.kubernetesVersion;
  }

  definition(name: string): SchemaDefinition | undefined {
    return Object.prototype.hasOwnProperty.call(this.file.definitions, name) ? this.file.definitions[name] : undefined;
  }

  /** The schema of a kind, e.g. {group: '', version: 'v1', kind: 'Pod'} → io.k8s.api.core.v1.Pod. */
  schemaForKind(gvk: GroupVersionKind): KindSchema | undefined {
    const key = gvkKey(gvk);
    const name = Object.prototype.hasOwnProperty.call(this.file.gvks, key) ? this.file.gvks[key] : undefined;
    const definition = name === undefined ? undefined : this.definition(name);
    return name === undefined || definition === undefined ? undefined : { name, definition };
  }

  /** Every group/version that serves a kind of this name (`Deployment` → apps/v1), in index order. */
  versionsOfKind(kind: string): GroupVersionKind[] {
    const out: GroupVersionKind[] = [];
    for (const key of Object.keys(this.file.gvks)) {
      const parts = key.split('/');
      if (parts[parts.length - 1] !== kind) continue;
      out.push(parts.length === 2 ? { group: '', version: parts[0], kind } : { group: parts[0], version: parts[1], kind });
    }
    return out;
  }

  /** The definition a node stands for: the one it refers to, or the node itself when inline. */
  deref(node: SchemaNode): SchemaDefinition {
    return (node.ref !== undefined ? this.definition(node.ref) : undefined) ?? node;
  }

  /** object, array, map, string, quantity, ... of a node, following its ref. */
  schemaType(node: SchemaNode): SchemaType {
    return this.deref(node).type ?? 'any';
  }

  /** The type as the Kubernetes API reference shows it: `[]Container`, `map[string]string`, `Quantity`. */
  displayType(node: SchemaNode): string {
    if (node.ref !== undefined) return node.ref.slice(node.ref.lastIndexOf('.') + 1);
    switch (node.type) {
      case 'array':
        return `[]${node.items ? this.displayType(node.items) : 'Object'}`;
      case 'map':
        return `map[string]${node.additionalProperties ? this.displayType(node.additionalProperties) : 'Object'}`;
      case 'integer':
      case 'number':
        return node.format ?? node.type;
      case 'string':
        return node.format === 'byte' ? '[]byte' : 'string';
      case 'int-or-string':
        return 'IntOrString';
      case 'quantity':
        return 'Quantity';
      case 'date-time':
        return 'Time';
      case 'boolean':
        return 'boolean';
      default:
        return 'Object';
    }
  }

  /** What the field at `path` of a kind is; undefined when the kind or the field is unknown. */
  resolve(gvk: GroupVersionKind, path: PathInput): FieldInfo | undefined {
    const root = this.schemaForKind(gvk);
    if (root === undefined) return undefined;
    const segments = typeof path === 'string' ? parseFieldPath(path) : path;
    let node: SchemaNode = { ref: root.name };
    let name = '';
    let required = false;
    let parentDefinition: string | undefined;
    const walked: FieldPathSegment[] = [];
    for (const segment of segments) {
      let def = this.deref(node);
      if (typeof segment === 'number') {
        if (def.type !== 'array' || def.items === undefined) return undefined;
        node = def.items;
        required = false;
        walked.push(segment);
        continue;
      }
      if (def.type === 'array' && def.items !== undefined) {
        node = def.items;
        def = this.deref(node);
      }
      if (def.properties !== undefined && Object.prototype.hasOwnProperty.call(def.properties, segment)) {
        parentDefinition = node.ref;
        node = def.properties[segment];
        required = def.required?.includes(segment) ?? false;
      } else if (def.type === 'map' && def.additionalProperties !== undefined) {
        node = def.additionalProperties;
        required = false;
      } else {
        return undefined;
      }
      name = segment;
      walked.push(segment);
    }
    return this.describe(node, formatFieldPath(walked), name, required, parentDefinition);
  }

  /**
   * Patch metadata of the field at `path` (for strategic merge patch and server-side apply): the
   * field's own x-kubernetes-* extensions, then those of the definition it refers to.
   */
  patchMeta(gvk: GroupVersionKind, path: PathInput): PatchMeta {
    const info = this.resolve(gvk, path);
    if (info === undefined) return {};
    const meta: PatchMeta = {};
    if (info.patchStrategy !== undefined) meta.patchStrategy = info.patchStrategy;
    if (info.patchMergeKey !== undefined) meta.patchMergeKey = info.patchMergeKey;
    if (info.listType !== undefined) meta.listType = info.listType;
    if (info.listMapKeys !== undefined) meta.listMapKeys = info.listMapKeys;
    if (info.mapType !== undefined) meta.mapType = info.mapType;
    if (info.default !== undefined) meta.default = info.default;
    return meta;
  }

  private describe(
    node: SchemaNode,
    path: string,
    name: string,
    required: boolean,
    parentDefinition: string | undefined,
  ): FieldInfo {
    const def = this.deref(node);
    const info: FieldInfo = {
      path,
      name,
      type: this.displayType(node),
      schemaType: def.type ?? 'any',
      description: node.description ?? def.description ?? '',
      required,
    };
    const enumValues = node.enum ?? def.enum;
    if (enumValues !== undefined) info.enum = enumValues;
    if (node.default !== undefined) info.default = node.default;
    const format = node.format ?? def.format;
    if (format !== undefined) info.format = format;
    if (node.ref !== undefined) info.definition = node.ref;
    if (parentDefinition !== undefined) info.parentDefinition = parentDefinition;
    for (const key of ['patchStrategy', 'patchMergeKey', 'listType', 'listMapKeys', 'mapType'] as const) {
      const value = node[key] ?? def[key];
      if (value !== undefined) (info as unknown as Record<string, unknown>)[key] = value;
    }
    // A list's items have no path of their own (patch-meta.ts): its map type is its items' (an
    // ownerReference, an imagePullSecret: atomic, so an item is owned whole as `k:{...}: {}`).
    if (info.mapType === undefined && def.type === 'array' && def.items !== undefined) {
      const items = def.items.mapType ?? this.deref(def.items).mapType;
      if (items !== undefined) info.mapType = items;
    }
    return info;
  }
}

/** Reads a field index file; `loadFieldIndex()` is the cached one over the located build output. */
export function readFieldIndex(path: string): FieldIndex {
  return new FieldIndex(JSON.parse(readFileSync(path, 'utf8')) as FieldIndexFile);
}

let shared: FieldIndex | undefined;

export function loadFieldIndex(): FieldIndex {
  shared ??= readFieldIndex(join(schemaAssetsDir(), 'schema', 'field-index.json'));
  return shared;
}
