/**
 * Container resource requirements (validateResourceRequirements): resource names, non-negative
 * quantities, integer extended resources, and requests no larger than limits (equal for resources
 * that cannot be overcommitted).
 */
import { FieldError, FieldPath, invalid, required } from '../field-errors';
import { Quantity } from '../quantity';
import { IS_NEGATIVE_ERROR_MSG, isQualifiedName } from './names';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const NATIVE_PREFIXES = ['kubernetes.io/', 'requests.'];
const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');
/** An extended resource: fully qualified, outside kubernetes.io, not prefixed `requests.`. */
const isExtended = (name: string) => !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

/** Parses a quantity the API server has already decoded; undefined for text that would not decode. */
export function parseQuantityField(value: unknown): Quantity | undefined {
  return Quantity.tryParse(value);
}

function validateResourceName(name: string, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const msg of isQualifiedName(name)) errs.push(invalid(path.toString(), name, msg));
  if (errs.length) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(path.toString(), name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtended(name)) {
    errs.push(invalid(path.toString(), name, "doesn't follow extended resource name standard"));
  }
  void NATIVE_PREFIXES;
  return errs;
}

function validateQuantityValue(name: string, q: Quantity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(invalid(path.toString(), q.toString(), IS_NEGATIVE_ERROR_MSG));
  if (isExtended(name) && q.milliValue() % 1000 !== 0) errs.push(invalid(path.toString(), q.toString(), 'must be an integer'));
  return errs;
}

export interface ResourceRequirements {
  limits?: Record<string, unknown>;
  requests?: Record<string, unknown>;
}

export function validateResourceRequirements(resources: ResourceRequirements | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!resources) return errs;
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const limits = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(resources.limits ?? {})) {
    const p = limPath.key(name);
    errs.push(...validateResourceName(name, p));
    const q = parseQuantityField(value);
    if (!q) continue;
    limits.set(name, q);
    errs.push(...validateQuantityValue(name, q, p));
  }
  for (const [name, value] of Object.entries(resources.requests ?? {})) {
    const p = reqPath.key(name);
    errs.push(...validateResourceName(name, p));
    const q = parseQuantityField(value);
    if (!q) continue;
    errs.push(...validateQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !overcommitAllowed(name)) {
        errs.push(invalid(reqPath.toString(), q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(invalid(reqPath.toString(), q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!overcommitAllowed(name)) {
      errs.push(required(limPath.toString(), 'Limit must be set for non overcommitable resources'));
    }
  }
  return errs;
}
