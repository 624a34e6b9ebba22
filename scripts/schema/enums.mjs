// Enum values of the Kubernetes 1.32 API's `+enum` string types, keyed by definition and property.
//
// kube-apiserver 1.32 serves these as `enum` in its OpenAPI v3 schemas, with the values appended to the
// description (its OpenAPIEnums feature is beta, on by default; kubectl explain prints `ENUM:`). The
// pinned spec was generated with that feature off and carries none, so the build adds them from this table.
// Values are sorted as kube-openapi sorts them. A key of `prop[]` means the items of an array property.
const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const BATCH = 'io.k8s.api.batch.v1.';

const protocol = ['SCTP', 'TCP', 'UDP'];
const taintEffect = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const pullPolicy = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicy = ['FallbackToLogsOnError', 'File'];
const profileType = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const trafficPolicy = ['Cluster', 'Local'];
const inclusionPolicy = ['Honor', 'Ignore'];
const updateStrategy = ['OnDelete', 'RollingUpdate'];

export const ENUMS = {
  [`${CORE}Container`]: {
    imagePullPolicy: pullPolicy,
    terminationMessagePolicy,
    restartPolicy: ['Always'],
  },
  [`${CORE}EphemeralContainer`]: {
    imagePullPolicy: pullPolicy,
    terminationMessagePolicy,
    restartPolicy: ['Always'],
  },
  [`${CORE}ContainerPort`]: { protocol },
  [`${CORE}ServicePort`]: { protocol },
  [`${CORE}EndpointPort`]: { protocol },
  [`${CORE}PortStatus`]: { protocol },
  [`${CORE}PodSpec`]: {
    restartPolicy: ['Always', 'Never', 'OnFailure'],
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    preemptionPolicy: ['Never', 'PreemptLowerPriority'],
  },
  [`${CORE}PodSecurityContext`]: {
    fsGroupChangePolicy: ['Always', 'OnRootMismatch'],
    supplementalGroupsPolicy: ['Merge', 'Strict'],
  },
  [`${CORE}SecurityContext`]: { procMount: ['Default', 'Unmasked'] },
  [`${CORE}SeccompProfile`]: { type: profileType },
  [`${CORE}AppArmorProfile`]: { type: profileType },
  [`${CORE}Toleration`]: { operator: ['Equal', 'Exists'], effect: taintEffect },
  [`${CORE}Taint`]: { effect: taintEffect },
  [`${CORE}NodeSelectorRequirement`]: { operator: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] },
  [`${CORE}ScopedResourceSelectorRequirement`]: { operator: ['DoesNotExist', 'Exists', 'In', 'NotIn'] },
  [`${CORE}TopologySpreadConstraint`]: {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: inclusionPolicy,
    nodeTaintsPolicy: inclusionPolicy,
  },
  [`${CORE}VolumeMount`]: { mountPropagation: ['Bidirectional', 'HostToContainer', 'None'] },
  [`${CORE}HTTPGetAction`]: { scheme: ['HTTP', 'HTTPS'] },
  [`${CORE}HostPathVolumeSource`]: {
    type: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
  },
  [`${CORE}ContainerResizePolicy`]: { restartPolicy: ['NotRequired', 'RestartContainer'] },
  [`${CORE}PodStatus`]: {
    phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
    qosClass: ['BestEffort', 'Burstable', 'Guaranteed'],
  },
  [`${CORE}NodeStatus`]: { phase: ['Pending', 'Running', 'Terminated'] },
  [`${CORE}NamespaceStatus`]: { phase: ['Active', 'Terminating'] },
  [`${CORE}ServiceSpec`]: {
    type: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: trafficPolicy,
    internalTrafficPolicy: trafficPolicy,
    ipFamilyPolicy: ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
  },
  [`${CORE}PersistentVolumeClaimSpec`]: { volumeMode: ['Block', 'Filesystem'] },
  [`${CORE}PersistentVolumeSpec`]: {
    persistentVolumeReclaimPolicy: ['Delete', 'Recycle', 'Retain'],
    volumeMode: ['Block', 'Filesystem'],
  },
  [`${APPS}DeploymentStrategy`]: { type: ['Recreate', 'RollingUpdate'] },
  [`${APPS}StatefulSetSpec`]: { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  [`${APPS}StatefulSetUpdateStrategy`]: { type: updateStrategy },
  [`${APPS}DaemonSetUpdateStrategy`]: { type: updateStrategy },
  [`${BATCH}JobSpec`]: {
    completionMode: ['Indexed', 'NonIndexed'],
    podReplacementPolicy: ['Failed', 'TerminatingOrFailed'],
  },
  [`${BATCH}CronJobSpec`]: { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  [`${BATCH}PodFailurePolicyRule`]: { action: ['Count', 'FailIndex', 'FailJob', 'Ignore'] },
  [`${BATCH}PodFailurePolicyOnExitCodesRequirement`]: { operator: ['In', 'NotIn'] },
};
