import type { KubeObject } from '../../api/types';
import type { TableConvertor } from '../registry/resource';
import { translateTimestampSince } from './age';
import { ageColumn, column, nameColumn } from './columns';

export const namespaceTable: TableConvertor = {
  columns: [nameColumn(), column('Status', 'The status of the namespace'), ageColumn()],
  cells(object: KubeObject, now: number) {
    const phase = (object.status as { phase?: string } | undefined)?.phase ?? '';
    return [object.metadata.name ?? '', phase, translateTimestampSince(object.metadata.creationTimestamp, now)];
  },
};
