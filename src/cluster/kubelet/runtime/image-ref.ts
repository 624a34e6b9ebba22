/**
 * Image references as containerd reads them (github.com/distribution/reference): `[host[:port]/]path[:tag][@digest]`.
 * A reference with no host is on docker.io, a one-part path there is in `library/`, and no tag means `latest`.
 */

export interface ImageReference {
  /** What the manifest said, e.g. `nginx:1.27`. */
  original: string;
  /** `docker.io` */
  domain: string;
  /** `library/nginx` */
  path: string;
  tag: string;
  digest?: string;
  /** `docker.io/library/nginx:1.27` (with `@sha256:…` when a digest was given) */
  fullName: string;
  /** `docker.io/library/nginx` */
  repository: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;
const DOMAIN = /^(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+|\[[0-9a-fA-F:]+\])(?::\d+)?$|^[a-zA-Z0-9-]+:\d+$/;

/** Parses and normalizes; undefined when containerd would call the reference invalid. */
export function parseImageReference(original: string): ImageReference | undefined {
  if (!original || original.trim() !== original || original.length > 255 + 128) return undefined;
  let rest = original;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let domain = 'docker.io';
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost' || parts[0] !== parts[0]!.toLowerCase())) {
    domain = parts.shift()!;
    if (!DOMAIN.test(domain)) return undefined;
  }
  if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) return undefined;
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  const repository = `${domain}/${path}`;
  const finalTag = tag ?? (digest ? '' : 'latest');
  let fullName = finalTag ? `${repository}:${finalTag}` : repository;
  if (digest) fullName += `@${digest}`;
  const ref: ImageReference = { original, domain, path, tag: finalTag || 'latest', fullName, repository };
  if (digest) ref.digest = digest;
  return ref;
}

/**
 * parseImageReference's answer for `image`, the same frozen object for the same text: every
 * container start reads its image's reference, and a cluster runs few distinct images. At most
 * MAX_REMEMBERED texts are remembered (all forgotten at once past that).
 */
export function imageReference(image: string): Readonly<ImageReference> | undefined {
  let ref = remembered.get(image);
  if (ref === undefined) {
    ref = parseImageReference(image) ?? INVALID;
    Object.freeze(ref);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(image, ref);
  }
  return ref === INVALID ? undefined : ref;
}

const INVALID: ImageReference = Object.freeze({ original: '', domain: '', path: '', tag: '', fullName: '', repository: '' });
const remembered = new Map<string, Readonly<ImageReference>>();
const MAX_REMEMBERED = 256;

/** The kubelet's InvalidImageName message. */
export function invalidImageNameMessage(image: string): string {
  return `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
}
