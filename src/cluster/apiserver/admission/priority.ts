/**
 * Priority: a pod's spec.priority and spec.preemptionPolicy come from its PriorityClass (or the
 * global default class, or 0 and PreemptLowerPriority when there is none); naming a class that does
 * not exist, or a priority that disagrees with the class, is 403 Forbidden with kube-apiserver's
 * words. Only one PriorityClass may be the global default.
 */
import { forbidden } from '../../api/errors';
import type { KubeObject, Pod } from '../../api/types';
import { isMainResource, type AdmissionLookup, type AdmissionPlugin } from './types';

const GROUP = 'scheduling.k8s.io';
const DEFAULT_PRIORITY = 0;
const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';

async function defaultPriorityClass(lookup: AdmissionLookup): Promise<KubeObject | undefined> {
  let found: KubeObject | undefined;
  for (const pc of await lookup.list(GROUP, 'priorityclasses')) {
    if (pc.globalDefault === true && (!found || (found.value as number) > (pc.value as number))) found = pc;
  }
  return found;
}

async function admitPod(pod: Pod, name: string, lookup: AdmissionLookup): Promise<void> {
  const gr = { group: '', resource: 'pods' };
  let priority: number;
  let preemptionPolicy: string;
  const className = pod.spec.priorityClassName;
  if (!className) {
    const pc = await defaultPriorityClass(lookup);
    if (pc) {
      pod.spec.priorityClassName = pc.metadata.name;
      priority = pc.value as number;
      preemptionPolicy = (pc.preemptionPolicy as string | undefined) ?? PREEMPT_LOWER_PRIORITY;
    } else {
      priority = DEFAULT_PRIORITY;
      preemptionPolicy = PREEMPT_LOWER_PRIORITY;
    }
  } else {
    const pc = await lookup.get(GROUP, 'priorityclasses', '', className);
    if (!pc) throw forbidden(gr, name, `no PriorityClass with name ${className} was found`);
    priority = pc.value as number;
    preemptionPolicy = (pc.preemptionPolicy as string | undefined) ?? PREEMPT_LOWER_PRIORITY;
  }
  if (typeof pod.spec.priority === 'number' && pod.spec.priority !== priority) {
    throw forbidden(
      gr,
      name,
      `the integer value of priority (${pod.spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  pod.spec.priority = priority;
  const given = pod.spec.preemptionPolicy as string | undefined;
  if (given && given !== preemptionPolicy) {
    throw forbidden(
      gr,
      name,
      `the string value of PreemptionPolicy (${given}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
    );
  }
  pod.spec.preemptionPolicy = preemptionPolicy;
}

export const priorityAdmission: AdmissionPlugin = {
  name: 'Priority',
  admit(attrs, lookup) {
    if (isMainResource(attrs, '', 'pods', 'CREATE') && attrs.object) return admitPod(attrs.object as Pod, attrs.name, lookup);
    if (isMainResource(attrs, '', 'pods', 'UPDATE') && attrs.object && attrs.oldObject) {
      // What this plugin set on create survives an update that leaves it out (validation forbids changing it).
      const pod = attrs.object as Pod;
      const old = attrs.oldObject as Pod;
      if (pod.spec.priority === undefined && old.spec.priority !== undefined) pod.spec.priority = old.spec.priority;
      if (pod.spec.preemptionPolicy === undefined && old.spec.preemptionPolicy !== undefined) pod.spec.preemptionPolicy = old.spec.preemptionPolicy;
    }
    return undefined;
  },
  validate(attrs, lookup) {
    if (attrs.group !== GROUP || attrs.resource !== 'priorityclasses' || attrs.subresource !== '') return;
    if ((attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || attrs.object?.globalDefault !== true) return;
    return validateDefault(attrs.object, attrs.name, lookup);
  },
};

/** Only one PriorityClass may be the global default. */
async function validateDefault(object: KubeObject, name: string, lookup: AdmissionLookup): Promise<void> {
  const current = await defaultPriorityClass(lookup);
  if (current && current.metadata.name !== object.metadata.name) {
    throw forbidden({ group: GROUP, resource: 'priorityclasses' }, name, `PriorityClass ${current.metadata.name} is already marked as default. Only one default can exist`);
  }
}
