/**
 * Nodes as users describe them, on the command line (`--node`) and in settings
 * (`kubeSim.extraNodes`), turned into the kubelet's NodeConfig with errors a person can act on.
 *
 *   --node NAME[,cpu=Q][,memory=Q][,pods=N][,zone=Z][,region=R][,label=KEY=VALUE]…[,taint=KEY[=VALUE]:EFFECT]…
 *
 * e.g. `--node gpu-1,cpu=8,memory=32Gi,zone=eu-west-1a,label=accelerator=nvidia,taint=gpu=true:NoSchedule`.
 * Names, label keys and values, and quantities are checked with the API server's own rules, so a
 * node that starts is one the API server accepts.
 */
import { Quantity } from '../api/quantity';
import type { Taint } from '../api/types';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../api/validation/names';
import type { NodeConfig } from './node-status';

const EFFECTS: readonly Taint['effect'][] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export class NodeSpecError extends Error {}

/** A node as settings hold it (JSON), before checking. */
export interface NodeSettings {
  name: string;
  cpu?: string | number;
  memory?: string;
  pods?: number;
  zone?: string;
  region?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

export function parseNodeSpec(text: string): NodeConfig {
  const [name = '', ...fields] = text.split(',');
  const node: NodeSettings = { name: name.trim() };
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq <= 0) throw new NodeSpecError(`node "${node.name}": "${field}" is not KEY=VALUE`);
    const key = field.slice(0, eq).trim();
    const value = field.slice(eq + 1).trim();
    switch (key) {
      case 'cpu': node.cpu = value; break;
      case 'memory': node.memory = value; break;
      case 'pods': node.pods = Number(value); break;
      case 'zone': node.zone = value; break;
      case 'region': node.region = value; break;
      case 'label': {
        const at = value.indexOf('=');
        if (at <= 0) throw new NodeSpecError(`node "${node.name}": label "${value}" is not KEY=VALUE`);
        (node.labels ??= {})[value.slice(0, at)] = value.slice(at + 1);
        break;
      }
      case 'taint': {
        const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(value);
        if (!m) throw new NodeSpecError(`node "${node.name}": taint "${value}" is not KEY[=VALUE]:EFFECT`);
        (node.taints ??= []).push({ key: m[1]!, ...(m[2] !== undefined ? { value: m[2] } : {}), effect: m[3]! });
        break;
      }
      default:
        throw new NodeSpecError(`node "${node.name}": unknown field "${key}" (known: cpu, memory, pods, zone, region, label, taint)`);
    }
  }
  return nodeConfig(node);
}

/** Checks a node from settings or the command line and returns the kubelet's configuration. */
export function nodeConfig(node: NodeSettings): NodeConfig {
  const name = String(node.name ?? '');
  const where = `node "${name}"`;
  const bad = isDNS1123Subdomain(name);
  if (bad.length > 0) throw new NodeSpecError(`${where}: ${bad.join('; ')}`);
  const config: NodeConfig = { name };
  for (const key of ['cpu', 'memory'] as const) {
    const value = node[key];
    if (value === undefined) continue;
    try {
      Quantity.parse(String(value));
    } catch {
      throw new NodeSpecError(`${where}: ${key} "${value}" is not a quantity (e.g. ${key === 'cpu' ? '4 or 500m' : '8Gi'})`);
    }
    config[key] = String(value);
  }
  if (node.pods !== undefined) {
    if (!Number.isInteger(node.pods) || node.pods < 1) throw new NodeSpecError(`${where}: pods must be a whole number of at least 1`);
    config.pods = node.pods;
  }
  if (node.zone) config.zone = node.zone;
  if (node.region) config.region = node.region;
  for (const [key, value] of Object.entries(node.labels ?? {})) {
    const badKey = isQualifiedName(key);
    if (badKey.length > 0) throw new NodeSpecError(`${where}: label key "${key}": ${badKey.join('; ')}`);
    const badValue = isValidLabelValue(String(value));
    if (badValue.length > 0) throw new NodeSpecError(`${where}: label value "${value}": ${badValue.join('; ')}`);
    (config.labels ??= {})[key] = String(value);
  }
  for (const taint of node.taints ?? []) {
    const badKey = isQualifiedName(taint.key);
    if (badKey.length > 0) throw new NodeSpecError(`${where}: taint key "${taint.key}": ${badKey.join('; ')}`);
    if (!EFFECTS.includes(taint.effect as Taint['effect'])) throw new NodeSpecError(`${where}: taint effect "${taint.effect}" must be one of ${EFFECTS.join(', ')}`);
    const t: Taint = { key: taint.key, effect: taint.effect as Taint['effect'] };
    if (taint.value) t.value = taint.value;
    (config.taints ??= []).push(t);
  }
  return config;
}
