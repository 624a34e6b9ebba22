import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodCondition } from '../../../../src/cluster/api/types';
import { conditionMemo, rememberedCondition } from '../../../../src/cluster/kubelet/condition-memo';
import { podConditions, timedPodConditions, withTransitionTimes, type ContainerView, type Phase, type PodView } from '../../../../src/cluster/kubelet/pod-status';
import { makePod } from './fake-host';

const NOW = Date.parse('2026-01-01T00:05:00Z');

function view(kind: ContainerView['kind'], name: string, s: { running?: boolean; terminated?: boolean; ready?: boolean; started?: boolean; succeeded?: boolean }): ContainerView {
  return {
    name, kind, ready: !!s.ready, started: !!s.started, succeeded: !!s.succeeded, restartCount: 0, image: 'busybox:1.36', imageID: '', containerID: undefined, volumeMounts: undefined,
    state: s.running ? { running: { startedAt: '2026-01-01T00:00:01Z' } } : s.terminated ? { terminated: { exitCode: 0, reason: 'Completed' } } : { waiting: { reason: 'ContainerCreating' } },
    lastState: {},
  };
}

// What publish handed over before: podConditions, then withTransitionTimes from the remembered conditions.
test('timedPodConditions writes, text for text, what withTransitionTimes(podConditions(...)) wrote', () => {
  const t = (s: number) => `2026-01-01T00:0${s}:00Z`;
  const remembered: (PodCondition[] | undefined)[] = [
    undefined,
    [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t(0) }],
    [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: t(1) },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t(1) },
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: t(2), reason: 'ContainersNotReady', message: 'x' },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: t(3) },
      { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: t(0) },
    ],
    [{ type: 'Ready', status: 'True', lastProbeTime: null }, { type: 'Initialized', status: 'False', lastProbeTime: null, lastTransitionTime: t(4) }],
  ];
  const scheduledOptions: (PodCondition[] | undefined)[] = [
    undefined,
    [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t(0) }],
    [{ type: 'PodScheduled', status: 'False', lastTransitionTime: t(1), reason: 'Unschedulable', message: 'no nodes', lastProbeTime: null }],
    [{ type: 'Gate', status: 'True', lastProbeTime: null, lastTransitionTime: t(2) }, { type: 'PodScheduled', status: 'True', lastProbeTime: null }],
  ];
  const containerSets: ContainerView[][] = [
    [view('main', 'web', {})],
    [view('main', 'web', { running: true, ready: true, started: true })],
    [view('main', 'web', { running: true, started: true }), view('main', 'side', { running: true, ready: true, started: true })],
    [view('init', 'init', {}), view('main', 'web', {})],
    [view('init', 'init', { terminated: true, succeeded: true }), view('sidecar', 'log', { running: true, started: true }), view('main', 'web', { running: true, ready: true, started: true })],
    [view('sidecar', 'log', {}), view('main', 'web', { terminated: true })],
  ];
  const phases: Phase[] = ['Pending', 'Running', 'Succeeded', 'Failed'];
  let compared = 0;
  for (const gates of [undefined, [{ conditionType: 'Gate' }], [{ conditionType: 'Missing' }]]) {
    for (const conditions of scheduledOptions) {
      const pod: Pod = makePod({ containers: [{ name: 'web', image: 'nginx' }], ...(gates ? { readinessGates: gates } : {}) });
      pod.status = conditions ? { ...pod.status, conditions } : {};
      for (const containers of containerSets) {
        for (const flags of [[true, false, true], [false, false, false], [true, true, true], [true, false, false]]) {
          const podView: PodView = { sandboxReady: flags[0]!, terminal: flags[1]!, initialized: flags[2]!, initFailed: false, containers };
          for (const phase of phases) {
            for (const previous of remembered) {
              const memo = conditionMemo(previous);
              const before = withTransitionTimes(podConditions(pod, podView, phase), (type) => rememberedCondition(memo, type), NOW);
              assert.equal(JSON.stringify(timedPodConditions(pod, podView, phase, memo, NOW)), JSON.stringify(before));
              compared++;
            }
          }
        }
      }
    }
  }
  assert.ok(compared > 1000);
});
