/**
 * Protobuf request bodies, for the kinds kubectl's typed `create` commands send that way
 * (`kubectl create namespace|configmap|secret|serviceaccount|service|priorityclass|deployment|token`): the `k8s\0` envelope
 * (runtime.Unknown: typeMeta, raw, contentEncoding, contentType) around the object's message,
 * decoded into the JSON shape with the field numbers of k8s.io/api's generated.proto.
 * Other kinds are a 415 that says what to do instead. Responses are always JSON (kubectl accepts it).
 */
import { badRequest, unsupportedMediaType } from '../api/errors';
import type { KubeObject } from '../api/types';
import { decodeDeployment } from './protobuf-apps';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

export class Reader {
  pos = 0;
  constructor(readonly buf: Buffer, readonly end = buf.length) {}

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw malformed();
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw malformed();
    }
  }

  /** An int32 field: negative values travel as 10-byte two's complement varints. */
  int32(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.end) throw malformed();
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return Number(BigInt.asIntN(32, result));
      shift += 7n;
      if (shift > 63n) throw malformed();
    }
  }

  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.end) throw malformed();
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 5) this.pos += 4;
    else throw malformed();
    if (this.pos > this.end) throw malformed();
  }

  /** Calls `field(number, wireType)` for each field; it returns false to have the field skipped. */
  fields(field: (n: number, wireType: number) => boolean): void {
    while (!this.done()) {
      const tag = this.varint();
      const n = Math.floor(tag / 8);
      const wireType = tag & 7;
      if (!field(n, wireType)) this.skip(wireType);
    }
  }
}

function malformed() {
  return badRequest('the protobuf body of the request is malformed');
}

export const sub = (b: Buffer) => new Reader(b);
export const str = (r: Reader) => r.bytes().toString('utf8');

/** Runs `field` over a message's fields with its reader at hand. */
export function withReader(r: Reader, field: (n: number, wireType: number, r: Reader) => boolean): void {
  r.fields((n, w) => field(n, w, r));
}

export function readMap(b: Buffer, value: (r: Reader) => string): [string, string] {
  let key = '';
  let val = '';
  withReader(sub(b), (n, w, r) => {
    if (w !== 2) return false;
    if (n === 1) key = str(r);
    else if (n === 2) val = value(r);
    else return false;
    return true;
  });
  return [key, val];
}

/** k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta: the fields a client sets on create. */
export function objectMeta(b: Buffer): KubeObject['metadata'] {
  const meta: KubeObject['metadata'] = {};
  withReader(sub(b), (n, w, r) => {
    if (w !== 2) return false;
    switch (n) {
      case 1: { const v = str(r); if (v) meta.name = v; return true; }
      case 2: { const v = str(r); if (v) meta.generateName = v; return true; }
      case 3: { const v = str(r); if (v) meta.namespace = v; return true; }
      case 11: { const [k, v] = readMap(r.bytes(), str); (meta.labels ??= {})[k] = v; return true; }
      case 12: { const [k, v] = readMap(r.bytes(), str); (meta.annotations ??= {})[k] = v; return true; }
      case 14: { (meta.finalizers ??= []).push(str(r)); return true; }
      default: return false;
    }
  });
  return meta;
}

const base64 = (r: Reader) => r.bytes().toString('base64');

/** A message of string fields numbered 1…n, named `names` in that order; empty ones are unset. */
function stringFields(b: Buffer, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  withReader(sub(b), (n, w, r) => {
    if (w !== 2 || n < 1 || n > names.length) return false;
    const v = str(r);
    if (v) out[names[n - 1]!] = v;
    return true;
  });
  return out;
}

type Decoder = (raw: Buffer) => KubeObject;

const DECODERS: Record<string, Decoder> = {
  'v1/Namespace': (raw) => {
    const out: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: {} };
    withReader(sub(raw), (n, w, r) => {
      if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
      return false;
    });
    return out;
  },
  'v1/ConfigMap': (raw) => {
    const out: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
    withReader(sub(raw), (n, w, r) => {
      if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
      if (n === 2 && w === 2) { const [k, v] = readMap(r.bytes(), str); ((out.data ??= {}) as Record<string, string>)[k] = v; return true; }
      if (n === 3 && w === 2) { const [k, v] = readMap(r.bytes(), base64); ((out.binaryData ??= {}) as Record<string, string>)[k] = v; return true; }
      if (n === 4 && w === 0) { out.immutable = r.varint() !== 0; return true; }
      return false;
    });
    return out;
  },
  'v1/Secret': (raw) => {
    const out: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: {} };
    withReader(sub(raw), (n, w, r) => {
      if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
      if (n === 2 && w === 2) { const [k, v] = readMap(r.bytes(), base64); ((out.data ??= {}) as Record<string, string>)[k] = v; return true; }
      if (n === 3 && w === 2) { const v = str(r); if (v) out.type = v; return true; }
      if (n === 4 && w === 2) { const [k, v] = readMap(r.bytes(), str); ((out.stringData ??= {}) as Record<string, string>)[k] = v; return true; }
      if (n === 5 && w === 0) { out.immutable = r.varint() !== 0; return true; }
      return false;
    });
    return out;
  },
  'v1/ServiceAccount': (raw) => {
    const out: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: {} };
    withReader(sub(raw), (n, w, r) => {
      if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
      if (n === 4 && w === 0) { out.automountServiceAccountToken = r.varint() !== 0; return true; }
      return false;
    });
    return out;
  },
};

