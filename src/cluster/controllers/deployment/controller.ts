/**
 * kube-controller-manager's Deployment controller (pkg/controller/deployment, 1.32), an API client
 * over the shared ReplicaSet and Deployment informers. Per sync of a Deployment:
 *
 * - it claims the ReplicaSets its selector matches (adopting orphans, releasing what stops matching);
 * - the new ReplicaSet is the oldest one whose template equals the Deployment's (ignoring the
 *   pod-template-hash label); when there is none it is created as `<deployment>-<hash>` with the
 *   hash as the pod-template-hash label in its template and selector, the next revision, and the
 *   desired-replicas / max-replicas annotations ("Scaled up replica set NAME from 0 to N");
 * - a change of spec.replicas alone scales the ReplicaSets proportionally (`sync`);
 * - RollingUpdate scales the new ReplicaSet up within maxSurge and the old ones down within
 *   maxUnavailable (unhealthy old replicas first); Recreate scales the old ones to zero, waits for
 *   their pods to be gone, then scales the new one up ("Scaled up/down replica set NAME from A to B");
 * - once complete, old ReplicaSets beyond revisionHistoryLimit (with no replicas) are deleted;
 * - status: counts from the ReplicaSets, Available (MinimumReplicasAvailable/Unavailable) and
 *   Progressing (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated,
 *   NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused/Resumed), with a look again
 *   when the progress deadline would pass.
 *
 * The revision annotation on the Deployment is written through /status, as the real controller does.
 */
import { labelSelectorAsSelector, type LabelSelector } from '../../api/labels';
import type { KubeObject } from '../../api/types';
import type { ApiClient } from '../../client/client';
import { EventRecorder } from '../../client/event-recorder';
import { objectKey, type Informer } from '../../client/informer';
import type { Clock } from '../../clock';
import { claimObjects } from '../controller-ref-manager';
import { controllerRefOf } from '../pods';
import { WorkQueue } from '../work-queue';
import type { DeploymentContext } from './context';
import { isScalingEvent, scaleSync } from './scale';
import { rolloutRecreate, rolloutRolling } from './rollout';
import { checkPausedConditions, syncStatusOnly, updateStatus } from './progress';
import { DEPLOYMENTS, REPLICASETS } from '../workload-informers';
import { rsSpecOf, specOf, type DeploymentStatus } from './util';

function selectorOf(o: KubeObject): LabelSelector | undefined {
  try {
    return labelSelectorAsSelector(specOf(o).selector as Parameters<typeof labelSelectorAsSelector>[0]);
  } catch {
    return undefined;
  }
}


export class DeploymentController {
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly ctx: DeploymentContext;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly client: ApiClient,
    clock: Clock,
    private readonly deployments: Informer<KubeObject>,
    private readonly replicaSets: Informer<KubeObject>,
    private readonly pods: Informer<KubeObject>,
  ) {
    this.queue = new WorkQueue(clock, (key) => this.sync(key), 5);
    this.recorder = new EventRecorder(client, clock, { component: 'deployment-controller' });
    this.ctx = { client, clock, recorder: this.recorder, queue: this.queue, replicaSets, pods };
  }

  start(): void {
    this.unsubscribe.push(this.deployments.addHandlers({
      onAdd: (d) => this.queue.add(objectKey(d)),
      onUpdate: (_old, d) => this.queue.add(objectKey(d)),
      onDelete: (d) => this.queue.add(objectKey(d)),
    }));
    this.unsubscribe.push(this.replicaSets.addHandlers({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, rs) => {
        if (controllerRefOf(old)?.uid !== controllerRefOf(rs)?.uid) this.replicaSetChanged(old);
        this.replicaSetChanged(rs);
      },
      onDelete: (rs) => this.replicaSetChanged(rs),
    }));
    // Recreate waits for the old pods to be gone.
    this.unsubscribe.push(this.pods.addHandlers({
      onDelete: (pod) => {
        const rsRef = controllerRefOf(pod);
        if (rsRef?.kind !== 'ReplicaSet') return;
        const rs = this.replicaSets.get(`${pod.metadata.namespace}/${rsRef.name}`);
        const d = rs ? this.owner(rs) : undefined;
        if (d && specOf(d).strategy?.type === 'Recreate') this.queue.add(objectKey(d));
      },
    }));
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.queue.stop();
  }

  async idle(): Promise<void> {
    await this.queue.idle();
    await this.recorder.flush();
  }

  private owner(rs: KubeObject): KubeObject | undefined {
    const ref = controllerRefOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${rs.metadata.namespace}/${ref.name}`);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(rs: KubeObject): void {
    if (controllerRefOf(rs)) {
      const d = this.owner(rs);
      if (d) this.queue.add(objectKey(d));
      return;
    }
    for (const d of this.deployments.list()) {
      if (d.metadata.namespace !== rs.metadata.namespace) continue;
      const s = selectorOf(d);
      if (s && !s.empty() && s.matches(rsSpecOf(rs).template?.metadata?.labels ?? rs.metadata.labels)) this.queue.add(objectKey(d));
    }
  }

  // ---- sync -----------------------------------------------------------------------------------

  private async sync(key: string): Promise<void> {
    const cached = this.deployments.get(key);
    if (!cached) return;
    const d = structuredClone(cached);
    const selector = selectorOf(d);
    if (!selector) return;
    if (selector.empty()) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      const status = (d.status ?? {}) as DeploymentStatus;
      if ((status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) await updateStatus(this.ctx, d, { ...status, observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata.deletionTimestamp) return syncStatusOnly(this.ctx, d, rsList);
    await checkPausedConditions(this.ctx, d);
    if (specOf(d).paused) return scaleSync(this.ctx, d, rsList);
    if (isScalingEvent(d, rsList)) return scaleSync(this.ctx, d, rsList);
    if (specOf(d).strategy?.type === 'Recreate') return rolloutRecreate(this.ctx, d, rsList);
    return rolloutRolling(this.ctx, d, rsList);
  }

  /** getReplicaSetsForDeployment: claim by selector (adopt orphans after a live check, release what stops matching). */
  private claimReplicaSets(d: KubeObject, selector: LabelSelector): Promise<KubeObject[]> {
    const owner = { object: d, gvr: DEPLOYMENTS, apiVersion: 'apps/v1', kind: 'Deployment' };
    const candidates = this.replicaSets.list().filter((rs) => rs.metadata.namespace === d.metadata.namespace);
    return claimObjects(this.client, owner, REPLICASETS, candidates, (rs) => selector.matches(rs.metadata.labels));
  }
}
