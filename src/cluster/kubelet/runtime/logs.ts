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

const NO_LINES: readonly string[] = Object.freeze([]);

const SHARED_TEXTS = 1;
const ENDED = 2;

export class ContainerLog {
  /**
   * Times (from `timeOrigin`) and texts of the kept lines, side by side rather than an object per line: every
   * container of a large cluster keeps its start-up lines for as long as it runs. See `settle` for
   * the two compact forms they take between appends.
   */
  private times: number[] | number = 0;
  private texts: string[] | readonly string[] = NO_LINES;
  /** Made when someone follows (most logs are never followed, and there is one per container). */
  private followers: Set<{ onLine: (line: LogLine) => void; onEnd: () => void }> | undefined;
  /** SHARED_TEXTS and ENDED, as bits of one number (a log per running container). */
  private logFlags = SHARED_TEXTS;

  /** `texts` is an array shared with other logs (no lines yet, or an image's start-up lines): copied before it changes. */
  private get sharedTexts(): boolean { return (this.logFlags & SHARED_TEXTS) !== 0; }
  private set sharedTexts(on: boolean) { this.logFlags = on ? this.logFlags | SHARED_TEXTS : this.logFlags & ~SHARED_TEXTS; }
  private get ended(): boolean { return (this.logFlags & ENDED) !== 0; }
  private set ended(on: boolean) { this.logFlags = on ? this.logFlags | ENDED : this.logFlags & ~ENDED; }

  append(time: number, text: string): void {
    const count = this.texts.length;
    if (this.sharedTexts) {
      this.texts = this.texts.slice();
      this.sharedTexts = false;
    }
    const texts = this.texts as string[];
    // Kept from the origin (a container's start): a small integer, where a time is a boxed number.
    // `| 0` makes it one: a difference of two large numbers stays a boxed 0.0 otherwise.
    const since = time - this.timeOrigin;
    const at = (since | 0) === since ? since | 0 : since;
    // While every line has one time, that number stands for all of them (start-up lines usually do).
    if (count === 0) this.times = at;
    else if (typeof this.times === 'number' && at !== this.times) this.times = new Array<number>(count).fill(this.times);
    if (typeof this.times !== 'number') this.times.push(at);
    texts.push(text);
    if (texts.length > MAX_LINES) {
      const drop = texts.length - MAX_LINES;
      if (typeof this.times !== 'number') this.times.splice(0, drop);
      texts.splice(0, drop);
    }
    if (this.followers) {
      const line = { time, text };
      for (const f of this.followers) f.onLine(line);
    }
  }

  /**
   * The process has paused (it serves, or sleeps): the lines are kept as compactly as they can be
   * until the next one. Texts equal to `same` (the start-up lines of the image's server, identical
   * in every container of it) are kept as that array; others in an array of their exact length.
   * Lines that all have one time keep that one number (see `append`).
   */
  settle(same?: readonly string[]): void {
    const texts = this.texts;
    if (this.sharedTexts || texts.length === 0) return;
    if (same && same.length === texts.length && same.every((t, i) => t === texts[i])) {
      this.texts = same;
      this.sharedTexts = true;
    } else {
      this.texts = texts.slice();
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
    const times = this.times;
    const origin = this.timeOrigin;
    return this.texts.map((text, i) => ({ time: origin + (typeof times === 'number' ? times : times[i]!), text }));
  }

  /** What the kept times count from (virtual epoch ms); a container's log counts from its start. */
  protected get timeOrigin(): number {
    return 0;
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
