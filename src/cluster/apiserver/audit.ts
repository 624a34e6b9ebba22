/**
 * The audit trail: one record per request, whoever made it (kubectl over HTTPS or a component
 * in process), kept in memory in a bounded ring so that the UI can show the steps of a pod's life
 * ("the scheduler bound it", "the kubelet patched its status") with the request that carried each.
 */

export interface AuditRecord {
  /** Monotonic sequence number (also the order requests completed in). */
  id: number;
  /** Cluster-clock time the request was received, RFC 3339 with milliseconds. */
  time: string;
  user: string;
  groups: string[];
  userAgent: string;
  verb: string;
  /** HTTP method and path, e.g. `POST /api/v1/namespaces/default/pods`. */
  method: string;
  requestURI: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** HTTP status code of the response (for watches: the code the stream started with). */
  code: number;
}

export interface AuditQuery {
  resource?: string;
  namespace?: string;
  name?: string;
  user?: string;
  verb?: string;
  /** Only records with `id` greater than this. */
  sinceId?: number;
  /** At most this many (the most recent ones). */
  limit?: number;
}

export class AuditLog {
  private readonly ring: (AuditRecord | undefined)[];
  private next = 0;
  private count = 0;
  private seq = 0;
  private readonly listeners = new Set<(record: AuditRecord) => void>();

  constructor(readonly capacity = 20_000) {
    this.ring = new Array(capacity);
  }

  add(record: Omit<AuditRecord, 'id'>): AuditRecord {
    // Field by field rather than a spread: one record per request, and the ring keeps 20,000.
    const full: AuditRecord = {
      id: ++this.seq,
      time: record.time,
      user: record.user,
      groups: record.groups,
      userAgent: record.userAgent,
      verb: record.verb,
      method: record.method,
      requestURI: record.requestURI,
      apiGroup: record.apiGroup,
      apiVersion: record.apiVersion,
      resource: record.resource,
      subresource: record.subresource,
      namespace: record.namespace,
      name: record.name,
      code: record.code,
    };
    this.ring[this.next] = full;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    for (const listener of this.listeners) {
      try { listener(full); } catch { /* a listener's failure is its own */ }
    }
    return full;
  }

  /** Records matching `q`, oldest first. Object filters compare exactly (subresource requests match their object). */
  query(q: AuditQuery = {}): AuditRecord[] {
    const out: AuditRecord[] = [];
    const start = (this.next - this.count + this.capacity) % this.capacity;
    for (let i = 0; i < this.count; i++) {
      const r = this.ring[(start + i) % this.capacity]!;
      if (q.sinceId !== undefined && r.id <= q.sinceId) continue;
      if (q.resource !== undefined && r.resource !== q.resource) continue;
      if (q.namespace !== undefined && r.namespace !== q.namespace) continue;
      if (q.name !== undefined && r.name !== q.name) continue;
      if (q.user !== undefined && r.user !== q.user) continue;
      if (q.verb !== undefined && r.verb !== q.verb) continue;
      out.push(r);
    }
    return q.limit !== undefined && out.length > q.limit ? out.slice(out.length - q.limit) : out;
  }

  /** Calls `listener` for every new record; returns an unsubscribe function. */
  onRecord(listener: (record: AuditRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.count;
  }
}
