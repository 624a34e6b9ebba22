/**
 * The node's image store and puller: images present on this node (reported in node.status.images,
 * which the scheduler's ImageLocality reads), pulls that take time by size, one at a time as the
 * kubelet's default serialized puller does, and the registry's answers for images it does not have.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import type { KubeletBehaviour, Random } from './behaviour';
import { catalogImage, IMAGE_CATALOG, type CatalogImage } from './runtime/catalog';
import { parseImageReference, type ImageReference } from './runtime/image-ref';

export type PullOutcome =
  | { ok: true; image: CatalogImage; imageID: string; pullMs: number; totalMs: number; sizeBytes: number }
  | { ok: false; message: string };

interface PresentImage {
  repository: string;
  tags: Set<string>;
  sizeBytes: number;
  digest: string;
}

/** The kubelet reports at most this many images (nodeStatusMaxImages). */
const MAX_REPORTED_IMAGES = 50;
const REGISTRIES = new Set(IMAGE_CATALOG.map((i) => i.repository.split('/')[0]!));

/**
 * The digest the simulated registry gives `repository:tag`. A pure function that every pull and
 * every node's preload asks for, of a few names: remembered (a bounded set, names are few).
 */
export function imageDigest(repository: string, tag: string): string {
  const name = `${repository}:${tag}`;
  let digest = digests.get(name);
  if (digest === undefined) {
    digest = `sha256:${createHash('sha256').update(name).digest('hex')}`;
    if (digests.size >= MAX_REMEMBERED_DIGESTS) digests.clear();
    digests.set(name, digest);
  }
  return digest;
}

const MAX_REMEMBERED_DIGESTS = 1024;
const digests = new Map<string, string>();

/**
 * Image IDs already made, by repository, tag and digest: every container of an image gets the same
 * string (kept in its status for as long as it runs) without hashing again.
 */
const imageIDs = new Map<string, string>();
const MAX_IMAGE_IDS = 1024;

export function imageID(ref: ImageReference): string {
  const key = `${ref.repository}:${ref.tag}@${ref.digest ?? ''}`;
  let id = imageIDs.get(key);
  if (id === undefined) {
    if (imageIDs.size >= MAX_IMAGE_IDS) imageIDs.clear();
    id = `${ref.repository}@${ref.digest ?? imageDigest(ref.repository, ref.tag)}`;
    imageIDs.set(key, id);
  }
  return id;
}

/** The registry's answer for an image the catalog does not have, as containerd words it. */
export function pullErrorMessage(ref: ImageReference): string | undefined {
  const image = catalogImage(ref.repository);
  const name = ref.fullName;
  if (!REGISTRIES.has(ref.domain)) {
    const path = ref.path;
    return `rpc error: code = Unknown desc = failed to pull and unpack image "${name}": failed to resolve reference "${name}": failed to do request: Head "https://${ref.domain}/v2/${path}/manifests/${ref.digest ?? ref.tag}": dial tcp: lookup ${ref.domain.replace(/:\d+$/, '')}: no such host`;
  }
  if (!image) {
    return `rpc error: code = Unknown desc = failed to pull and unpack image "${name}": failed to resolve reference "${name}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  if (!ref.digest && !image.tags.includes(ref.tag)) {
    return `rpc error: code = NotFound desc = failed to pull and unpack image "${name}": failed to resolve reference "${name}": ${name}: not found`;
  }
  return undefined;
}

export class ImageManager {
  private readonly present = new Map<string, PresentImage>();
  private queue: Promise<unknown> = Promise.resolve();
  private version = 0;

  constructor(private readonly clock: Clock, private readonly random: Random, private readonly behaviour: KubeletBehaviour) {}

  /** Bumped whenever the set of images changes (the node status reports them). */
  get imagesVersion(): number {
    return this.version;
  }

  has(ref: ImageReference): boolean {
    const image = this.present.get(ref.repository);
    return !!image && (ref.digest ? true : image.tags.has(ref.tag));
  }

  /** Puts an image on the node without a pull (images a node boots with). */
  preload(ref: ImageReference): void {
    const image = catalogImage(ref.repository);
    if (image) this.add(ref, image);
  }

  /**
   * Puts back what node.status.images listed (a restarted kubelet: the images stayed on the node's
   * disk). Names of the catalog's images only, by tag; digest names are skipped.
   */
  restore(images: readonly { names?: string[] }[] | undefined): void {
    for (const image of images ?? []) {
      for (const name of image.names ?? []) {
        if (name.includes('@')) continue;
        const ref = parseImageReference(name);
        const known = ref && catalogImage(ref.repository);
        if (ref && known) this.add(ref, known);
      }
    }
  }

  /**
   * Pulls `ref`, after any pull already under way on this node. `totalMs` includes that waiting.
   * `extraDelayMs` and `failWith` are fault injection.
   */
  pull(ref: ImageReference, options: { extraDelayMs?: number; failWith?: string } = {}): Promise<PullOutcome> {
    const requested = this.clock.now();
    const run = async (): Promise<PullOutcome> => {
      const began = this.clock.now();
      const error = options.failWith ?? pullErrorMessage(ref);
      const image = catalogImage(ref.repository);
      const cached = this.has(ref);
      const latency = this.random.duration(this.behaviour.pullLatency);
      const transfer = error || cached || !image ? 0 : Math.round((image.sizeBytes / this.behaviour.pullBytesPerSecond) * 1000);
      await this.clock.sleep(latency + transfer + (options.extraDelayMs ?? 0));
      if (error || !image) return { ok: false, message: error ?? 'not found' };
      this.add(ref, image);
      const done = this.clock.now();
      return { ok: true, image, imageID: imageID(ref), pullMs: done - began, totalMs: done - requested, sizeBytes: image.sizeBytes };
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** node.status.images: largest first, at most 50, each with its digest name and tag names. */
  nodeImages(): { names: string[]; sizeBytes: number }[] {
    return [...this.present.values()]
      .sort((a, b) => b.sizeBytes - a.sizeBytes)
      .slice(0, MAX_REPORTED_IMAGES)
      .map((i) => ({ names: [`${i.repository}@${i.digest}`, ...[...i.tags].sort().map((t) => `${i.repository}:${t}`)], sizeBytes: i.sizeBytes }));
  }

  private add(ref: ImageReference, image: CatalogImage): void {
    let entry = this.present.get(ref.repository);
    if (!entry) {
      entry = { repository: ref.repository, tags: new Set(), sizeBytes: image.sizeBytes, digest: imageDigest(ref.repository, ref.tag) };
      this.present.set(ref.repository, entry);
    }
    if (!entry.tags.has(ref.tag)) {
      entry.tags.add(ref.tag);
      this.version++;
    }
  }
}
