// Builds the compact field index the runtime (hovers, strict field validation, patch metadata) loads
// from dist/schema/field-index.json. One entry per definition; a field is a small schema node:
//   { type, format?, description?, enum?, default?, ref?, items?, additionalProperties?,
//     patchStrategy?, patchMergeKey?, listType?, listMapKeys?, mapType? }
// and a definition adds { properties?, required?, gvk? }. `type` is one of object, array, map,
// string, integer, number, boolean, int-or-string, quantity, date-time, any; a node with `ref` takes
// its type from the definition it names. Field order is kept: it is the order kube-apiserver's docs
// and kubectl explain list fields in (alphabetical in the spec).
import { ENUMS } from './enums.mjs';
import { API_DEFAULTS } from './defaults.mjs';

export const FIELD_INDEX_FORMAT = 1;
const V2_DEF = '#/definitions/';

const SPECIAL_TYPES = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'int-or-string',
};

export function buildFieldIndex(swagger, sourceSha256) {
  const definitions = {};
  const gvks = {};
  for (const name of Object.keys(swagger.definitions).sort()) {
    const definition = swagger.definitions[name];
    const entry = compactDefinition(name, definition);
    definitions[name] = entry;
    for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
      const key = gvkKey(gvk);
      // meta/v1 kinds such as DeleteOptions are listed under every group; the first name wins.
      if (gvks[key] === undefined) gvks[key] = name;
    }
  }
  return { format: FIELD_INDEX_FORMAT, kubernetesVersion: '1.32', source: sourceSha256, gvks, definitions };
}

/** `apps/v1/Deployment`, or `v1/Pod` for the core group. */
export function gvkKey({ group, version, kind }) {
  return group ? `${group}/${version}/${kind}` : `${version}/${kind}`;
}

function compactDefinition(name, definition) {
  const entry = compactNode(definition, SPECIAL_TYPES[name]);
  if (definition.properties) {
    entry.properties = {};
    const enums = ENUMS[name] ?? {};
    const defaults = API_DEFAULTS[name] ?? {};
    for (const [field, schema] of Object.entries(definition.properties)) {
      const node = compactNode(schema);
      if (enums[field]) node.enum = enums[field];
      if (defaults[field] !== undefined) node.default = defaults[field];
      entry.properties[field] = node;
    }
  }
  if (definition.required) entry.required = definition.required;
  if (definition['x-kubernetes-group-version-kind']) entry.gvk = definition['x-kubernetes-group-version-kind'];
  return entry;
}

function compactNode(schema, special) {
  const node = {};
  if (schema.$ref) node.ref = schema.$ref.slice(V2_DEF.length);
  else node.type = special ?? typeOf(schema);
  if (schema.format && !special) node.format = schema.format;
  if (schema.description) node.description = schema.description;
  if (schema.enum) node.enum = schema.enum;
  if (schema.default !== undefined) node.default = schema.default;
  if (schema.items) node.items = compactNode(schema.items);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    node.additionalProperties = compactNode(schema.additionalProperties);
  }
  const extensions = {
    patchStrategy: 'x-kubernetes-patch-strategy',
    patchMergeKey: 'x-kubernetes-patch-merge-key',
    listType: 'x-kubernetes-list-type',
    listMapKeys: 'x-kubernetes-list-map-keys',
    mapType: 'x-kubernetes-map-type',
  };
  for (const [key, extension] of Object.entries(extensions)) if (schema[extension] !== undefined) node[key] = schema[extension];
  return node;
}

function typeOf(schema) {
  if (schema.format === 'int-or-string') return 'int-or-string';
  if (schema.type === 'string' && schema.format === 'date-time') return 'date-time';
  if (schema.type === 'object') {
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return 'map';
    // An object the spec gives no fields (RawExtension, FieldsV1, Patch) holds arbitrary JSON.
    if (!schema.properties) return 'any';
    return 'object';
  }
  if (schema.type === undefined) return schema.properties ? 'object' : 'any';
  return schema.type;
}
