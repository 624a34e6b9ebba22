/**
 * secrets (core/v1). `stringData` is folded into `data` (base64) and dropped, as the conversion
 * does; `data` values must be strict base64 (kube-apiserver fails decoding with 400 otherwise);
 * `type` defaults to Opaque and is immutable.
 */
import { FieldError, FieldPath, invalid, required, tooLong } from '../../../api/field-errors';
import { badRequest } from '../../../api/errors';
import type { KubeObject } from '../../../api/types';
import { removeMember } from '../../../api/removed-members';
import { isConfigMapKey } from '../../../api/validation/names';
import { validateImmutableField } from '../../../api/validation/meta';
import { secretTable } from '../../printers/simple-kinds';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, kindStrategy, selectable } from './common';
import { MAX_DATA_SIZE, validateImmutableData } from './configmaps';

/**
 * Index of the first byte Go's base64.StdEncoding rejects (its CorruptInputError), or -1 when the
 * text decodes. Newlines are skipped as Go skips them; padding is required.
 */
export function illegalBase64At(src: string): number {
  const isNewline = (c: string | undefined) => c === '\n' || c === '\r';
  const isAlphabet = (c: string) => /[A-Za-z0-9+/]/.test(c);
  let si = 0;
  for (;;) {
    for (let j = 0; j < 4; j++) {
      while (si < src.length && isNewline(src[si])) si++;
      if (si === src.length) return j === 0 ? -1 : si - j;
      const ch = src[si++]!;
      if (isAlphabet(ch)) continue;
      if (ch !== '=' || j < 2) return si - 1;
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== '=') return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? si : -1;
    }
  }
}

function foldStringData(object: KubeObject): void {
  const stringData = object.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData === 'object') {
    const data = { ...((object.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    object.data = data;
  }
  removeMember(object, 'stringData');
}

function checkBase64(object: KubeObject): void {
  for (const value of Object.values((object.data as Record<string, unknown> | undefined) ?? {})) {
    if (typeof value !== 'string') continue;
    const at = illegalBase64At(value);
    if (at >= 0) throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
  }
}

const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';

/** Go's json.Unmarshal error for text that is not JSON (the common two forms). */
function jsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    const trimmed = text.trim();
    if (trimmed === '' || /^[[{"]/.test(trimmed)) return 'unexpected end of JSON input';
    return `invalid character '${trimmed[0]}' looking for beginning of value`;
  }
}

/** The keys each well-known Secret type requires (ValidateSecret). */
function validateSecretType(object: KubeObject): FieldError[] {
  const data = (object.data as Record<string, string> | undefined) ?? {};
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  const decoded = (k: string) => Buffer.from(data[k] ?? '', 'base64').toString('utf8');
  const dataKey = (k: string) => FieldPath.root('data').key(k).toString();
  const errs: FieldError[] = [];
  switch (object.type) {
    case SERVICE_ACCOUNT_TOKEN: {
      const annotation = 'kubernetes.io/service-account.name';
      if (!object.metadata.annotations?.[annotation]) errs.push(required(`metadata.annotations[${annotation}]`));
      break;
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = object.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) errs.push(required(dataKey(key)));
      else {
        const err = jsonError(decoded(key));
        if (err) errs.push(invalid(dataKey(key), '<secret contents redacted>', err));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required(dataKey('username')), required(dataKey('password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(required(dataKey('ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(dataKey('tls.crt')));
      if (!has('tls.key')) errs.push(required(dataKey('tls.key')));
      break;
  }
  return errs;
}

function validateSecret(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = FieldPath.root('data');
  let total = 0;
  for (const [key, value] of Object.entries((object.data as Record<string, string> | undefined) ?? {})) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(data.key(key).toString(), key, msg));
    total += Buffer.from(String(value ?? ''), 'base64').length;
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  errs.push(...validateSecretType(object));
  return errs;
}

export const secrets: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  listKind: 'SecretList',
  resource: 'secrets',
  singular: 'secret',
  namespaced: true,
  verbs: ALL_VERBS,
  subresources: [],
  strategy: kindStrategy({
    namespaced: true,
    defaults(object) {
      foldStringData(object);
      checkBase64(object);
      if (!object.type) object.type = 'Opaque';
    },
    validate: validateSecret,
    validateUpdate: (object, old) =>
      validateImmutableField(object.type, old.type, 'type')
        .concat(validateImmutableData(object, old, ['data']))
        .concat(validateSecret(object)),
  }),
  table: secretTable,
  selectableFields: selectable('type'),
};
