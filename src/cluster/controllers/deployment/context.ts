/** What every part of a Deployment sync uses: the API client, the clock, the event recorder, the queue and the informers. */
import type { KubeObject } from '../../api/types';
import type { ApiClient } from '../../client/client';
import type { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { Clock } from '../../clock';
import type { WorkQueue } from '../work-queue';

export interface DeploymentContext {
  client: ApiClient;
  clock: Clock;
  recorder: EventRecorder;
  queue: WorkQueue;
  replicaSets: Informer<KubeObject>;
  pods: Informer<KubeObject>;
}
