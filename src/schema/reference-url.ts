/**
 * Links into the Kubernetes API reference on kubernetes.io for hovers, in the layout the 1.32 docs use:
 * https://kubernetes.io/docs/reference/kubernetes-api/<category>/<kind-in-kebab-case>-<version>/#<Type>.
 * Each resource page has a section per type it documents (`#Pod`, `#PodSpec`, `#Container`, and named
 * anchors for types shown inline such as `#Toleration`); shared types live under common-definitions.
 * The anchor is the type that declares the hovered field; when that type is documented on another
 * page, the link goes there.
 */
import { loadFieldIndex, type FieldIndex } from './field-index';
import type { FieldPathSegment, GroupVersionKind } from './types';

export const API_REFERENCE_BASE = 'https://kubernetes.io/docs/reference/kubernetes-api/';

const CATEGORIES: Record<string, string[]> = {
  'workload-resources': [
    'Pod', 'PodTemplate', 'ReplicationController', 'ReplicaSet', 'Deployment', 'StatefulSet', 'ControllerRevision',
    'DaemonSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler', 'PriorityClass', 'PodSchedulingContext',
    'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice', 'DeviceClass',
  ],
  'service-resources': ['Service', 'Endpoints', 'EndpointSlice', 'Ingress', 'IngressClass'],
  'config-and-storage-resources': [
    'ConfigMap', 'Secret', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'PersistentVolumeClaim', 'PersistentVolume',
    'StorageClass', 'StorageVersionMigration', 'VolumeAttachment', 'VolumeAttributesClass',
  ],
  'authentication-resources': [
    'ServiceAccount', 'TokenRequest', 'TokenReview', 'CertificateSigningRequest', 'ClusterTrustBundle', 'SelfSubjectReview',
  ],
  'authorization-resources': [
    'LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview',
    'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding',
  ],
  'policy-resources': [
    'FlowSchema', 'LimitRange', 'ResourceQuota', 'NetworkPolicy', 'PodDisruptionBudget', 'PriorityLevelConfiguration',
    'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding',
  ],
  'extend-resources': ['CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  'cluster-resources': [
    'APIService', 'Binding', 'ComponentStatus', 'Event', 'IPAddress', 'Lease', 'LeaseCandidate', 'Namespace', 'Node',
    'RuntimeClass', 'ServiceCIDR', 'StorageVersion',
  ],
};

const CATEGORY_OF = new Map<string, string>();
for (const [category, kinds] of Object.entries(CATEGORIES)) for (const kind of kinds) CATEGORY_OF.set(kind, category);

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const CORE = 'io.k8s.api.core.v1.';

/** Shared types with a page of their own (page path relative to the reference root). */
const TYPE_PAGES: Record<string, string> = {
  [`${META}ObjectMeta`]: 'common-definitions/object-meta/',
  [`${META}OwnerReference`]: 'common-definitions/object-meta/',
  [`${META}ManagedFieldsEntry`]: 'common-definitions/object-meta/',
  [`${META}ListMeta`]: 'common-definitions/list-meta/',
  [`${META}LabelSelector`]: 'common-definitions/label-selector/',
  [`${META}LabelSelectorRequirement`]: 'common-definitions/label-selector/',
  [`${META}Status`]: 'common-definitions/status/',
  [`${META}DeleteOptions`]: 'common-definitions/delete-options/',
  [`${CORE}LocalObjectReference`]: 'common-definitions/local-object-reference/',
  [`${CORE}ObjectReference`]: 'common-definitions/object-reference/',
  [`${CORE}NodeSelectorRequirement`]: 'common-definitions/node-selector-requirement/',
  [`${CORE}ObjectFieldSelector`]: 'common-definitions/object-field-selector/',
  [`${CORE}ResourceFieldSelector`]: 'common-definitions/resource-field-selector/',
  [`${CORE}KeyToPath`]: 'common-definitions/key-to-path/',
  [`${CORE}ExecAction`]: 'common-definitions/exec-action/',
  [`${CORE}HTTPGetAction`]: 'common-definitions/http-get-action/',
  [`${CORE}TCPSocketAction`]: 'common-definitions/tcp-socket-action/',
  [`${CORE}DownwardAPIVolumeFile`]: 'common-definitions/downward-api-volume-file/',
  [`${CORE}Volume`]: 'config-and-storage-resources/volume/',
  [`${CORE}PodTemplateSpec`]: 'workload-resources/pod-template-v1/',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'common-definitions/quantity/',
};

/** `HorizontalPodAutoscaler` → `horizontal-pod-autoscaler`, `CSIDriver` → `csi-driver`. */
export function kebabCase(kind: string): string {
  return kind
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** The resource's page, e.g. workload-resources/pod-v1/; undefined for kinds the reference has no page for. */
export function resourcePage(gvk: GroupVersionKind): string | undefined {
  const category = CATEGORY_OF.get(gvk.kind);
  return category === undefined ? undefined : `${category}/${kebabCase(gvk.kind)}-${gvk.version}/`;
}

/**
 * The API reference link for a kind, or for a field of it: the section of the type that declares the
 * field (`Pod` + `spec.containers` → …/pod-v1/#PodSpec). Undefined for kinds without a page.
 */
export function referenceUrl(
  gvk: GroupVersionKind,
  fieldPath?: readonly FieldPathSegment[] | string,
  index: FieldIndex = loadFieldIndex(),
): string | undefined {
  const page = resourcePage(gvk);
  if (page === undefined) return undefined;
  const kindUrl = `${API_REFERENCE_BASE}${page}#${gvk.kind}`;
  const hasPath = fieldPath !== undefined && fieldPath.length > 0;
  if (!hasPath) return kindUrl;
  const owner = index.resolve(gvk, fieldPath)?.parentDefinition;
  if (owner === undefined) return kindUrl;
  const typeName = owner.slice(owner.lastIndexOf('.') + 1);
  const ownPage = TYPE_PAGES[owner];
  if (ownPage !== undefined) return `${API_REFERENCE_BASE}${ownPage}#${typeName}`;
  const kindDefinition = index.schemaForKind(gvk)?.name ?? '';
  const samePackage = packageOf(owner) === packageOf(kindDefinition);
  // Core pod types reached from other kinds (a Deployment's pod template) are documented with the Pod.
  if (!samePackage && owner.startsWith(CORE)) return `${API_REFERENCE_BASE}workload-resources/pod-v1/#${typeName}`;
  return samePackage ? `${API_REFERENCE_BASE}${page}#${typeName}` : kindUrl;
}

function packageOf(definition: string): string {
  return definition.slice(0, definition.lastIndexOf('.'));
}
