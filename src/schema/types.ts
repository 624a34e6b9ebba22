/**
 * Shapes of the generated schema files (scripts/schema) and of what the runtime answers about them.
 */

export interface GroupVersionKind {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
}

/** One step into an object: a field name or map key, or an index into a list. */
export type FieldPathSegment = string | number;

/**
 * A schema node of the field index (dist/schema/field-index.json). A node with `ref` takes its type
 * from the definition it names; otherwise `type` is one of the values of {@link SchemaType}.
 */
export interface SchemaNode {
  ref?: string;
  type?: SchemaType;
  format?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  items?: SchemaNode;
  additionalProperties?: SchemaNode;
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
}

export type SchemaType =
  | 'object'
  | 'array'
  | 'map'
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'int-or-string'
  | 'quantity'
  | 'date-time'
  /** Arbitrary JSON: RawExtension, FieldsV1, apiextensions JSON. */
  | 'any';

export interface SchemaDefinition extends SchemaNode {
  properties?: Record<string, SchemaNode>;
  required?: string[];
  gvk?: GroupVersionKind[];
}

export interface FieldIndexFile {
  format: number;
  kubernetesVersion: string;
  /** sha256 of the OpenAPI v2 spec the index was generated from. */
  source: string;
  /** `v1/Pod`, `apps/v1/Deployment` → definition name. */
  gvks: Record<string, string>;
  definitions: Record<string, SchemaDefinition>;
}

/** Patch metadata of one field, as strategic merge patch and server-side apply need it. */
export interface PatchMeta {
  /** `merge`, `retainKeys`, `merge,retainKeys`, `replace`. */
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  /**
   * The value the API server fills in when the field is left out, where known (e.g. a container
   * port's protocol, TCP): server-side apply uses it for a list-map key an item omits.
   */
  default?: unknown;
}

/** What a hover or an explanation shows about one field. */
export interface FieldInfo extends PatchMeta {
  /** The path as kube-apiserver words it: `spec.containers[0].image`. */
  path: string;
  /** The last field name (or map key) on the path; '' for the object itself. */
  name: string;
  /** The type as the Kubernetes API reference shows it: `[]Container`, `map[string]Quantity`, `int32`. */
  type: string;
  /** What the value is: object, array, map, string, integer, quantity, int-or-string, ... */
  schemaType: SchemaType;
  description: string;
  /** Whether the enclosing object lists this field as required. */
  required: boolean;
  enum?: unknown[];
  default?: unknown;
  format?: string;
  /** The definition the field's value is, when it is one (io.k8s.api.core.v1.Container). */
  definition?: string;
  /** The definition that declares the field (io.k8s.api.core.v1.PodSpec); undefined for the root. */
  parentDefinition?: string;
}
