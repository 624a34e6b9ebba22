/**
 * apps/v1 Deployment as a protobuf body (what `kubectl create deployment` sends), with the field
 * numbers of k8s.io/api/apps/v1 and core/v1 generated.proto. Covers what that command sets: the
 * metadata, replicas, the selector, the template's labels and containers (name, image, command,
 * args, workingDir, ports, env values), and the strategy; Go writes every non-pointer field, so
 * empty strings, zero numbers and false are unset here unless the Go field is a pointer.
 */
import type { KubeObject } from '../api/types';
import { intOrString, objectMeta, readMap, str, sub, withReader, type Reader } from './protobuf';

type Obj = Record<string, unknown>;
type Field = (n: number, w: number, r: Reader) => boolean;

const message = (b: Buffer, field: Field): void => withReader(sub(b), field);

function labelSelector(b: Buffer): Obj {
  const out: Obj = {};
  message(b, (n, w, r) => {
    if (n === 1 && w === 2) { const [k, v] = readMap(r.bytes(), str); ((out.matchLabels ??= {}) as Obj)[k] = v; return true; }
    if (n === 2 && w === 2) {
      const req: Obj = {};
      message(r.bytes(), (rn, rw, rr) => {
        if (rw !== 2) return false;
        if (rn === 1) req.key = str(rr);
        else if (rn === 2) req.operator = str(rr);
        else if (rn === 3) ((req.values ??= []) as string[]).push(str(rr));
        else return false;
        return true;
      });
      ((out.matchExpressions ??= []) as Obj[]).push(req);
      return true;
    }
    return false;
  });
  return out;
}

function containerPort(b: Buffer): Obj {
  const out: Obj = {};
  message(b, (n, w, r) => {
    if (n === 1 && w === 2) { const v = str(r); if (v) out.name = v; return true; }
    if (n === 2 && w === 0) { const v = r.int32(); if (v) out.hostPort = v; return true; }
    if (n === 3 && w === 0) { out.containerPort = r.int32(); return true; }
    if (n === 4 && w === 2) { const v = str(r); if (v) out.protocol = v; return true; }
    if (n === 5 && w === 2) { const v = str(r); if (v) out.hostIP = v; return true; }
    return false;
  });
  return out;
}

function container(b: Buffer): Obj {
  const out: Obj = {};
  const strings: Record<number, string> = { 1: 'name', 2: 'image', 5: 'workingDir', 13: 'terminationMessagePath', 14: 'imagePullPolicy', 20: 'terminationMessagePolicy' };
  message(b, (n, w, r) => {
    if (w === 2 && strings[n]) { const v = str(r); if (v) out[strings[n]!] = v; return true; }
    if (n === 3 && w === 2) { ((out.command ??= []) as string[]).push(str(r)); return true; }
    if (n === 4 && w === 2) { ((out.args ??= []) as string[]).push(str(r)); return true; }
    if (n === 6 && w === 2) { ((out.ports ??= []) as Obj[]).push(containerPort(r.bytes())); return true; }
    if (n === 7 && w === 2) {
      const env: Obj = {};
      message(r.bytes(), (en, ew, er) => {
        if (ew !== 2) return false;
        if (en === 1) env.name = str(er);
        else if (en === 2) { const v = str(er); if (v) env.value = v; } else return false;
        return true;
      });
      ((out.env ??= []) as Obj[]).push(env);
      return true;
    }
    if (n === 8 && w === 2) { r.bytes(); out.resources = {}; return true; }
    return false;
  });
  return out;
}

function podSpec(b: Buffer): Obj {
  const out: Obj = {};
  const strings: Record<number, string> = { 3: 'restartPolicy', 6: 'dnsPolicy', 8: 'serviceAccountName', 10: 'nodeName', 19: 'schedulerName' };
  message(b, (n, w, r) => {
    if (n === 2 && w === 2) { ((out.containers ??= []) as Obj[]).push(container(r.bytes())); return true; }
    if (w === 2 && strings[n]) { const v = str(r); if (v) out[strings[n]!] = v; return true; }
    if (n === 4 && w === 0) { out.terminationGracePeriodSeconds = r.varint(); return true; }
    if (n === 7 && w === 2) { const [k, v] = readMap(r.bytes(), str); ((out.nodeSelector ??= {}) as Obj)[k] = v; return true; }
    if (n === 11 && w === 0) { if (r.varint() !== 0) out.hostNetwork = true; return true; }
    return false;
  });
  if (out.containers === undefined) out.containers = [];
  return out;
}

function podTemplate(b: Buffer): Obj {
  const out: Obj = { metadata: {}, spec: {} };
  message(b, (n, w, r) => {
    if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
    if (n === 2 && w === 2) { out.spec = podSpec(r.bytes()); return true; }
    return false;
  });
  return out;
}

function strategy(b: Buffer): Obj {
  const out: Obj = {};
  message(b, (n, w, r) => {
    if (n === 1 && w === 2) { const v = str(r); if (v) out.type = v; return true; }
    if (n === 2 && w === 2) {
      const ru: Obj = {};
      message(r.bytes(), (rn, rw, rr) => {
        if (rw !== 2 || (rn !== 1 && rn !== 2)) return false;
        ru[rn === 1 ? 'maxUnavailable' : 'maxSurge'] = intOrString(rr.bytes());
        return true;
      });
      out.rollingUpdate = ru;
      return true;
    }
    return false;
  });
  return out;
}

function deploymentSpec(b: Buffer): Obj {
  const out: Obj = {};
  message(b, (n, w, r) => {
    if (n === 1 && w === 0) { out.replicas = r.int32(); return true; }
    if (n === 2 && w === 2) { out.selector = labelSelector(r.bytes()); return true; }
    if (n === 3 && w === 2) { out.template = podTemplate(r.bytes()); return true; }
    if (n === 4 && w === 2) { out.strategy = strategy(r.bytes()); return true; }
    if (n === 5 && w === 0) { const v = r.int32(); if (v) out.minReadySeconds = v; return true; }
    if (n === 6 && w === 0) { out.revisionHistoryLimit = r.int32(); return true; }
    if (n === 7 && w === 0) { if (r.varint() !== 0) out.paused = true; return true; }
    if (n === 9 && w === 0) { out.progressDeadlineSeconds = r.int32(); return true; }
    return false;
  });
  return out;
}

export function decodeDeployment(raw: Buffer): KubeObject {
  const out: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {} };
  message(raw, (n, w, r) => {
    if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
    if (n === 2 && w === 2) { out.spec = deploymentSpec(r.bytes()); return true; }
    return false;
  });
  return out;
}
