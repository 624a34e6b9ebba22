/**
 * Property (seeded): the memory of clean create shapes (clean-shapes.ts) never changes what
 * validateFields answers. Bodies are grown from a kubelet Event (core/v1 and events.k8s.io/v1) and
 * a controller's Pod by random mutations, each made from an earlier body, so that most of them are
 * near misses of a remembered exemplar: a value of the same kind but another size, a member more or
 * fewer, a known field in the wrong place, members moved, lists grown or shrunk, map keys changed,
 * null for a value, duplicate keys in the raw JSON. Each body's answer (warnings, the pruned body or
 * the 400's message) with one memory kept across the whole run must be the walk's alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { events } from '../../../../src/cluster/apiserver/registry/kinds/events';
import { eventsV1 } from '../../../../src/cluster/apiserver/registry/kinds/events-v1';
import { pods } from '../../../../src/cluster/apiserver/registry/kinds/pods';
import { validateFields, type FieldValidation } from '../../../../src/cluster/apiserver/field-validation';
import { CleanShapes } from '../../../../src/cluster/apiserver/clean-shapes';
import type { ResourceDefinition } from '../../../../src/cluster/apiserver/registry/resource';
import { seededRandom } from '../../../../src/cluster/scheduler/schedule-one';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const kubeletEvent = (): Json => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name: 'web-0.18867251edfa0001', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: '6f1c1e55-0d5e-4b8e-9a8e-1f6f1c1e550d', apiVersion: 'v1', resourceVersion: '17', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled', message: 'Successfully pulled image "nginx:1.27" in 1.2s (1.2s including waiting). Image size: 1000 bytes.',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', count: 1, type: 'Normal',
  eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'node-1',
});

const schedulerEvent = (): Json => ({
  apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web-0.18867251edfa0002', namespace: 'default' },
  eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-kube-sim',
  action: 'Binding', reason: 'Scheduled', regarding: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u-1', apiVersion: 'v1', resourceVersion: '3' },
  note: 'Successfully assigned default/web-0 to node-1', type: 'Normal',
});

const controllerPod = (): Json => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    generateName: 'web-5d9c7b-', namespace: 'default', labels: { app: 'web', 'pod-template-hash': '5d9c7b' },
    annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d9c7b', uid: 'u-rs', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    containers: [{
      name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }],
      resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: 0.25, memory: 1024 } },
      env: [{ name: 'A', value: '1' }], command: ['nginx', '-g', 'daemon off;'],
      livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 },
      terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent',
    }],
    restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler',
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    priority: 0, enableServiceLinks: true, activeDeadlineSeconds: 3600,
    volumes: [{ name: 'data', emptyDir: {} }],
  },
  status: {},
});

/** Field names that the schemas know somewhere, to put where they may or may not belong, and strangers. */
const KEYS = [
  'name', 'namespace', 'kind', 'uid', 'image', 'ports', 'containerPort', 'protocol', 'labels', 'annotations', 'resources', 'limits',
  'requests', 'cpu', 'memory', 'command', 'env', 'value', 'priority', 'port', 'path', 'httpGet', 'periodSeconds', 'count', 'series',
  'lastObservedTime', 'eventTime', 'firstTimestamp', 'action', 'related', 'regarding', 'involvedObject', 'source', 'component', 'host',
  'status', 'phase', 'conditions', 'type', 'containers', 'spec', 'metadata', 'tolerationSeconds', 'emptyDir', 'sizeLimit', 'medium',
  'bogus', 'Name', 'x-y', '', '0', '7', '__proto__',
];

const NUMBERS = [0, 1, -1, 7, 80, 65535, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 40, 2 ** 53, 2 ** 53 + 2, 1.5, -0.5, 0.25, 1e21, -0];
const STRINGS = ['', 'x', '500m', '1Gi', 'abc', '2026-01-01T00:00:00Z', '80', 'TCP', 'Always'];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function randomValue(rand: () => number, depth = 0): Json {
  const r = rand();
  if (r < 0.08) return null;
  if (r < 0.16) return rand() < 0.5;
  if (r < 0.4) return pick(rand, NUMBERS);
  if (r < 0.62) return pick(rand, STRINGS);
  if (depth > 2) return pick(rand, STRINGS);
  if (r < 0.82) {
    const o: { [k: string]: Json } = {};
    const n = Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) defineMember(o, pick(rand, KEYS), randomValue(rand, depth + 1));
    return o;
  }
  const n = Math.floor(rand() * 3);
  const a: Json[] = [];
  for (let i = 0; i < n; i++) a.push(randomValue(rand, depth + 1));
  return a;
}

