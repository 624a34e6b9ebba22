/**
 * Simulated nodes: the kubelets, their container runtime and the knobs the rest of the extension
 * uses (node configuration, timings as data, fault annotations, container logs).
 */
export { NodePool, workerNodes, kubeletUser, type NodePoolOptions } from './nodes';
export { Kubelet, LEASE_DURATION_SECONDS, LEASE_RENEW_MS, NODE_STATUS_UPDATE_MS, NODE_STATUS_REPORT_MS } from './kubelet';
export { DEFAULT_NODE, KUBELET_VERSION, CONTAINER_RUNTIME_VERSION, type NodeConfig } from './node-status';
export { DEFAULT_BEHAVIOUR, type KubeletBehaviour, type Timing } from './behaviour';
export { FAULT_PREFIX, containerFaults, type ContainerFaults } from './faults';
export { IMAGE_CATALOG, catalogImage, type CatalogImage } from './runtime/catalog';
export { formatLogLines, type PodLogSource, type ContainerLog, type LogLine } from './runtime/logs';
