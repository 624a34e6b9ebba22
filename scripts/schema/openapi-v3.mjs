// Turns the Kubernetes OpenAPI v2 spec into the per group-version OpenAPI 3.0 documents kube-apiserver
// 1.32 serves at /openapi/v3/<gv>. The shape follows kube-openapi: body parameters become requestBody,
// responses get one `content` entry per produced media type, `#/definitions/` refs become
// `#/components/schemas/`, and a $ref that carries siblings (description, ...) is wrapped as
// `{"allOf":[{"$ref":...}], ...siblings}` because OpenAPI 3.0 ignores siblings of $ref.
// Parameters are inlined (never `$ref`): kubectl looks for `fieldValidation` by name among an
// operation's own parameters to decide whether the server validates fields.
import { createHash } from 'node:crypto';
import { ENUMS } from './enums.mjs';

const V2_DEF = '#/definitions/';
const V3_DEF = '#/components/schemas/';
const V2_PARAM = '#/parameters/';
const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

// Types whose v3 schema is a oneOf of JSON types (their Go types implement OpenAPIV3OneOfTypes), where
// v2 can only say `string`. kubectl explain then names them (`map[string]Quantity`, `<IntOrString>`).
const V3_ONE_OF = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: ['string', 'number'] },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { oneOf: ['integer', 'string'], format: 'int-or-string' },
};

/** The /openapi/v3 path a v2 path belongs to: `api/v1`, `apis/apps/v1`, `apis/apps`, `api`, `version`... */
export function groupVersionPathOf(path) {
  const gv = /^\/(api\/v1|apis\/[^/]+\/[^/]+)\//.exec(path);
  if (gv) return gv[1];
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  if (trimmed.startsWith('logs')) return 'logs';
  return trimmed;
}

/** Maps each /openapi/v3 path to its document. */
export function buildV3Documents(swagger) {
  const grouped = new Map();
  for (const [path, item] of Object.entries(swagger.paths)) {
    const gv = groupVersionPathOf(path);
    if (!grouped.has(gv)) grouped.set(gv, []);
    grouped.get(gv).push([path, item]);
  }
  const documents = new Map();
  for (const [gv, entries] of [...grouped].sort(([a], [b]) => a.localeCompare(b))) {
    documents.set(gv, buildDocument(swagger, entries));
  }
  return documents;
}

function buildDocument(swagger, entries) {
  const paths = {};
  for (const [path, item] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    paths[path] = convertPathItem(swagger, item);
  }
  const schemas = {};
  const pending = [...collectRefs(paths)];
  while (pending.length > 0) {
    const name = pending.pop();
    if (schemas[name] !== undefined) continue;
    const definition = swagger.definitions[name];
    if (definition === undefined) throw new Error(`schema: ${name} is referenced but not defined`);
    schemas[name] = withEnums(name, withOneOf(name, convertSchema(definition)));
    for (const ref of collectRefs(schemas[name])) if (schemas[ref] === undefined) pending.push(ref);
  }
  const sortedSchemas = {};
  for (const name of Object.keys(schemas).sort()) sortedSchemas[name] = schemas[name];
  const doc = {
    openapi: '3.0.0',
    info: swagger.info,
    paths,
    components: { schemas: sortedSchemas },
  };
  if (swagger.securityDefinitions) {
    doc.components.securitySchemes = {};
    for (const [name, scheme] of Object.entries(swagger.securityDefinitions)) {
      const { description, type, name: headerName, in: location } = scheme;
      doc.components.securitySchemes[name] = { description, in: location, name: headerName, type };
    }
  }
  if (swagger.security) doc.security = swagger.security;
  return doc;
}

function convertPathItem(swagger, item) {
  const out = {};
  for (const method of OPERATIONS) {
    if (item[method]) out[method] = convertOperation(swagger, item[method]);
  }
  if (item.parameters) out.parameters = item.parameters.map((p) => convertParameter(resolveParameter(swagger, p)));
  return out;
}

