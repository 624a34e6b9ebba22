/**
 * Pod volumes (ValidateVolumes) and container volume mounts (ValidateVolumeMounts): one source per
 * volume, DNS-label names unique in the pod, referenced ConfigMaps and Secrets named, mounts that
 * name a volume of the pod at a unique path.
 */
import { FieldError, FieldPath, duplicate, forbidden, invalid, notFound, required } from '../field-errors';
import { isDNS1123Label } from './names';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const FILE_MODE_ERROR_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

function validateMode(mode: unknown, path: FieldPath): FieldError[] {
  if (typeof mode === 'number' && (mode > 0o777 || mode < 0)) return [invalid(path.toString(), mode, FILE_MODE_ERROR_MSG)];
  return [];
}

function validateKeyToPaths(items: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(items)) return errs;
  items.forEach((item: Obj, i) => {
    const p = path.index(i);
    if (!item.key) errs.push(required(p.child('key').toString()));
    const itemPath = String(item.path ?? '');
    if (!itemPath) errs.push(required(p.child('path').toString()));
    else {
      if (itemPath.startsWith('/')) errs.push(invalid(p.child('path').toString(), itemPath, 'must be a relative path'));
      if (itemPath.split('/').includes('..')) errs.push(invalid(p.child('path').toString(), itemPath, "must not contain '..'"));
    }
    errs.push(...validateMode(item.mode, p.child('mode')));
  });
  return errs;
}

function validateSource(volume: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const present = VOLUME_SOURCES.filter((s) => volume[s] !== undefined && volume[s] !== null);
  if (present.length === 0) return [required(path.toString(), 'must specify a volume type')];
  for (const extra of present.slice(1)) errs.push(forbidden(path.child(extra).toString(), 'may not specify more than 1 volume type'));
  const source = present[0]!;
  const value = volume[source];
  const p = path.child(source);
  if (!isObj(value)) return errs;
  switch (source) {
    case 'configMap':
      if (!value.name) errs.push(required(p.child('name').toString()));
      errs.push(...validateMode(value.defaultMode, p.child('defaultMode')), ...validateKeyToPaths(value.items, p.child('items')));
      break;
    case 'secret':
      if (!value.secretName) errs.push(required(p.child('secretName').toString()));
      errs.push(...validateMode(value.defaultMode, p.child('defaultMode')), ...validateKeyToPaths(value.items, p.child('items')));
      break;
    case 'persistentVolumeClaim':
      if (!value.claimName) errs.push(required(p.child('claimName').toString()));
      break;
    case 'hostPath':
      if (!value.path) errs.push(required(p.child('path').toString()));
      break;
    case 'projected':
      errs.push(...validateMode(value.defaultMode, p.child('defaultMode')));
      break;
  }
  return errs;
}

/** Returns the errors and the names of the pod's valid volumes (mounts may only name those). */
export function validateVolumes(volumes: unknown, path: FieldPath): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  if (!Array.isArray(volumes)) return { errs, names };
  volumes.forEach((volume: Obj, i) => {
    const p = path.index(i);
    const namePath = p.child('name');
    const name = typeof volume?.name === 'string' ? volume.name : '';
    const el = isObj(volume) ? validateSource(volume, p) : [];
    if (!name) el.push(required(namePath.toString()));
    else for (const msg of isDNS1123Label(name)) el.push(invalid(namePath.toString(), name, msg));
    if (names.has(name)) el.push(duplicate(namePath.toString(), name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return { errs, names };
}

export function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(mounts)) return errs;
  const mountPoints = new Set<string>();
  mounts.forEach((mount: Obj, i) => {
    const p = path.index(i);
    const name = String(mount?.name ?? '');
    const mountPath = String(mount?.mountPath ?? '');
    if (!name) errs.push(required(p.child('name').toString()));
    if (!volumes.has(name)) errs.push(notFound(p.child('name').toString(), name));
    if (!mountPath) errs.push(required(p.child('mountPath').toString()));
    if (mountPoints.has(mountPath)) errs.push(invalid(p.child('mountPath').toString(), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    const subPath = String(mount?.subPath ?? '');
    if (subPath) {
      if (subPath.startsWith('/')) errs.push(invalid(path.child('subPath').toString(), subPath, 'must be a relative path'));
      if (subPath.split('/').includes('..')) errs.push(invalid(path.child('subPath').toString(), subPath, "must not contain '..'"));
    }
  });
  return errs;
}

/** imagePullSecrets entries are references by name only. */
export function validateImagePullSecrets(secrets: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(secrets)) return errs;
  secrets.forEach((s: Obj, i) => {
    if (isObj(s) && Object.keys(s).some((k) => k !== 'name')) errs.push(invalid(path.index(i).toString(), s, 'only name may be set'));
  });
  return errs;
}
