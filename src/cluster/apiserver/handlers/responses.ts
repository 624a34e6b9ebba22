/** Building ApiResponses: JSON bodies, pre-serialized JSON, and Status errors with their headers. */
import { internalError, StatusError } from '../../api/errors';
import type { Status } from '../../api/types';
import { stringify } from 'yaml';
import { JSON_CONTENT_TYPE, TABLE_CONTENT_TYPE, YAML_CONTENT_TYPE } from '../negotiation';
import { RawJson } from '../registry/codec';
import type { ApiResponse } from '../types';

export function jsonResponse(status: number, body: unknown, contentType = JSON_CONTENT_TYPE, warnings: string[] = []): ApiResponse {
  const headers: ApiResponse['headers'] = { 'Content-Type': contentType };
  if (warnings.length > 0) headers['Warning'] = warnings.map(warningHeader);
  return { status, headers, body };
}

/** A body serialized already: text, or a write's answer (WriteResult), whose RawJson makes its text only if read. */
export function rawJsonResponse(status: number, body: string | { text: string; json?: RawJson }, warnings: string[] = []): ApiResponse {
  const json = typeof body === 'string' ? new RawJson(body) : (body.json ?? new RawJson(body.text));
  return jsonResponse(status, json, JSON_CONTENT_TYPE, warnings);
}

/** `299 - "text"`, the form kube-apiserver uses and kubectl prints as `Warning: text`. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

export function statusResponse(status: Status, warnings: string[] = []): ApiResponse {
  return jsonResponse(status.code, status, JSON_CONTENT_TYPE, warnings);
}

/** Any thrown value as a Status response: StatusErrors as they are, anything else a 500. */
export function errorResponse(err: unknown): ApiResponse {
  const e = err instanceof StatusError ? err : internalError(err);
  return statusResponse(e.status, e.warnings);
}

export function textResponse(status: number, text: string, contentType = 'text/plain; charset=utf-8'): ApiResponse {
  return { status, headers: { 'Content-Type': contentType }, body: text };
}

/** A Table, serialized at once: its rows may hold shared (cached) objects no caller may mutate. */
export function tableResponse(table: unknown): ApiResponse {
  return jsonResponse(200, new RawJson(JSON.stringify(table)), TABLE_CONTENT_TYPE);
}

/**
 * Stored JSON served as YAML (`Accept: application/yaml`), as kube-apiserver converts its JSON:
 * keys sorted, list items at their key's indentation.
 */
export function yamlResponse(status: number, jsonText: string): ApiResponse {
  const text = stringify(JSON.parse(jsonText), { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
  return { status, headers: { 'Content-Type': YAML_CONTENT_TYPE }, body: text };
}
