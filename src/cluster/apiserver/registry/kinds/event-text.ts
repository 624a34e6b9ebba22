/**
 * The stored text of a new core/v1 Event as event recorders write them (client/event-recorder.ts:
 * the kubelet's Pulling, Pulled, Created, Started..., the controllers'), made member by member and
 * known valid by a few checks, instead of the generic create's validation and JSON.stringify of
 * the whole object: a pod start writes four of them.
 *
 * Contract (Strategy.createdText): for an object this recognizes, the answer is exactly
 * JSON.stringify of it, and the generic create would have found it valid, with no warning, and
 * left it as it is (the Event strategy has no defaults and prepares nothing). Anything else gets
 * undefined and takes the generic steps, so their answers for other input (errors above all) stay
 * theirs. Recognized: the members a recorder writes in its order, of its types (strings, `count`
 * an integer, `eventTime` null, `involvedObject` and `source` flat objects of strings), and the
 * metadata a create has by then: name, namespace, uid, creationTimestamp, and the one managedFields
 * entry the creator's Update records (with a frozen field set, as the registry's are).
 */
import type { KubeObject } from '../../../api/types';
import { isDNS1123Label, nameIsDNSSubdomain } from '../../../api/validation/names';
import { frozenFieldsText } from '../../patch/managed-fields-recent';
import { flatText } from '../codec';

const EVENT_MEMBERS = [
  'apiVersion', 'kind', 'metadata', 'involvedObject', 'reason', 'message', 'source', 'firstTimestamp',
  'lastTimestamp', 'count', 'type', 'eventTime', 'reportingComponent', 'reportingInstance',
] as const;
const METADATA_MEMBERS = ['name', 'namespace', 'uid', 'creationTimestamp', 'managedFields'] as const;
const ENTRY_MEMBERS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1'] as const;

type Members = Record<string, unknown>;

export function createdEventText(event: KubeObject): string | undefined {
  const e = event as unknown as Members;
  if (!hasMembers(e, EVENT_MEMBERS, EVENT_MEMBERS.length) || e.apiVersion !== 'v1' || e.kind !== 'Event') return undefined;
  const meta = e.metadata as Members;
  const involved = e.involvedObject as Members;
  const source = e.source as Members;
  if (!plain(meta) || !flatStrings(involved) || !flatStrings(source) || e.eventTime !== null || !Number.isInteger(e.count)) return undefined;
  const { reason, message, firstTimestamp, lastTimestamp, type, reportingComponent, reportingInstance } = e;
  if (typeof reason !== 'string' || typeof message !== 'string' || typeof firstTimestamp !== 'string' || typeof lastTimestamp !== 'string'
    || typeof type !== 'string' || typeof reportingComponent !== 'string' || typeof reportingInstance !== 'string') return undefined;
  const metadata = metadataText(meta);
  if (metadata === undefined || !valid(meta.name as string, meta.namespace as string, involved.namespace)) return undefined;
  // One flat string, as JSON.stringify's would be (codec.ts flatText): the store keeps it.
  return flatText(`{"apiVersion":"v1","kind":"Event","metadata":${metadata},"involvedObject":${JSON.stringify(involved)},"reason":${JSON.stringify(reason)},`
    + `"message":${JSON.stringify(message)},"source":${JSON.stringify(source)},"firstTimestamp":${JSON.stringify(firstTimestamp)},`
    + `"lastTimestamp":${JSON.stringify(lastTimestamp)},"count":${e.count as number},"type":${JSON.stringify(type)},"eventTime":null,`
    + `"reportingComponent":${JSON.stringify(reportingComponent)},"reportingInstance":${JSON.stringify(reportingInstance)}}`);
}

/**
 * What the generic validation checks of such an event (the others have nothing to check: no
 * labels, annotations, owners, finalizers, generateName; eventTime null is the lenient legacy
 * rule): the name, the namespace, and the involved object's namespace, which must be the event's
 * (or absent, for an event in `default` about a cluster-scoped object).
 */
function valid(name: string, namespace: string, involvedNamespace: unknown): boolean {
  if (nameIsDNSSubdomain(name, false).length > 0 || namespace === '' || isDNS1123Label(namespace).length > 0) return false;
  return involvedNamespace === undefined || involvedNamespace === '' ? namespace === 'default' : involvedNamespace === namespace;
}

/** The metadata's text, when it holds strings and at most the one managedFields entry of a create (see the header). */
function metadataText(meta: Members): string | undefined {
  const withFields = hasMembers(meta, METADATA_MEMBERS, METADATA_MEMBERS.length);
  if (!withFields && !hasMembers(meta, METADATA_MEMBERS, METADATA_MEMBERS.length - 1)) return undefined;
  const { name, namespace, uid, creationTimestamp } = meta;
  if (typeof name !== 'string' || typeof namespace !== 'string' || typeof uid !== 'string' || typeof creationTimestamp !== 'string') return undefined;
  const head = `{"name":${JSON.stringify(name)},"namespace":${JSON.stringify(namespace)},"uid":${JSON.stringify(uid)},"creationTimestamp":${JSON.stringify(creationTimestamp)}`;
  if (!withFields) return `${head}}`;
  const entries = meta.managedFields;
  if (!Array.isArray(entries) || entries.length !== 1 || Object.getPrototypeOf(entries) !== Array.prototype) return undefined;
  const entry = entries[0] as Members;
  if (!plain(entry) || !hasMembers(entry, ENTRY_MEMBERS, ENTRY_MEMBERS.length)) return undefined;
  const { manager, operation, apiVersion, time, fieldsType, fieldsV1 } = entry;
  if (typeof manager !== 'string' || typeof operation !== 'string' || typeof apiVersion !== 'string' || typeof time !== 'string'
    || typeof fieldsType !== 'string' || !plain(fieldsV1) || !Object.isFrozen(fieldsV1)) return undefined;
  return `${head},"managedFields":[{"manager":${JSON.stringify(manager)},"operation":${JSON.stringify(operation)},"apiVersion":${JSON.stringify(apiVersion)},`
    + `"time":${JSON.stringify(time)},"fieldsType":${JSON.stringify(fieldsType)},"fieldsV1":${frozenFieldsText(fieldsV1 as object)}}]}`;
}

/** A plain object (JSON.stringify walks its members: no prototype of its own, no toJSON). */
function plain(value: unknown): value is Members {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
    && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** A plain object whose members are all strings (a reference, a source). */
function flatStrings(value: unknown): boolean {
  if (!plain(value)) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}

/** True when `object` is plain and its members are exactly the first `count` of `names`, in that order. */
function hasMembers(object: unknown, names: readonly string[], count: number): boolean {
  if (!plain(object)) return false;
  let at = 0;
  for (const key in object) if (at >= count || key !== names[at++]) return false;
  return at === count;
}
