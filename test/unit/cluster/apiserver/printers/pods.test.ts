import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod } from '../../../../../src/cluster/api/types';
import { podTable, summarizePod } from '../../../../../src/cluster/apiserver/printers/pods';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const CREATED = '2026-01-01T00:00:00Z';

function pod(over: { spec?: Partial<Pod['spec']>; status?: Pod['status']; deletionTimestamp?: string } = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: CREATED, ...(over.deletionTimestamp ? { deletionTimestamp: over.deletionTimestamp } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx' }], ...over.spec },
    status: over.status ?? { phase: 'Pending' },
  };
}

function cs(state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state, ...extra };
}

const running = cs({ running: { startedAt: CREATED } }, { ready: true, started: true });
const waiting = (reason: string) => cs({ waiting: { reason } });
const terminated = (reason: string | undefined, exitCode: number, extra: { signal?: number } = {}) =>
  cs({ terminated: { exitCode, ...(reason ? { reason } : {}), ...extra } });
const readyCond = [{ type: 'Ready', status: 'True' as const }];

test('STATUS follows kubectl 1.32 printPod for every path', () => {
  const cases: [string, Pod, string, string][] = [
    ['pending, unscheduled', pod(), 'Pending', '0/1'],
    ['scheduling gated', pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }), 'SchedulingGated', '0/1'],
    ['container creating', pod({ status: { phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] } }), 'ContainerCreating', '0/1'],
    ['running', pod({ status: { phase: 'Running', conditions: readyCond, containerStatuses: [running] } }), 'Running', '1/1'],
    ['completed', pod({ status: { phase: 'Succeeded', containerStatuses: [terminated('Completed', 0)] } }), 'Completed', '0/1'],
    ['error', pod({ status: { phase: 'Failed', containerStatuses: [terminated('Error', 1)] } }), 'Error', '0/1'],
    ['crash loop', pod({ status: { phase: 'Running', containerStatuses: [waiting('CrashLoopBackOff')] } }), 'CrashLoopBackOff', '0/1'],
    ['image pull error', pod({ status: { phase: 'Pending', containerStatuses: [waiting('ErrImagePull')] } }), 'ErrImagePull', '0/1'],
    ['image pull back-off', pod({ status: { phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] } }), 'ImagePullBackOff', '0/1'],
    ['OOM killed', pod({ status: { phase: 'Running', containerStatuses: [terminated('OOMKilled', 137)] } }), 'OOMKilled', '0/1'],
    ['exit code without reason', pod({ status: { phase: 'Running', containerStatuses: [terminated(undefined, 3)] } }), 'ExitCode:3', '0/1'],
    ['signal without reason', pod({ status: { phase: 'Running', containerStatuses: [terminated(undefined, 137, { signal: 9 })] } }), 'Signal:9', '0/1'],
    [
      'init 0/1',
      pod({ spec: { initContainers: [{ name: 'init', image: 'busybox' }] }, status: { phase: 'Pending', initContainerStatuses: [{ ...waiting('PodInitializing'), name: 'init' }] } }),
      'Init:0/1',
      '0/1',
    ],
    [
      'init error',
      pod({ spec: { initContainers: [{ name: 'init', image: 'busybox' }] }, status: { phase: 'Pending', initContainerStatuses: [{ ...terminated('Error', 1), name: 'init' }] } }),
      'Init:Error',
      '0/1',
    ],
    [
      'init crash loop',
      pod({ spec: { initContainers: [{ name: 'init', image: 'busybox' }] }, status: { phase: 'Pending', initContainerStatuses: [{ ...waiting('CrashLoopBackOff'), name: 'init' }] } }),
      'Init:CrashLoopBackOff',
      '0/1',
    ],
    [
      'init exit code',
      pod({ spec: { initContainers: [{ name: 'init', image: 'busybox' }] }, status: { phase: 'Pending', initContainerStatuses: [{ ...terminated(undefined, 2), name: 'init' }] } }),
      'Init:ExitCode:2',
      '0/1',
    ],
    [
      'second of two init containers',
      pod({
        spec: { initContainers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] },
        status: { phase: 'Pending', initContainerStatuses: [{ ...terminated('Completed', 0), name: 'a' }, { ...cs({ running: {} }), name: 'b' }] },
      }),
      'Init:1/2',
      '0/1',
    ],
    [
      'started sidecar counts as ready and done',
      pod({
        spec: { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
        status: {
          phase: 'Running',
          conditions: [...readyCond, { type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ ...running, name: 'proxy' }],
          containerStatuses: [running],
        },
      }),
      'Running',
      '2/2',
    ],
    ['terminating', pod({ deletionTimestamp: CREATED, status: { phase: 'Running', conditions: readyCond, containerStatuses: [running] } }), 'Terminating', '1/1'],
    ['deleted after success stays Completed', pod({ deletionTimestamp: CREATED, status: { phase: 'Succeeded', containerStatuses: [terminated('Completed', 0)] } }), 'Completed', '0/1'],
    ['node lost', pod({ deletionTimestamp: CREATED, status: { phase: 'Running', reason: 'NodeLost', containerStatuses: [running] } }), 'Unknown', '1/1'],
    ['evicted', pod({ status: { phase: 'Failed', reason: 'Evicted' } }), 'Evicted', '0/1'],
    [
      'one completed, one running and ready',
      pod({
        spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] },
        status: { phase: 'Running', conditions: readyCond, containerStatuses: [{ ...terminated('Completed', 0), name: 'a' }, { ...running, name: 'b' }] },
      }),
      'Running',
      '1/2',
    ],
    [
      'one completed, one running, pod not ready',
      pod({
        spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] },
        status: { phase: 'Running', containerStatuses: [{ ...terminated('Completed', 0), name: 'a' }, { ...running, name: 'b' }] },
      }),
      'NotReady',
      '1/2',
    ],
  ];
  for (const [name, p, status, ready] of cases) {
    const s = summarizePod(p);
    assert.equal(s.status, status, name);
    assert.equal(s.ready, ready, name);
  }
});

test('RESTARTS shows the age of the last termination', () => {
  const p = pod({
    status: {
      phase: 'Running',
      containerStatuses: [{ ...waiting('CrashLoopBackOff'), restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:59:15Z' } } }],
    },
  });
  const cells = podTable.cells(p, NOW);
  assert.deepEqual(cells.slice(0, 5), ['web', '0/1', 'CrashLoopBackOff', '2 (45s ago)', '60m']);
  assert.equal(podTable.cells(pod(), NOW)[3], '0');
});

test('wide cells: IP, node, nominated node and readiness gates', () => {
  const p = pod({
    spec: { nodeName: 'node-1', readinessGates: [{ conditionType: 'lb' }] },
    status: { phase: 'Running', podIPs: [{ ip: '10.244.1.7' }], conditions: [{ type: 'lb', status: 'True' }] },
  });
  assert.deepEqual(podTable.cells(p, NOW).slice(5), ['10.244.1.7', 'node-1', '<none>', '1/1']);
  assert.deepEqual(podTable.cells(pod(), NOW).slice(5), ['<none>', '<none>', '<none>', '<none>']);
});

test('columns are kube-apiserver\'s', () => {
  assert.deepEqual(
    podTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ],
  );
  assert.match(podTable.columns[0]!.description, /^Name must be unique within a namespace\./);
});
