/**
 * ClaimObjects (pkg/controller/controller_ref_manager.go), shared by the ReplicaSet controller
 * (claiming pods) and the Deployment controller (claiming ReplicaSets): of the candidates, an
 * owner keeps what it controls and still selects, releases what it controls but no longer selects
 * (unless it is being deleted), and adopts orphans it selects (unless either side is being
 * deleted), after checking once, live, that it is itself not being deleted: the informer's copy
 * may be older than a delete, and adopting then would keep the orphan from the garbage collector.
 */
import { isStatusError } from '../api/errors';
import type { KubeObject } from '../api/types';
import type { ApiClient, GroupVersionResource } from '../client/client';
import { controllerRefOf, newControllerRef } from './pods';

export const FIELD_MANAGER = 'kube-controller-manager';

export interface ClaimOwner {
  object: KubeObject;
  gvr: GroupVersionResource;
  /** The apiVersion and kind the controller reference names. */
  apiVersion: string;
  kind: string;
}

export async function claimObjects<T extends KubeObject>(
  client: ApiClient,
  owner: ClaimOwner,
  childGvr: GroupVersionResource,
  candidates: readonly T[],
  selects: (child: T) => boolean,
): Promise<T[]> {
  const o = owner.object;
  const deleting = !!o.metadata.deletionTimestamp;
  const claimed: T[] = [];
  let canAdopt: boolean | undefined;
  for (const child of candidates) {
    const ref = controllerRefOf(child);
    const matches = selects(child);
    if (ref) {
      if (ref.uid !== o.metadata.uid) continue;
      if (matches) claimed.push(child);
      else if (!deleting) await patchChild(client, childGvr, child, [{ $patch: 'delete', uid: o.metadata.uid }]);
      continue;
    }
    if (deleting || !matches || child.metadata.deletionTimestamp) continue;
    canAdopt ??= await stillAdoptable(client, owner);
    if (!canAdopt) continue;
    const adopted = await patchChild(client, childGvr, child, [newControllerRef(o, owner.apiVersion, owner.kind)]);
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

/** RecheckDeletionTimestamp: the live owner, not the cached one, decides. */
async function stillAdoptable(client: ApiClient, owner: ClaimOwner): Promise<boolean> {
  const o = owner.object;
  try {
    const live = await client.resource(owner.gvr).get(o.metadata.name ?? '', { namespace: o.metadata.namespace });
    return live.metadata.uid === o.metadata.uid && !live.metadata.deletionTimestamp;
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return false;
    throw err;
  }
}

/**
 * Adopts or releases with a strategic merge patch of ownerReferences (merged by uid) that is
 * conditional on the child's uid. A child gone, replaced, or taken by another controller in the
 * meantime (Invalid: two controller references) is simply not claimed.
 */
async function patchChild<T extends KubeObject>(client: ApiClient, gvr: GroupVersionResource, child: T, ownerReferences: unknown[]): Promise<T | undefined> {
  try {
    return await client.resource<T>(gvr).patch(child.metadata.name ?? '', 'strategic', { metadata: { ownerReferences, uid: child.metadata.uid } }, { namespace: child.metadata.namespace, fieldManager: FIELD_MANAGER });
  } catch (err) {
    if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict') || isStatusError(err, 'Invalid')) return undefined;
    throw err;
  }
}