/** A member as JSON.parse makes it (an own `__proto__` too). */
function defineMember(o: { [k: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Another value of the same JSON kind as `v` (the near miss the memory must not take for alike when it matters). */
function sameKindValue(rand: () => number, v: Json): Json {
  if (typeof v === 'number') return pick(rand, NUMBERS);
  if (typeof v === 'string') return pick(rand, STRINGS);
  if (typeof v === 'boolean') return !v;
  return randomValue(rand);
}

/** Every object and list in `root`, with itself. */
function containers(root: Json): (Json[] | { [k: string]: Json })[] {
  const out: (Json[] | { [k: string]: Json })[] = [];
  const walk = (v: Json): void => {
    if (v === null || typeof v !== 'object') return;
    out.push(v);
    if (Array.isArray(v)) v.forEach(walk);
    else for (const k of Object.keys(v)) walk(v[k]!);
  };
  walk(root);
  return out;
}

/** Sets a scalar somewhere in `body` to another of its kind: the bodies the memory takes for alike, and its near misses. */
function tweakScalar(rand: () => number, body: Json): void {
  const holders = containers(body).filter((c) => Object.values(c).some((v) => v === null || typeof v !== 'object'));
  if (holders.length === 0) return;
  const holder = pick(rand, holders) as { [k: string]: Json };
  const keys = Object.keys(holder).filter((k) => holder[k] === null || typeof holder[k] !== 'object');
  const key = pick(rand, keys);
  if (holder === body && (key === 'apiVersion' || key === 'kind')) return;
  holder[key] = sameKindValue(rand, holder[key]!);
}

function mutate(rand: () => number, body: Json): void {
  if (rand() < 0.5) return tweakScalar(rand, body);
  const all = containers(body);
  const target = pick(rand, all);
  const op = rand();
  if (Array.isArray(target)) {
    if (op < 0.35 && target.length > 0) {
      const i = Math.floor(rand() * target.length);
      target[i] = rand() < 0.6 ? sameKindValue(rand, target[i]!) : randomValue(rand);
    } else if (op < 0.6 && target.length > 0) {
      target.push(structuredClone(pick(rand, target)));
    } else if (op < 0.8 && target.length > 0) {
      target.splice(Math.floor(rand() * target.length), 1);
    } else {
      target.push(randomValue(rand));
    }
    return;
  }
  const keys = Object.keys(target);
  const key = keys.length > 0 ? pick(rand, keys) : undefined;
  if (key !== undefined && target === body && (key === 'apiVersion' || key === 'kind') && op < 0.7) return;
  if (key !== undefined && op < 0.4) {
    const v = target[key]!;
    target[key] = rand() < 0.7 ? sameKindValue(rand, v) : randomValue(rand);
  } else if (key !== undefined && op < 0.5) {
    delete target[key];
  } else if (key !== undefined && op < 0.6) {
    // Moved last: the same members in another order.
    const v = target[key]!;
    delete target[key];
    defineMember(target, key, v);
  } else if (key !== undefined && op < 0.7) {
    // Renamed in place (a map key changed, or a field misspelt), keeping the order of the others.
    const renamed = pick(rand, KEYS);
    if (renamed === key || Object.prototype.hasOwnProperty.call(target, renamed)) return;
    const entries = keys.map((k) => [k === key ? renamed : k, target[k]!] as const);
    for (const k of keys) delete target[k];
    for (const [k, v] of entries) defineMember(target, k, v);
  } else if (key !== undefined && op < 0.78) {
    target[key] = null;
  } else {
    defineMember(target, pick(rand, KEYS), randomValue(rand));
  }
}

/** The raw JSON of a body, now and then with a duplicate key put first in one of its objects (parsed, the later value wins). */
function rawText(rand: () => number, body: Json): string {
  const text = JSON.stringify(body);
  if (rand() < 0.7) return text;
  const opens: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' && text[i + 1] === '"') opens.push(i);
  }
  if (opens.length === 0) return text;
  const at = pick(rand, opens);
  const end = text.indexOf('"', at + 2);
  const key = text.slice(at + 2, end);
  return `${text.slice(0, at + 1)}"${key}":${JSON.stringify(randomValue(rand))},${text.slice(at + 1)}`;
}

/** What validateFields does to a body: its warnings and what is left of it, or the 400's message. */
function outcome(def: ResourceDefinition, body: KubeObject, mode: FieldValidation, raw: string | undefined, shapes?: CleanShapes): unknown {
  try {
    const warnings = validateFields(def, body, mode, raw, shapes);
    return { warnings, body: JSON.stringify(body) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const RUNS: [string, ResourceDefinition, () => Json, number][] = [
  ['a kubelet Event', events, kubeletEvent, 11],
  ['a scheduler events.k8s.io/v1 Event', eventsV1, schedulerEvent, 12],
  ['a controller Pod', pods, controllerPod, 13],
];

for (const [what, def, base, seed] of RUNS) {
  test(`${what}: 3,000 mutated bodies get the same answer with the memory of clean shapes as from the walk alone`, () => {
    const rand = seededRandom(seed);
    const shapes = new CleanShapes();
    /** Bodies to mutate from: the base and recent ones, so that mutations pile up near remembered shapes. */
    const pool: Json[] = [base()];
    let remembered = 0;
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const body = structuredClone(pick(rand, pool));
      const steps = 1 + Math.floor(rand() * (rand() < 0.8 ? 1 : 4));
      for (let s = 0; s < steps; s++) mutate(rand, body);
      const mode = pick(rand, ['Strict', 'Warn', 'Ignore'] as FieldValidation[]);
      const raw = mode === 'Ignore' ? undefined : rawText(rand, body);
      const text = raw ?? JSON.stringify(body);
      const alike = shapes.has(def, JSON.parse(text));
      const withMemory = outcome(def, JSON.parse(text) as KubeObject, mode, raw, shapes);
      const walkOnly = outcome(def, JSON.parse(text) as KubeObject, mode, raw);
      assert.deepEqual(withMemory, walkOnly, `seed ${seed}, body ${i} (${mode}${alike ? ', alike to a remembered shape' : ''}): ${text}`);
      if (alike) remembered++;
      if ((walkOnly as { error?: string }).error !== undefined) errors++;
      else if (rand() < 0.5) pool.push(body);
      if (pool.length > 24) pool.splice(1 + Math.floor(rand() * (pool.length - 1)), 1);
    }
    // The run means something only if both sides of the memory were exercised.
    // (The Pod's quantities fail to parse under many mutations: ~1,300 of its bodies are refused, ~200 alike.)
    assert.ok(remembered > 150, `only ${remembered} bodies were alike to a remembered shape`);
    assert.ok(errors > 100, `only ${errors} bodies were refused`);
  });
}
