/**
 * Deployment and ReplicaSet tables as kube-apiserver's printers.go builds them (printDeployment,
 * printReplicaSet): READY is "ready/desired" for deployments, counts are integers, and the wide
 * columns list the template's container names and images joined by commas and the selector.
 * Descriptions come from the extensions/v1beta1 field docs, which the printers cite.
 */
import type { KubeObject } from '../../api/types';
import { labelSelectorAsSelector, type LabelSelectorSpec } from '../../api/labels';
import type { TableConvertor } from '../registry/resource';
import { translateTimestampSince } from './age';
import { ageColumn, column, nameColumn } from './columns';

const containersDoc = 'Names of each container in the template.';
const imagesDoc = 'Images referenced by each container in the template.';

interface WorkloadShape {
  spec?: { replicas?: number; selector?: LabelSelectorSpec; template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
  status?: { replicas?: number; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/** layoutContainerCells: names and images, comma-joined. */
function containerCells(object: KubeObject): [string, string] {
  const containers = (object as WorkloadShape).spec?.template?.spec?.containers ?? [];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}

/** selector.String(), or what the printers show for a selector that does not parse. */
function selectorText(selector: LabelSelectorSpec | undefined, invalid: string): string {
  try {
    return labelSelectorAsSelector(selector).toString();
  } catch {
    return invalid;
  }
}

export const deploymentTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    column('Containers', containersDoc, { priority: 1 }),
    column('Images', imagesDoc, { priority: 1 }),
    column('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', { priority: 1 }),
  ],
  cells(object: KubeObject, now: number) {
    const d = object as WorkloadShape;
    const [names, images] = containerCells(object);
    return [
      object.metadata.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      translateTimestampSince(object.metadata.creationTimestamp, now),
      names,
      images,
      selectorText(d.spec?.selector, '<invalid>'),
    ];
  },
};

export const replicaSetTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Desired', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', { type: 'integer' }),
    column('Current', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', { type: 'integer' }),
    column('Ready', 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
    ageColumn(),
    column('Containers', containersDoc, { priority: 1 }),
    column('Images', imagesDoc, { priority: 1 }),
    column('Selector', 'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', { priority: 1 }),
  ],
  cells(object: KubeObject, now: number) {
    const rs = object as WorkloadShape;
    const [names, images] = containerCells(object);
    // metav1.FormatLabelSelector: "<none>" for an empty selector, "<error>" for one that does not parse.
    const selector = selectorText(rs.spec?.selector, '<error>') || '<none>';
    return [
      object.metadata.name ?? '',
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      translateTimestampSince(object.metadata.creationTimestamp, now),
      names,
      images,
      selector,
    ];
  },
};
