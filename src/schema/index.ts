/**
 * The Kubernetes 1.32 schema at runtime (plain Node): OpenAPI v3 documents for /openapi/v3, and the
 * field index for hovers, strict field validation and patch metadata.
 */
export { schemaAssetsDir, findSchemaAssetsDir, SCHEMA_DIR_ENV } from './location';
export { OpenApiV3, loadOpenApiV3 } from './openapi';
export type { OpenApiV3Document, OpenApiV3Discovery } from './openapi';
export { FieldIndex, loadFieldIndex, readFieldIndex, gvkKey } from './field-index';
export type { KindSchema } from './field-index';
export { findUnknownFields } from './unknown-fields';
export { referenceUrl, resourcePage, kebabCase, API_REFERENCE_BASE } from './reference-url';
export { formatFieldPath, parseFieldPath } from './field-path';
export type * from './types';
export { findUndeclaredFields } from './undeclared-fields';
export { fieldAt, gvkOf } from './yaml-location';
export type { YamlFieldLocation } from './yaml-location';
