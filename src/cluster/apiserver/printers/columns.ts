/** The columns every kind's table shares (Name first, Age from metadata.creationTimestamp). */
import type { TableColumn } from '../registry/resource';
import { doc } from './descriptions';

export function column(name: string, description: string, extra: Partial<TableColumn> = {}): TableColumn {
  return { name, type: 'string', format: '', description, priority: 0, ...extra };
}

export const nameColumn = (): TableColumn => column('Name', doc.name, { format: 'name' });
export const ageColumn = (): TableColumn => column('Age', doc.creationTimestamp);
