/**
 * What a pod worker knows of one container of its pod: which container of the spec it is, the
 * image reference its spec names, the runtime container
 * (current), the two instances before it (last, prior: what `kubectl logs --previous` and
 * lastState show), and where the kubelet's loop stands with it.
 *
 * A worker keeps one per container for as long as its pod runs, and a large cluster runs a great
 * many: the record is a class with every field declared (one fixed shape, no property array), its
 * flags, kind and index are bits of one number, what it has only while something happens (exits,
 * waiting, probes, a pull failure, a retry, a view on its way: see Happenings) is one object made
 * then, and what can be derived (the event field path) is derived when asked.
 *
 * It holds nothing of the pod object itself (no container spec): the worker reads the container's
 * spec from the current version of the pod when it needs it (see PodWorker.specOf), so that a
 * running pod's decoded object can be dropped by every cache once nobody works on it.
 */
import type { ContainerStatus } from '../api/types';
import type { Timer } from '../clock';
import { StringPool } from '../api/string-pool';
import { sameView, statusPrint, type ContainerView } from './pod-status';
import type { ProbeKind, ProbeWorker } from './probes';
import type { Container, Termination } from './runtime/container';
import type { ContainerLog } from './runtime/logs';

/** A container instance that ended. */
export interface Exited {
  termination: Termination;
  id: string;
  startedAt: number;
  image: string;
  imageID: string;
  /** Its log (the ended container itself: runtime/container.ts). */
  log: ContainerLog;
}

const BUSY = 1;
const NOTICING = 2;
const SEEN = 4;
const UNCOUNTED = 8;
const SPEC_CHANGED = 16;
const KILLED_TO_RESTART = 32;
const RESTARTING = 64;
const SHOWN_WRITTEN = 128;
const SHOWN_SUCCEEDED = 256;

/**
 * What a record has only while something happens to its container (it exited, waits, is probed,
 * backs off, a status is on its way): made when first set, let go when it holds nothing again.
 */
class Happenings {
  last: Exited | undefined = undefined;
  prior: Exited | undefined = undefined;
  waiting: { reason: string; message?: string } | undefined = undefined;
  probes: Partial<Record<ProbeKind, ProbeWorker>> | undefined = undefined;
  pullFailure: { at: number; message: string } | undefined = undefined;
  retry: Timer | undefined = undefined;
  shown: ContainerView | undefined = undefined;

  get empty(): boolean {
    return !this.last && !this.prior && !this.waiting && !this.probes && !this.pullFailure && !this.retry && !this.shown;
  }
}

const KINDS = ['init', 'sidecar', 'main'] as const;
/** Bits of `flags` above the booleans: the kind (2 bits), then the index. */
const KIND_SHIFT = 9;
const INDEX_SHIFT = 11;

export class ContainerRecord {
  current: Container | undefined = undefined;
  /** The image as the runtime resolved it (docker.io/library/nginx:1.27), once pulled. */
  image: string;
  imageID = '';
  restartCount = 0;
  private happenings: Happenings | undefined = undefined;
  /** statusPrint of the last view shown, once written. */
  private shownPrint = 0;
  /** The booleans below, the kind and the index: one small integer. */
  private flags: number;

  private get h(): Happenings {
    return (this.happenings ??= new Happenings());
  }

  /** Sets `key` of the happenings; undefined is not made room for, and lets go of them once none is left. */
  private put<K extends keyof Happenings>(key: K, value: Happenings[K]): void {
    if (value !== undefined) { this.h[key] = value; return; }
    const h = this.happenings;
    if (!h) return;
    h[key] = value;
    if (h.empty) this.happenings = undefined;
  }

  /** The instance before the current one (or the last one, when none runs). */
  get last(): Exited | undefined { return this.happenings?.last; }
  set last(e: Exited | undefined) { this.put('last', e); }
  /** The instance before `last`. */
  get prior(): Exited | undefined { return this.happenings?.prior; }
  set prior(e: Exited | undefined) { this.put('prior', e); }
  get waiting(): { reason: string; message?: string } | undefined { return this.happenings?.waiting; }
  set waiting(w: { reason: string; message?: string } | undefined) { this.put('waiting', w); }
  /** Undefined while no probe runs. */
  get probes(): Partial<Record<ProbeKind, ProbeWorker>> | undefined { return this.happenings?.probes; }
  set probes(p: Partial<Record<ProbeKind, ProbeWorker>> | undefined) { this.put('probes', p); }
  /** The last failed pull: when, and its error. */
  get pullFailure(): { at: number; message: string } | undefined { return this.happenings?.pullFailure; }
  set pullFailure(f: { at: number; message: string } | undefined) { this.put('pullFailure', f); }
  /** A timer that resyncs the pod when a back-off or retry ends. */
  get retry(): Timer | undefined { return this.happenings?.retry; }
  set retry(t: Timer | undefined) { this.put('retry', t); }
  /**
   * What the last status said of this container (repeated while the kubelet has not noticed a
   * change): the view the worker made until that status comes back in the pod saying the same;
   * from then on only its statusPrint (`shownPrint`, with SHOWN_WRITTEN), and the pod's status of
   * the container stands for it (see `shownView`). No copy of it is kept, and nothing of the pod.
   */
  private get shown(): ContainerView | undefined { return this.happenings?.shown; }
  private set shown(v: ContainerView | undefined) { this.put('shown', v); }

