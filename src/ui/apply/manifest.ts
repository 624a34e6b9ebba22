/**
 * The Kubernetes objects in a YAML buffer: every `---`-separated document, with the line it starts on
 * so that errors point at it. Plain Node (no vscode).
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../cluster/api/types';

export interface Manifest {
  object: KubeObject;
  /** 1-based line where the document starts. */
  line: number;
  /** Which document of the text, from 0 (empty documents count, as parseAllDocuments returns them). */
  document: number;
  /** Offsets of the document's content in the text. */
  range: [number, number];
}

export interface ManifestError {
  /** 1-based. */
  line: number;
  message: string;
  /** Offsets in the text, where known. */
  range?: [number, number];
}

export interface ParsedManifests {
  manifests: Manifest[];
  errors: ManifestError[];
}

export function parseManifests(text: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  const result: ParsedManifests = { manifests: [], errors: [] };
  for (let index = 0; index < documents.length; index++) {
    const document = documents[index]!;
    const start = document.contents?.range[0] ?? document.range[0];
    const end = document.contents?.range[2] ?? document.range[2];
    const line = lineCounter.linePos(start).line;
    if (document.errors.length) {
      for (const error of document.errors) {
        const at = error.linePos?.[0]?.line ?? line;
        result.errors.push({ line: at, message: firstLine(error.message), range: [error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)] });
      }
      continue;
    }
    if (document.contents === null) continue; // an empty document, e.g. after a trailing `---`
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      result.errors.push({ line, message: 'not a Kubernetes object: expected a mapping with apiVersion, kind and metadata', range: [start, end] });
      continue;
    }
    const problems = missingFields(value as Record<string, unknown>);
    if (problems.length) {
      result.errors.push({ line, message: `error validating data: [${problems.join(', ')}]`, range: [start, end] });
      continue;
    }
    result.manifests.push({ object: value as KubeObject, line, document: index, range: [start, end] });
  }
  return result;
}

/** kubectl's client-side checks, in its words: `apiVersion not set, kind not set`. */
function missingFields(object: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof object.apiVersion !== 'string' || !object.apiVersion) problems.push('apiVersion not set');
  if (typeof object.kind !== 'string' || !object.kind) problems.push('kind not set');
  const metadata = object.metadata as Record<string, unknown> | undefined;
  if (!metadata || typeof metadata.name !== 'string' || !metadata.name) problems.push('metadata.name not set');
  return problems;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
