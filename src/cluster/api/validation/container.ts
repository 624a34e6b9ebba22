/**
 * One container of a pod (validateContainerCommon and the probe, port and env rules), worded as
 * pkg/apis/core/validation.
 */
import { FieldError, FieldPath, duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import type { Container } from '../types';
import { IS_NEGATIVE_ERROR_MSG, isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from './names';
import { validateResourceRequirements } from './resources';
import { validateVolumeMounts } from './volumes';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const RELAXED_ENV_NAME_MSG = "a valid environment variable name must consist only of printable ASCII characters other than '='";

export function validateContainerPorts(ports: Container['ports'], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = path.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) for (const m of msgs) errs.push(invalid(p.child('name').toString(), port.name, m));
      else if (names.has(port.name)) errs.push(duplicate(p.child('name').toString(), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(p.child('containerPort').toString()));
    else for (const m of isValidPortNum(port.containerPort)) errs.push(invalid(p.child('containerPort').toString(), port.containerPort, m));
    if (port.hostPort) for (const m of isValidPortNum(port.hostPort)) errs.push(invalid(p.child('hostPort').toString(), port.hostPort, m));
    if (!port.protocol) errs.push(required(p.child('protocol').toString()));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(p.child('protocol').toString(), port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(ref: Obj, path: FieldPath, nameField = 'name'): FieldError[] {
  const errs: FieldError[] = [];
  const key = String(ref.key ?? '');
  if (!key) errs.push(required(path.child('key').toString()));
  else for (const m of isConfigMapKey(key)) errs.push(invalid(path.child('key').toString(), key, m));
  const name = String(ref[nameField] ?? '');
  if (!name) errs.push(required(path.child(nameField).toString()));
  else for (const m of isDNS1123Subdomain(name)) errs.push(invalid(path.child(nameField).toString(), name, m));
  return errs;
}

export function validateEnv(env: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(env)) return errs;
  env.forEach((ev: Obj, i) => {
    const p = path.index(i);
    const name = String(ev?.name ?? '');
    // RelaxedEnvironmentVariableValidation is on by default in 1.32.
    if (!name) errs.push(required(p.child('name').toString()));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(name)) errs.push(invalid(p.child('name').toString(), name, RELAXED_ENV_NAME_MSG));
    const from = ev?.valueFrom;
    if (!isObj(from)) return;
    const fp = p.child('valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => from[k] !== undefined && from[k] !== null);
    if (sources.length === 0) errs.push(invalid(fp.toString(), '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) errs.push(invalid(fp.toString(), '', 'may not have more than one field specified at a time'));
    if (ev.value && sources.length) errs.push(invalid(fp.toString(), '', 'may not be specified when `value` is not empty'));
    if (isObj(from.configMapKeyRef)) errs.push(...validateKeySelector(from.configMapKeyRef, fp.child('configMapKeyRef')));
    if (isObj(from.secretKeyRef)) errs.push(...validateKeySelector(from.secretKeyRef, fp.child('secretKeyRef')));
    if (isObj(from.fieldRef) && !from.fieldRef.fieldPath) errs.push(required(fp.child('fieldRef').child('fieldPath').toString()));
  });
  return errs;
}

export function validateEnvFrom(envFrom: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(envFrom)) return errs;
  envFrom.forEach((ev: Obj, i) => {
    const p = path.index(i);
    const sources = ['configMapRef', 'secretRef'].filter((k) => isObj(ev?.[k]));
    if (sources.length === 0) errs.push(invalid(p.toString(), '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources.length > 1) errs.push(invalid(p.toString(), '', 'may not have more than one field specified at a time'));
    for (const s of sources) {
      const name = String((ev[s] as Obj).name ?? '');
      if (!name) errs.push(required(p.child(s).child('name').toString()));
      else for (const m of isDNS1123Subdomain(name)) errs.push(invalid(p.child(s).child('name').toString(), name, m));
    }
  });
  return errs;
}

function validatePortNumOrName(port: unknown, path: FieldPath): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path.toString(), port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(path.toString(), port, m));
  return [required(path.toString())];
}

function validateHandler(handler: Obj, path: FieldPath, kinds: string[], noun: string): FieldError[] {
  const errs: FieldError[] = [];
  const present = kinds.filter((k) => handler[k] !== undefined && handler[k] !== null);
  if (present.length === 0) return [required(path.toString(), `must specify a ${noun} type`)];
  for (const extra of present.slice(1)) errs.push(forbidden(path.child(extra).toString(), `may not specify more than 1 ${noun} type`));
  const exec = handler.exec;
  if (isObj(exec) && !(Array.isArray(exec.command) && exec.command.length)) errs.push(required(path.child('exec').child('command').toString()));
  const http = handler.httpGet;
  if (isObj(http)) {
    errs.push(...validatePortNumOrName(http.port, path.child('httpGet').child('port')));
    if (http.scheme !== undefined && http.scheme !== 'HTTP' && http.scheme !== 'HTTPS') errs.push(notSupported(path.child('httpGet').child('scheme').toString(), http.scheme, ['HTTP', 'HTTPS']));
  }
  const tcp = handler.tcpSocket;
  if (isObj(tcp)) errs.push(...validatePortNumOrName(tcp.port, path.child('tcpSocket').child('port')));
  const grpc = handler.grpc;
  if (isObj(grpc)) for (const m of isValidPortNum(Number(grpc.port))) errs.push(invalid(path.child('grpc').child('port').toString(), grpc.port, m));
  return errs;
}

export function validateProbe(probe: unknown, path: FieldPath, mustSucceedOnce: boolean): FieldError[] {
  if (!isObj(probe)) return [];
  const errs = validateHandler(probe, path, ['exec', 'httpGet', 'tcpSocket', 'grpc'], 'handler');
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = probe[f];
    if (typeof v === 'number' && v < 0) errs.push(invalid(path.child(f).toString(), v, IS_NEGATIVE_ERROR_MSG));
  }
  if (typeof probe.terminationGracePeriodSeconds === 'number' && probe.terminationGracePeriodSeconds <= 0) {
    errs.push(invalid(path.child('terminationGracePeriodSeconds').toString(), probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (mustSucceedOnce && typeof probe.successThreshold === 'number' && probe.successThreshold !== 1) {
    errs.push(invalid(path.child('successThreshold').toString(), probe.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateLifecycle(lifecycle: unknown, path: FieldPath): FieldError[] {
  if (!isObj(lifecycle)) return [];
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    if (isObj(lifecycle[hook])) errs.push(...validateHandler(lifecycle[hook] as Obj, path.child(hook), ['exec', 'httpGet', 'tcpSocket', 'sleep'], 'handler'));
  }
  return errs;
}

/** The checks every kind of container gets (validateContainerCommon). */
export function validateContainerCommon(c: Container, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = path.child('name');
  if (!c.name) errs.push(required(namePath.toString()));
  else for (const m of isDNS1123Label(c.name)) errs.push(invalid(namePath.toString(), c.name, m));
  if (!c.image) errs.push(required(path.child('image').toString()));
  const tmp = c.terminationMessagePolicy as string | undefined;
  if (!tmp) errs.push(required(path.child('terminationMessagePolicy').toString()));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(path.child('terminationMessagePolicy').toString(), tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validateContainerPorts(c.ports, path.child('ports')));
  errs.push(...validateEnv(c.env, path.child('env')));
  errs.push(...validateEnvFrom(c.envFrom, path.child('envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, path.child('volumeMounts')));
  if (!c.imagePullPolicy) errs.push(required(path.child('imagePullPolicy').toString()));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(path.child('imagePullPolicy').toString(), c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, path.child('resources')));
  return errs;
}

/** Regular containers: unique names, no restartPolicy, probes and lifecycle checked. */
export function validateContainers(containers: Container[] | undefined, volumes: Set<string>, path: FieldPath): FieldError[] {
  if (!containers?.length) return [required(path.toString())];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, p));
    if (names.has(c.name)) errs.push(duplicate(p.child('name').toString(), c.name));
    else names.add(c.name);
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) errs.push(forbidden(p.child('restartPolicy').toString(), 'may not be set for non-init containers'));
    errs.push(...validateLifecycle(c.lifecycle, p.child('lifecycle')));
    errs.push(...validateProbe(c.livenessProbe, p.child('livenessProbe'), true));
    errs.push(...validateProbe(c.readinessProbe, p.child('readinessProbe'), false));
    errs.push(...validateProbe(c.startupProbe, p.child('startupProbe'), true));
  });
  errs.push(...accumulateUniqueHostPorts(containers, path, new Set()));
  return errs;
}

/** Init containers: names unique across init and regular containers; only sidecars (restartPolicy Always) may have probes. */
export function validateInitContainers(inits: Container[] | undefined, regular: Container[] | undefined, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (inits ?? []).forEach((c, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(c, volumes, p));
    let sidecar = false;
    if (c.restartPolicy !== undefined && c.restartPolicy !== null) {
      if (c.restartPolicy !== 'Always') errs.push(notSupported(p.child('restartPolicy').toString(), c.restartPolicy, ['Always']));
      sidecar = c.restartPolicy === 'Always';
    }
    if (names.has(c.name)) errs.push(duplicate(p.child('name').toString(), c.name));
    else if (c.name) names.add(c.name);
    if (!sidecar) {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined && c[f] !== null) errs.push(forbidden(p.child(f).toString(), 'may not be set for init containers without restartPolicy=Always'));
      }
    } else {
      errs.push(...validateLifecycle(c.lifecycle, p.child('lifecycle')));
      errs.push(...validateProbe(c.livenessProbe, p.child('livenessProbe'), true));
      errs.push(...validateProbe(c.readinessProbe, p.child('readinessProbe'), false));
      errs.push(...validateProbe(c.startupProbe, p.child('startupProbe'), true));
    }
  });
  errs.push(...accumulateUniqueHostPorts(inits ?? [], path, new Set()));
  return errs;
}

function accumulateUniqueHostPorts(containers: Container[], path: FieldPath, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const id = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(id)) errs.push(duplicate(path.index(ci).child('ports').index(pi).toString(), id));
      else seen.add(id);
    });
  });
  return errs;
}
