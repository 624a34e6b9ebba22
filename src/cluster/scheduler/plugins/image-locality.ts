/**
 * ImageLocality (Score; weight 1): prefers nodes that already have the pod's images (from
 * node.status.images, which the kubelet fills as it pulls), scaled by how widely the image is
 * spread so that one node does not attract every pod.
 */
import type { Pod } from '../../api/types';
import type { CycleState } from '../framework/cycle-state';
import type { Handle, ScorePlugin } from '../framework/interface';
import { MAX_NODE_SCORE } from '../framework/interface';
import { normalizedImageName, type NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { imageCountsGeneration } from '../framework/snapshot';
import { IMAGE_LOCALITY } from './names';

const MB = 1024 * 1024;
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

const imagesOfPod = new WeakMap<Pod, string[]>();

/** The pod's images (init containers first), normalized; computed once per pod object. */
function podImages(pod: Pod): string[] {
  let images = imagesOfPod.get(pod);
  if (!images) {
    images = [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])].filter((c) => c.image).map((c) => normalizedImageName(c.image!));
    imagesOfPod.set(pod, images);
  }
  return images;
}

/** Sum over the pod's container images of image size × (nodes with the image / all nodes). */
export function sumImageScores(node: NodeInfo, images: string[], totalNumNodes: number): number {
  let sum = 0;
  for (const image of images) {
    const state = node.imageStates.get(image);
    if (state) sum += Math.trunc(state.sizeBytes * (state.numNodes / totalNumNodes));
  }
  return sum;
}

export function imageLocalityScore(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = Math.min(Math.max(sumScores, MIN_THRESHOLD), maxThreshold);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
}

export class ImageLocality implements ScorePlugin {
  readonly name = IMAGE_LOCALITY;

  constructor(private readonly handle: Handle) {}

  /** What score() needs of the pod being scored, worked out once per pod (it runs for every feasible node). */
  private current: { pod: Pod; images: string[]; numContainers: number; total: number; counts: number; key: string } | undefined;

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const total = this.handle.snapshot().nodes.length;
    const counts = imageCountsGeneration();
    let c = this.current;
    if (c?.pod !== pod.pod || c.total !== total || c.counts !== counts) {
      const images = podImages(pod.pod);
      // The sum depends on the images, the node's images (NodeInfo forgets it when they change)
      // and how many nodes have each image: the key names all three.
      const key = `${counts}\u0000${total}\u0000${images.join('\u0000')}`;
      c = this.current = { pod: pod.pod, images, numContainers: (pod.pod.spec.initContainers ?? []).length + (pod.pod.spec.containers ?? []).length, total, counts, key };
    }
    if (node.imageScoreKey !== c.key) {
      node.imageScoreSum = sumImageScores(node, c.images, total);
      node.imageScoreKey = c.key;
    }
    return imageLocalityScore(node.imageScoreSum, c.numContainers);
  }
}