/** authentication.k8s.io/v1 TokenRequest (what `kubectl create token` sends). */
function tokenRequest(raw: Buffer): KubeObject {
  const out: KubeObject = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {} };
  withReader(sub(raw), (n, w, r) => {
    if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
    if (n !== 2 || w !== 2) return false;
    const spec: Record<string, unknown> = {};
    withReader(sub(r.bytes()), (sn, sw, sr) => {
      if (sn === 1 && sw === 2) { ((spec.audiences ??= []) as string[]).push(str(sr)); return true; }
      if (sn === 4 && sw === 0) { spec.expirationSeconds = sr.varint(); return true; }
      if (sn === 3 && sw === 2) {
        spec.boundObjectRef = stringFields(sr.bytes(), ['kind', 'apiVersion', 'name', 'uid']);
        return true;
      }
      return false;
    });
    out.spec = spec;
    return true;
  });
  return out;
}
DECODERS['authentication.k8s.io/v1/TokenRequest'] = tokenRequest;

/**
 * k8s.io.apimachinery.pkg.util.intstr.IntOrString: type 0 is intVal, 1 is strVal. Go writes every
 * field of a non-pointer struct, zero or not, so zero values below mean "unset" unless the Go field
 * is a pointer (then presence is the signal).
 */
export function intOrString(b: Buffer): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  withReader(sub(b), (n, w, r) => {
    if (n === 1 && w === 0) { type = r.varint(); return true; }
    if (n === 2 && w === 0) { intVal = r.int32(); return true; }
    if (n === 3 && w === 2) { strVal = str(r); return true; }
    return false;
  });
  return type === 1 ? strVal : intVal;
}

/** k8s.io.api.core.v1.ServicePort. */
function servicePort(b: Buffer): Record<string, unknown> {
  const port: Record<string, unknown> = {};
  withReader(sub(b), (n, w, r) => {
    if (n === 1 && w === 2) { const v = str(r); if (v) port.name = v; return true; }
    if (n === 2 && w === 2) { const v = str(r); if (v) port.protocol = v; return true; }
    if (n === 6 && w === 2) { port.appProtocol = str(r); return true; }
    if (n === 3 && w === 0) { port.port = r.int32(); return true; }
    if (n === 4 && w === 2) { const v = intOrString(r.bytes()); if (v !== 0 && v !== '') port.targetPort = v; return true; }
    if (n === 5 && w === 0) { const v = r.int32(); if (v) port.nodePort = v; return true; }
    return false;
  });
  return port;
}

/** k8s.io.api.core.v1.ServiceSpec: what `kubectl create service` sets. */
function serviceSpec(b: Buffer): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const strings: Record<number, string> = { 3: 'clusterIP', 4: 'type', 7: 'sessionAffinity', 8: 'loadBalancerIP', 10: 'externalName', 11: 'externalTrafficPolicy' };
  const pointerStrings: Record<number, string> = { 17: 'ipFamilyPolicy', 21: 'loadBalancerClass', 22: 'internalTrafficPolicy', 23: 'trafficDistribution' };
  const lists: Record<number, string> = { 5: 'externalIPs', 9: 'loadBalancerSourceRanges', 18: 'clusterIPs', 19: 'ipFamilies' };
  withReader(sub(b), (n, w, r) => {
    if (n === 1 && w === 2) { ((spec.ports ??= []) as unknown[]).push(servicePort(r.bytes())); return true; }
    if (n === 2 && w === 2) { const [k, v] = readMap(r.bytes(), str); ((spec.selector ??= {}) as Record<string, string>)[k] = v; return true; }
    if (w === 2 && strings[n]) { const v = str(r); if (v) spec[strings[n]!] = v; return true; }
    if (w === 2 && pointerStrings[n]) { spec[pointerStrings[n]!] = str(r); return true; }
    if (w === 2 && lists[n]) { ((spec[lists[n]!] ??= []) as string[]).push(str(r)); return true; }
    if (n === 12 && w === 0) { const v = r.int32(); if (v) spec.healthCheckNodePort = v; return true; }
    if (n === 13 && w === 0) { if (r.varint() !== 0) spec.publishNotReadyAddresses = true; return true; }
    if (n === 20 && w === 0) { spec.allocateLoadBalancerNodePorts = r.varint() !== 0; return true; }
    return false;
  });
  return spec;
}

