/**
 * Merge metadata of the Pod and Node fields the patch tests touch, as the Kubernetes 1.32 OpenAPI
 * schema states it (x-kubernetes-patch-strategy / -patch-merge-key / -list-type / -list-map-keys).
 */
import { metaFromTable, type MetaLookup } from '../../../../../src/cluster/apiserver/patch/patch-meta';

const container = (prefix: string) => ({
  [`${prefix}`]: { patchStrategy: 'merge', patchMergeKey: 'name' },
  [`${prefix}.ports`]: { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  [`${prefix}.ports.protocol`]: { default: 'TCP' },
  [`${prefix}.env`]: { patchStrategy: 'merge', patchMergeKey: 'name' },
  [`${prefix}.volumeMounts`]: { patchStrategy: 'merge', patchMergeKey: 'mountPath' },
  [`${prefix}.volumeDevices`]: { patchStrategy: 'merge', patchMergeKey: 'devicePath' },
});

export const podMeta: MetaLookup = metaFromTable({
  'metadata.finalizers': { patchStrategy: 'merge' },
  'metadata.ownerReferences': { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'], mapType: 'atomic' },
  ...container('spec.containers'),
  ...container('spec.initContainers'),
  'spec.volumes': { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name' },
  'spec.imagePullSecrets': { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'], mapType: 'atomic' },
  'spec.hostAliases': { patchStrategy: 'merge', patchMergeKey: 'ip' },
  'spec.topologySpreadConstraints': { patchStrategy: 'merge', patchMergeKey: 'topologyKey', listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  'spec.schedulingGates': { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  'status.conditions': { patchStrategy: 'merge', patchMergeKey: 'type' },
  'status.podIPs': { patchStrategy: 'merge', patchMergeKey: 'ip' },
});

export const nodeMeta: MetaLookup = metaFromTable({
  'metadata.finalizers': { patchStrategy: 'merge' },
  'spec.podCIDRs': { patchStrategy: 'merge' },
  'status.conditions': { patchStrategy: 'merge', patchMergeKey: 'type' },
  'status.addresses': { patchStrategy: 'merge', patchMergeKey: 'type' },
});
