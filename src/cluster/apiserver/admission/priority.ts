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
  return defaultOf(await lookup.list(GROUP, 'priorityclasses'));
}

function defaultOf(classes: KubeObject[]): KubeObject | undefined {
  let found: KubeObject | undefined;
  for (const pc of classes) {
    if (pc.globalDefault === true && (!found || (found.value as number) > (pc.value as number))) found = pc;
  }
  return found;
}

/**
 * The class a pod gets, at once when the lookup keeps priority classes in memory (`peek`): the
 * named one (null when it does not exist) or the default one; undefined when not known.
 */
function peekClass(pod: Pod, lookup: AdmissionLookup): KubeObject | null | undefined {
  const className = pod.spec.priorityClassName;
  if (className) return lookup.peek?.(GROUP, 'priorityclasses', '', className);
  const classes = lookup.peekList?.(GROUP, 'priorityclasses');
  return classes && (defaultOf(classes) ?? null);
}

/** A pod create: synchronously when the lookup keeps the classes in memory, else after reading them. */
function admitPod(pod: Pod, name: string, lookup: AdmissionLookup): Promise<void> | undefined {
  const known = peekClass(pod, lookup);
  if (known !== undefined) return setPriority(pod, name, known ?? undefined);
  return admitPodRead(pod, name, lookup);
}

async function admitPodRead(pod: Pod, name: string, lookup: AdmissionLookup): Promise<void> {
  const className = pod.spec.priorityClassName;
  setPriority(pod, name, className ? await lookup.get(GROUP, 'priorityclasses', '', className) : await defaultPriorityClass(lookup));
}

/** `pc`: the class the pod names (undefined: it does not exist), or the default one when it names none. */
function setPriority(pod: Pod, name: string, pc: KubeObject | undefined): undefined {
  const gr = { group: '', resource: 'pods' };
  let priority: number;
  let preemptionPolicy: string;
  const className = pod.spec.priorityClassName;
  if (!className) {
    if (pc) {
      pod.spec.priorityClassName = pc.metadata.name;
      priority = pc.value as number;
      preemptionPolicy = (pc.preemptionPolicy as string | undefined) ?? PREEMPT_LOWER_PRIORITY;
    } else {
      priority = DEFAULT_PRIORITY;
      preemptionPolicy = PREEMPT_LOWER_PRIORITY;
    }
  } else {
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
  return undefined;
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