DECODERS['v1/Service'] = (raw) => {
  const out: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: {} };
  withReader(sub(raw), (n, w, r) => {
    if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
    if (n === 2 && w === 2) { out.spec = serviceSpec(r.bytes()); return true; }
    return false;
  });
  return out;
};

/** k8s.io.api.scheduling.v1.PriorityClass (`kubectl create priorityclass`). */
DECODERS['scheduling.k8s.io/v1/PriorityClass'] = (raw) => {
  const out: KubeObject = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: {}, value: 0 };
  withReader(sub(raw), (n, w, r) => {
    if (n === 1 && w === 2) { out.metadata = objectMeta(r.bytes()); return true; }
    if (n === 2 && w === 0) { out.value = r.int32(); return true; }
    if (n === 3 && w === 0) { if (r.varint() !== 0) out.globalDefault = true; return true; }
    if (n === 4 && w === 2) { const v = str(r); if (v) out.description = v; return true; }
    if (n === 5 && w === 2) { out.preemptionPolicy = str(r); return true; }
    return false;
  });
  return out;
};

DECODERS['apps/v1/Deployment'] = decodeDeployment;

export function protobufUnsupported(accepted: string[], what: string): ReturnType<typeof unsupportedMediaType> {
  const err = unsupportedMediaType(accepted);
  err.status.message += ` (Kube Sim reads protobuf request bodies only for Namespaces, ConfigMaps, Secrets, ServiceAccounts, Services, PriorityClasses, Deployments and TokenRequests, not ${what}: write a manifest and use "kubectl apply -f" or "kubectl create -f")`;
  return err;
}

/** Decodes a protobuf request body holding an object of `apiVersion`/`kind`. */
export function decodeProtobufObject(body: Buffer, apiVersion: string, kind: string, accepted: string[]): KubeObject {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) throw malformed();
  const envelope = new Reader(body);
  envelope.pos = 4;
  let typeApiVersion = '';
  let typeKind = '';
  let raw: Buffer | undefined;
  let encoding = '';
  withReader(envelope, (n, w, r) => {
    if (w !== 2) return false;
    if (n === 1) {
      withReader(sub(r.bytes()), (tn, tw, tr) => {
        if (tw !== 2) return false;
        if (tn === 1) typeApiVersion = str(tr);
        else if (tn === 2) typeKind = str(tr);
        else return false;
        return true;
      });
      return true;
    }
    if (n === 2) { raw = r.bytes(); return true; }
    if (n === 3) { encoding = str(r); return true; }
    return false;
  });
  if (encoding) throw protobufUnsupported(accepted, `content encoding "${encoding}"`);
  const decoder = DECODERS[`${typeApiVersion}/${typeKind}`];
  if (!decoder || typeApiVersion !== apiVersion || typeKind !== kind) throw protobufUnsupported(accepted, `${typeKind || 'this kind'} (${typeApiVersion})`);
  return decoder(raw ?? Buffer.alloc(0));
}

/** authorization.k8s.io/v1 SelfSubjectAccessReview (what `kubectl auth can-i` sends). */
export function decodeSelfSubjectAccessReview(body: Buffer): KubeObject {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) throw malformed();
  const envelope = new Reader(body);
  envelope.pos = 4;
  let raw: Buffer | undefined;
  withReader(envelope, (n, w, r) => {
    if (n === 2 && w === 2) { raw = r.bytes(); return true; }
    return false;
  });
  const spec: Record<string, unknown> = {};
  withReader(sub(raw ?? Buffer.alloc(0)), (n, w, r) => {
    if (n !== 2 || w !== 2) return false;
    withReader(sub(r.bytes()), (sn, sw, sr) => {
      if (sw !== 2) return false;
      if (sn === 1) spec.resourceAttributes = stringFields(sr.bytes(), ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name']);
      else if (sn === 2) spec.nonResourceAttributes = stringFields(sr.bytes(), ['path', 'verb']);
      else return false;
      return true;
    });
    return true;
  });
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec };
}
