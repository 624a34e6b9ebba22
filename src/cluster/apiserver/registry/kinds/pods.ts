/**
 * pods (core/v1) and their subresources. Defaults and validation live in src/cluster/api
 * (defaults/pod.ts, validation/pod.ts); this file wires them into the strategy: a new pod starts
 * Pending with its QoS class, the main resource keeps the old status, `pods/status` keeps the spec
 * (and, as kube-apiserver does, ignores deletionTimestamp and ownerReferences changes).
 */
import { applyMatchLabelKeysToAffinity, defaultPod, goEncodedConditions, initialPodStatus } from '../../../api/defaults/pod';
import type { KubeObject, Pod } from '../../../api/types';
import { podWarningsOnCreate } from '../../../api/validation/pod-warnings';
import { validateEphemeralContainersUpdate, validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from '../../../api/validation/pod';
import { podTable } from '../../printers/pods';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, clone, fieldValue, kindStrategy, selectable, STATUS_VERBS } from './common';

export const pods: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  resource: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  verbs: ALL_VERBS,
  subresources: [
    { name: 'binding', kind: 'Binding', verbs: ['create'] },
    { name: 'ephemeralcontainers', kind: 'Pod', verbs: STATUS_VERBS },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'status', kind: 'Pod', verbs: STATUS_VERBS },
  ],
  strategy: kindStrategy({
    namespaced: true,
    hasStatus: true,
    defaults(object, ctx) {
      // A status write keeps the stored spec, which was defaulted when it was stored: defaulting
      // the spec again would change nothing (and may be the stored object's own, see statusSharesSpec).
      if (ctx.subresource !== 'status') return defaultPod(object as Pod);
      const status = (object as Pod).status;
      if (status && typeof status === 'object') goEncodedConditions(status);
    },
    statusSharesSpec: true,
    prepareForCreate(object, ctx) {
      const pod = object as Pod;
      applyMatchLabelKeysToAffinity(pod);
      pod.status = initialPodStatus(pod, new Date(Math.floor(ctx.now / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    },
    prepareForUpdate(object, old, ctx) {
      // Writes without a field manager (server-side apply) skip `defaults`; the stored shape is the same.
      const status = (object as Pod).status;
      if (status && typeof status === 'object') goEncodedConditions(status);
      if (ctx.subresource === 'ephemeralcontainers') {
        // Only spec.ephemeralContainers changes through this subresource.
        const eph = (object as Pod).spec?.ephemeralContainers;
        object.spec = clone(old.spec);
        if (eph === undefined) delete (object as Pod).spec.ephemeralContainers;
        else (object as Pod).spec.ephemeralContainers = eph;
        object.status = clone(old.status);
      }
      if (ctx.subresource === 'status') {
        object.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
        if (old.metadata.deletionTimestamp === undefined) delete object.metadata.deletionTimestamp;
        object.metadata.ownerReferences = clone(old.metadata.ownerReferences);
        if (old.metadata.ownerReferences === undefined) delete object.metadata.ownerReferences;
        // The QoS class is set at creation and immutable; a status write that drops it keeps the old one.
        const pod = object as Pod;
        const oldQos = (old as Pod).status?.qosClass;
        if (pod.status && !pod.status.qosClass && oldQos) pod.status.qosClass = oldQos;
      }
    },
    validate: (object) => validatePodCreate(object as Pod),
    // Pod updates have none: kube-apiserver skips them on what is a high-frequency path.
    warningsOnCreate: (object) => podWarningsOnCreate(object as Pod),
    validateUpdate(object, old, ctx) {
      if (ctx.subresource === 'status') return validatePodStatusUpdate(object as Pod, old as Pod);
      if (ctx.subresource === 'ephemeralcontainers') return validateEphemeralContainersUpdate(object as Pod, old as Pod);
      return validatePodUpdate(object as Pod, old as Pod);
    },
  }),
  table: podTable,
  selectableFields: {
    ...selectable('spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.nominatedNodeName'),
    'spec.hostNetwork': (o: KubeObject) => (fieldValue(o, 'spec.hostNetwork') === 'true' ? 'true' : 'false'),
    // status.podIP matches the first of status.podIPs, as kube-apiserver's PodToSelectableFields.
    'status.podIP': (o: KubeObject) => (o as Pod).status?.podIPs?.[0]?.ip ?? fieldValue(o, 'status.podIP'),
  },
};

