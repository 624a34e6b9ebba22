import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH, InterPodAffinity,
} from '../../../../../src/cluster/scheduler/plugins/inter-pod-affinity';
import type { Affinity } from '../../../../../src/cluster/scheduler/framework/api';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import type { Pod } from '../../../../../src/cluster/api/types';
import { frameworkOver, newState, node, nodeInfo, pod, podInfo, snapshotOf } from '../fixtures';

const term = (app: string, topologyKey = 'kubernetes.io/hostname') => ({ labelSelector: { matchLabels: { app } }, topologyKey });
const affinity = (app: string): Affinity => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(app)] } });
const anti = (app: string): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(app)] } });

function run(existing: Record<string, Pod[]>, incoming: Pod) {
  const nodes = Object.entries(existing).map(([n, pods]) => nodeInfo(node(n), pods));
  const fwk = frameworkOver(snapshotOf(nodes));
  const plugin = new InterPodAffinity(fwk);
  const state = newState();
  const p = podInfo(incoming);
  const pre = plugin.preFilter(state, p, nodes);
  return Object.fromEntries(nodes.map((n) => {
    const s = pre.status.isSkip() ? null : plugin.filter(state, p, n);
    return [n.name, s ? `${s.code}:${s.message()}` : 'skip'];
  }));
}

test('InterPodAffinity required affinity and anti-affinity, on both sides', () => {
  const cache = pod('cache', { labels: { app: 'cache' } });
  const cases = [
    {
      name: 'affinity: only the node with a matching pod',
      existing: { n1: [cache], n2: [] },
      incoming: pod('web', { labels: { app: 'web' }, affinity: affinity('cache') }),
      want: { n1: `${Code.Success}:`, n2: `${Code.UnschedulableAndUnresolvable}:${ERR_REASON_AFFINITY_RULES_NOT_MATCH}` },
    },
    {
      name: 'affinity to itself: the first pod of the group may go anywhere',
      existing: { n1: [], n2: [] },
      incoming: pod('web', { labels: { app: 'web' }, affinity: affinity('web') }),
      want: { n1: `${Code.Success}:`, n2: `${Code.Success}:` },
    },
    {
      name: 'anti-affinity: not beside a matching pod',
      existing: { n1: [cache], n2: [] },
      incoming: pod('web', { labels: { app: 'web' }, affinity: anti('cache') }),
      want: { n1: `${Code.Unschedulable}:${ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH}`, n2: `${Code.Success}:` },
    },
    {
      name: "existing pod's anti-affinity refuses the newcomer",
      existing: { n1: [pod('loner', { labels: { app: 'loner' }, affinity: anti('web') })], n2: [] },
      incoming: pod('web', { labels: { app: 'web' } }),
      want: { n1: `${Code.Unschedulable}:${ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH}`, n2: `${Code.Success}:` },
    },
    { name: 'nothing to check: skipped', existing: { n1: [cache] }, incoming: pod('web'), want: { n1: 'skip' } },
  ];
  for (const c of cases) assert.deepEqual(run(c.existing as Record<string, Pod[]>, c.incoming), c.want, c.name);
});

test('InterPodAffinity scores preferred terms per topology domain', () => {
  const nodes = [nodeInfo(node('n1'), [pod('cache', { labels: { app: 'cache' } })]), nodeInfo(node('n2'))];
  const fwk = frameworkOver(snapshotOf(nodes));
  const plugin = new InterPodAffinity(fwk);
  const state = newState();
  const p = podInfo(pod('web', { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('cache') }] } } }));
  assert.equal(plugin.preScore(state, p).code, Code.Success);
  const scores = nodes.map((n) => ({ name: n.name, score: plugin.score(state, p, n) }));
  assert.deepEqual(scores.map((s) => s.score), [50, 0]);
  plugin.normalizeScore(state, p, scores);
  assert.deepEqual(scores.map((s) => s.score), [100, 0]);
});
