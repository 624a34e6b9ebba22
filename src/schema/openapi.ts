/**
 * The OpenAPI v3 documents kube-apiserver serves at /openapi/v3, read lazily from the build output.
 * The API server answers `GET /openapi/v3` with {@link OpenApiV3.discovery} and
 * `GET /openapi/v3/<path>?hash=...` with {@link OpenApiV3.document}: the bytes are served as they are,
 * and the hash is their sha512 in uppercase hex, as kube-apiserver computes its ETag, so kubectl can
 * cache a document for as long as the hash in the index stays the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaAssetsDir } from './location';

interface IndexFile {
  paths: Record<string, { file: string; hash: string }>;
}

export interface OpenApiV3Document {
  /** e.g. `api/v1`, `apis/apps/v1`. */
  path: string;
  /** Uppercase hex sha512 of `body`. */
  hash: string;
  /** The JSON document, exactly as served. */
  body: Buffer;
}

export interface OpenApiV3Discovery {
  paths: Record<string, { serverRelativeURL: string }>;
}

export class OpenApiV3 {
  private readonly documents = new Map<string, OpenApiV3Document>();

  private constructor(
    private readonly dir: string,
    private readonly index: IndexFile,
  ) {}

  /** Reads the index from `dir` (default: the located build output); documents load on first use. */
  static load(dir: string = join(schemaAssetsDir(), 'openapi', 'v3')): OpenApiV3 {
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as IndexFile;
    return new OpenApiV3(dir, index);
  }

  /** Every path a document exists for, sorted. */
  paths(): string[] {
    return Object.keys(this.index.paths).sort();
  }

  has(path: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.index.paths, path);
  }

  hash(path: string): string | undefined {
    return this.has(path) ? this.index.paths[path].hash : undefined;
  }

  /**
   * The body of `GET /openapi/v3`. `include` picks the paths the server actually serves (for example
   * only the group-versions it has resources for); by default every generated path is listed.
   */
  discovery(include: (path: string) => boolean = () => true): OpenApiV3Discovery {
    const paths: OpenApiV3Discovery['paths'] = {};
    for (const path of this.paths()) {
      if (!include(path)) continue;
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${this.index.paths[path].hash}` };
    }
    return { paths };
  }

  /** The document for a path (`api/v1`), or undefined when there is none. */
  document(path: string): OpenApiV3Document | undefined {
    if (!this.has(path)) return undefined;
    let doc = this.documents.get(path);
    if (doc === undefined) {
      const entry = this.index.paths[path];
      doc = { path, hash: entry.hash, body: readFileSync(join(this.dir, entry.file)) };
      this.documents.set(path, doc);
    }
    return doc;
  }
}

let shared: OpenApiV3 | undefined;

/** The process-wide instance over the located build output. */
export function loadOpenApiV3(): OpenApiV3 {
  shared ??= OpenApiV3.load();
  return shared;
}
