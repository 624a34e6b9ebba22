/** Tables of the kinds whose rows are a name, a count or a field, and an age (printers.go). */
import type { KubeObject } from '../../api/types';
import type { TableConvertor } from '../registry/resource';
import { translateTimestampSince } from './age';
import { ageColumn, column, nameColumn } from './columns';
import { doc } from './descriptions';

const count = (m: unknown): number => (m && typeof m === 'object' ? Object.keys(m).length : 0);

/** DATA counts data and binaryData keys together. */
export const configMapTable: TableConvertor = {
  columns: [nameColumn(), column('Data', doc.configMapData), ageColumn()],
  cells(object: KubeObject, now: number) {
    return [object.metadata.name ?? '', count(object.data) + count(object.binaryData), translateTimestampSince(object.metadata.creationTimestamp, now)];
  },
};

export const secretTable: TableConvertor = {
  columns: [nameColumn(), column('Type', doc.secretType), column('Data', doc.secretData), ageColumn()],
  cells(object: KubeObject, now: number) {
    return [object.metadata.name ?? '', String(object.type ?? ''), count(object.data), translateTimestampSince(object.metadata.creationTimestamp, now)];
  },
};

export const serviceAccountTable: TableConvertor = {
  columns: [nameColumn(), column('Secrets', doc.serviceAccountSecrets), ageColumn()],
  cells(object: KubeObject, now: number) {
    const secrets = Array.isArray(object.secrets) ? object.secrets.length : 0;
    return [object.metadata.name ?? '', secrets, translateTimestampSince(object.metadata.creationTimestamp, now)];
  },
};

export const leaseTable: TableConvertor = {
  columns: [nameColumn(), column('Holder', doc.leaseHolderIdentity), ageColumn()],
  cells(object: KubeObject, now: number) {
    const holder = (object.spec as { holderIdentity?: string | null } | undefined)?.holderIdentity;
    return [object.metadata.name ?? '', holder ?? '<unknown>', translateTimestampSince(object.metadata.creationTimestamp, now)];
  },
};

export const priorityClassTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Value', doc.priorityClassValue, { type: 'integer' }),
    column('Global-Default', doc.priorityClassGlobalDefault, { type: 'boolean' }),
    ageColumn(),
    column('PreemptionPolicy', doc.priorityClassPreemptionPolicy),
  ],
  cells(object: KubeObject, now: number) {
    const policy = typeof object.preemptionPolicy === 'string' ? object.preemptionPolicy : '<unset>';
    return [
      object.metadata.name ?? '',
      typeof object.value === 'number' ? object.value : 0,
      object.globalDefault === true,
      translateTimestampSince(object.metadata.creationTimestamp, now),
      policy,
    ];
  },
};
