/**
 * Container logs: what a container's process printed, kept per container instance by the
 * simulated runtime, and served to the API server's pods/log handler through `PodLogSource`.
 *
 * The API server owns the HTTP side (query parsing, streaming); the kubelet owns the content and
 * the kubelet's errors. A `kubectl logs` request maps onto `PodLogSource.open()`:
 *   container → `container` (the handler resolves the default container first),
 *   previous → `previous`, and the handler formats with `formatLogLines` (tailLines, timestamps,
 *   sinceSeconds/sinceTime, limitBytes) and, for `follow`, subscribes for more lines.
 */

export interface LogLine {
  /** Virtual epoch milliseconds. */
  time: number;
  text: string;
}

/** Lines kept per container instance; older lines are dropped (a rotated log). */
const MAX_LINES = 2000;

export class ContainerLog {
  /**
   * Times and texts of the kept lines, side by side rather than an object per line: every
   * container of a large cluster keeps its start-up lines for as long as it runs.
   */
  private times: number[] = [];
  private texts: string[] = [];
  /** Made when someone follows (most logs are never followed, and there is one per container). */
  private followers: Set<{ onLine: (line: LogLine) => void; onEnd: () => void }> | undefined;
  private ended = false;

  append(time: number, text: string): void {
    this.times.push(time);
    this.texts.push(text);
    if (this.texts.length > MAX_LINES) {
      const drop = this.texts.length - MAX_LINES;
      this.times.splice(0, drop);
      this.texts.splice(0, drop);
    }
    if (this.followers) {
      const line = { time, text };
      for (const f of this.followers) f.onLine(line);
    }
  }

  /** The container exited: followers are told the stream ended. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const f of [...(this.followers ?? [])]) f.onEnd();
    this.followers = undefined;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  lines(): readonly LogLine[] {
    return this.texts.map((text, i) => ({ time: this.times[i]!, text }));
  }

  /** Calls `onLine` for each new line and `onEnd` once when the container exits; returns unsubscribe. */
  follow(onLine: (line: LogLine) => void, onEnd: () => void): () => void {
    if (this.ended) {
      onEnd();
      return () => undefined;
    }
    const follower = { onLine, onEnd };
    (this.followers ??= new Set()).add(follower);
    return () => { this.followers?.delete(follower); };
  }
}

export interface LogFormatOptions {
  tailLines?: number;
  timestamps?: boolean;
  /** Only lines at or after this virtual time. */
  sinceTime?: number;
  limitBytes?: number;
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `--timestamps`. */
export function logTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

export function formatLogLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${logTimestamp(line.time)} ${line.text}\n` : `${line.text}\n`;
}

export function formatLogLines(lines: readonly LogLine[], options: LogFormatOptions = {}): string {
  let selected = options.sinceTime !== undefined ? lines.filter((l) => l.time >= options.sinceTime!) : lines;
  if (options.tailLines !== undefined && options.tailLines >= 0) selected = options.tailLines === 0 ? [] : selected.slice(-options.tailLines);
  let text = selected.map((l) => formatLogLine(l, !!options.timestamps)).join('');
  if (options.limitBytes !== undefined && Buffer.byteLength(text) > options.limitBytes) text = Buffer.from(text).subarray(0, options.limitBytes).toString();
  return text;
}

/** What the API server's pods/log handler reads. */
export interface PodLogSource {
  /**
   * The log of `container` in the pod (the current instance, or the previous terminated one).
   * Throws a StatusError with the kubelet's wording when there is none, e.g.
   * `container "nginx" in pod "web" is waiting to start: ContainerCreating` or
   * `previous terminated container "nginx" in pod "web" not found` (both 400 BadRequest).
   */
  open(namespace: string, pod: string, container: string, options: { previous?: boolean }): ContainerLog;
}

export { previousNotFound, waitingToStart } from '../../api/container-log-errors';