  /**
   * The last view shown; once only its print is kept, made again from `written` (the pod's status
   * of the container now) when that still says the same, else undefined (another writer changed it).
   */
  shownView(written: ContainerStatus | undefined): ContainerView | undefined {
    if (!this.has(SHOWN_WRITTEN)) return this.shown;
    const s = written;
    if (!s?.state || !s.lastState || statusPrint(s) !== this.shownPrint) return undefined;
    return {
      name: s.name, kind: this.kind, state: s.state, lastState: s.lastState, ready: s.ready, started: s.started!, restartCount: s.restartCount,
      image: s.image, imageID: s.imageID, succeeded: this.has(SHOWN_SUCCEEDED), containerID: s.containerID, volumeMounts: s.volumeMounts as ContainerView['volumeMounts'],
    };
  }

  /** The mounts the last view listed, while it is kept. */
  get shownMounts(): ContainerView['volumeMounts'] {
    return this.shown?.volumeMounts;
  }

  /** The view the worker made, while it is what is kept. */
  get madeView(): ContainerView | undefined {
    return this.shown;
  }

  /** Whether `view` says what the last view said (sameView's answer, also when only the print is kept). */
  sameAsShown(view: ContainerView): boolean {
    if (this.has(SHOWN_WRITTEN)) return view.succeeded === this.has(SHOWN_SUCCEEDED) && statusPrint(view) === this.shownPrint;
    return !!this.shown && sameView(view, this.shown);
  }

  show(view: ContainerView): void {
    this.shown = view;
    this.set(SHOWN_WRITTEN, false);
  }

  /**
   * The pod's status of the container came back saying what the last view said (checked by the
   * caller): only the view's print is kept, and `succeeded`, the one member of the view a status
   * does not have.
   */
  showWritten(view: ContainerView): void {
    this.shownPrint = statusPrint(view);
    this.shown = undefined;
    this.set(SHOWN_WRITTEN, true);
    this.set(SHOWN_SUCCEEDED, view.succeeded);
  }

  private has(bit: number): boolean {
    return (this.flags & bit) !== 0;
  }

  /**
   * `index`: the container's position in the pod's init containers followed by its containers (an
   * update cannot reorder them); `specImage`: the image its spec names (changes with `kubectl set image`).
   */
  constructor(readonly name: string, public specImage: string, index: number, kind: 'init' | 'sidecar' | 'main') {
    this.image = specImage;
    this.flags = (index << INDEX_SHIFT) | (KINDS.indexOf(kind) << KIND_SHIFT);
  }

  /** The container's position in the pod's init containers followed by its containers. */
  get index(): number {
    return this.flags >>> INDEX_SHIFT;
  }

  get kind(): 'init' | 'sidecar' | 'main' {
    return KINDS[(this.flags >>> KIND_SHIFT) & 3]!;
  }

  /** The field path events about this container carry: `spec.containers{web}`. */
  get fieldPath(): string {
    return `${this.kind === 'main' ? 'spec.containers' : 'spec.initContainers'}{${this.name}}`;
  }

  /** Pulling, creating or starting: the worker waits for it. */
  get busy(): boolean { return (this.flags & BUSY) !== 0; }
  set busy(on: boolean) { this.set(BUSY, on); }
  /** Exited but the kubelet has not noticed yet (the next relist). */
  get noticing(): boolean { return (this.flags & NOTICING) !== 0; }
  set noticing(on: boolean) { this.set(NOTICING, on); }
  /** The kubelet has seen the current container running (a relist after it started). */
  get seen(): boolean { return (this.flags & SEEN) !== 0; }
  set seen(on: boolean) { this.set(SEEN, on); }
  /** The current container is a restart not yet counted in restartCount. */
  get uncounted(): boolean { return (this.flags & UNCOUNTED) !== 0; }
  set uncounted(on: boolean) { this.set(UNCOUNTED, on); }
  /** The spec changed (a new image): restart it regardless of policy and back-off. */
  get specChanged(): boolean { return (this.flags & SPEC_CHANGED) !== 0; }
  set specChanged(on: boolean) { this.set(SPEC_CHANGED, on); }
  /** The kubelet is killing the container to start it again (failed liveness probe, new image). */
  get killedToRestart(): boolean { return (this.flags & KILLED_TO_RESTART) !== 0; }
  set killedToRestart(on: boolean) { this.set(KILLED_TO_RESTART, on); }
  /**
   * Killed to restart and not yet seen running again: the real kubelet kills and starts in one
   * SyncPod, so no status shows the killed container in between (only a back-off or an error does).
   */
  get restarting(): boolean { return (this.flags & RESTARTING) !== 0; }
  set restarting(on: boolean) { this.set(RESTARTING, on); }

  private set(bit: number, on: boolean): void {
    this.flags = on ? this.flags | bit : this.flags & ~bit;
  }
}

/**
 * The image name the runtime reports, one string per distinct name (every container of a
 * Deployment shows the same one; each would otherwise hold its own copy).
 */
export function internImageName(name: string): string {
  return imageNames.intern(name);
}

const imageNames = new StringPool(1024);