function convertOperation(swagger, op) {
  const out = {};
  if (op.description !== undefined) out.description = op.description;
  if (op.operationId !== undefined) out.operationId = op.operationId;
  const parameters = [];
  for (const raw of op.parameters ?? []) {
    const param = resolveParameter(swagger, raw);
    if (param.in === 'body') {
      const content = {};
      for (const mediaType of op.consumes ?? ['application/json']) content[mediaType] = { schema: convertSchema(param.schema) };
      out.requestBody = { content };
      if (param.required) out.requestBody.required = true;
    } else {
      parameters.push(convertParameter(param));
    }
  }
  if (parameters.length > 0) out.parameters = parameters;
  out.responses = {};
  for (const [code, response] of Object.entries(op.responses ?? {})) {
    const converted = { description: response.description };
    if (response.schema) {
      converted.content = {};
      for (const mediaType of op.produces ?? ['application/json']) {
        converted.content[mediaType] = { schema: convertSchema(response.schema) };
      }
    }
    out.responses[code] = converted;
  }
  if (op.tags) out.tags = op.tags;
  for (const [key, value] of Object.entries(op)) if (key.startsWith('x-')) out[key] = value;
  return out;
}

function resolveParameter(swagger, param) {
  if (typeof param.$ref !== 'string') return param;
  if (!param.$ref.startsWith(V2_PARAM)) throw new Error(`schema: unexpected parameter ref ${param.$ref}`);
  const resolved = swagger.parameters[param.$ref.slice(V2_PARAM.length)];
  if (!resolved) throw new Error(`schema: parameter ${param.$ref} is not defined`);
  return resolved;
}

function convertParameter(param) {
  const out = { description: param.description, in: param.in, name: param.name };
  if (param.required) out.required = true;
  const schema = { type: param.type };
  if (param.format) schema.format = param.format;
  if (param.uniqueItems) schema.uniqueItems = true;
  out.schema = schema;
  return out;
}

/** A v2 schema as a v3 schema: refs moved to components, refs with siblings wrapped in allOf. */
export function convertSchema(schema) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref') out.$ref = V3_DEF + value.slice(V2_DEF.length);
    else if (key === 'properties') {
      out.properties = {};
      for (const [name, property] of Object.entries(value)) out.properties[name] = convertSchema(property);
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = convertSchema(value);
    } else out[key] = value;
  }
  if (out.$ref !== undefined && Object.keys(out).length > 1) {
    const { $ref, ...siblings } = out;
    return { allOf: [{ $ref }], ...siblings };
  }
  return out;
}

function withOneOf(name, schema) {
  const oneOf = V3_ONE_OF[name];
  if (!oneOf) return schema;
  const out = { description: schema.description };
  if (oneOf.format) out.format = oneOf.format;
  out.oneOf = oneOf.oneOf.map((type) => ({ type }));
  return out;
}

function withEnums(name, schema) {
  const enums = ENUMS[name];
  if (!enums || !schema.properties) return schema;
  for (const [property, values] of Object.entries(enums)) {
    const target = schema.properties[property];
    if (target === undefined) {
      console.warn(`schema: enum table names ${name}.${property}, which the spec does not have`);
      continue;
    }
    target.enum = values;
    // kube-openapi appends the values to the description as well (each followed by its constant's
    // comment, which this table does not carry).
    const list = values.map((value) => ` - \`${JSON.stringify(value)}\``).join('\n');
    target.description = `${target.description ?? ''}\n\nPossible enum values:\n${list}`;
  }
  return schema;
}

function collectRefs(node, into = new Set()) {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, into);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(V3_DEF)) into.add(value.slice(V3_DEF.length));
      else collectRefs(value, into);
    }
  }
  return into;
}

/** kube-apiserver's ETag and `?hash=` for a served document: uppercase hex of its sha512. */
export function documentHash(bytes) {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}

/** File name of a /openapi/v3 path's document, upstream's convention: `/` becomes `__`. */
export function documentFileName(gvPath) {
  return `${gvPath.replace(/\//g, '__')}.json`;
}
