/**
 * TEMPORARY until the kubelets (src/cluster/kubelet) register their own nodes: plain Ready Node
 * objects node-1 … node-N, so that `kubectl get nodes` and the tree have nodes to show.
 */
import { isStatusError } from '../../api/errors';
import type { Node } from '../../api/types';
import { NODES, type ApiClient } from '../../client/client';
import { rfc3339 } from '../registry/codec';

export async function registerPlaceholderNodes(client: ApiClient, count: number, now: number): Promise<void> {
  const nodes = client.resource<Node>(NODES);
  for (let i = 1; i <= count; i++) {
    const name = `node-${i}`;
    const time = rfc3339(now);
    let node: Node;
    try {
      node = await nodes.create({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: {
            'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
            'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux',
          },
        },
        spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
      });
    } catch (err) {
      if (isStatusError(err, 'AlreadyExists')) continue;
      throw err;
    }
    const resources = { cpu: '4', 'ephemeral-storage': '61255492Ki', memory: '8152920Ki', pods: '110' };
    node.status = {
      capacity: resources,
      allocatable: resources,
      conditions: [
        { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: time, lastTransitionTime: time, reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
        { type: 'DiskPressure', status: 'False', lastHeartbeatTime: time, lastTransitionTime: time, reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
        { type: 'PIDPressure', status: 'False', lastHeartbeatTime: time, lastTransitionTime: time, reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
        { type: 'Ready', status: 'True', lastHeartbeatTime: time, lastTransitionTime: time, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 1}` }, { type: 'Hostname', address: name }],
      nodeInfo: {
        architecture: 'amd64', bootID: '', containerRuntimeVersion: 'kube-sim://0.1.0', kernelVersion: '6.8.0',
        kubeProxyVersion: 'v1.32.4', kubeletVersion: 'v1.32.4', machineID: '', operatingSystem: 'linux',
        osImage: 'Kube Sim simulated node', systemUUID: '',
      },
    };
    await nodes.update(node, { subresource: 'status' });
  }
}
