/** `kubectl get services`: CLUSTER-IP, EXTERNAL-IP by type, PORT(S) as `80/TCP` or `80:30080/TCP`. */
import type { KubeObject } from '../../api/types';
import type { TableConvertor } from '../registry/resource';
import { translateTimestampSince } from './age';
import { ageColumn, column, nameColumn } from './columns';
import { doc } from './descriptions';

interface ServicePort { port?: number; nodePort?: number; protocol?: string }
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  externalName?: string;
  ports?: ServicePort[];
  selector?: Record<string, string>;
}
interface Service extends KubeObject {
  spec?: ServiceSpec;
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

function externalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = [...new Set((svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      if (external.length) return [...lb, ...external].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export function makePortString(ports: ServicePort[]): string {
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

export const serviceTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Type', doc.serviceType),
    column('Cluster-IP', doc.serviceClusterIP),
    column('External-IP', doc.serviceExternalIPs),
    column('Port(s)', doc.servicePorts),
    ageColumn(),
    column('Selector', doc.serviceSelector, { priority: 1 }),
  ],
  cells(object, now) {
    const svc = object as Service;
    const spec = svc.spec ?? {};
    const ports = makePortString(spec.ports ?? []);
    return [
      svc.metadata.name ?? '',
      spec.type ?? '',
      spec.clusterIPs?.[0] ?? '<none>',
      externalIP(svc),
      ports || '<none>',
      translateTimestampSince(svc.metadata.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};
