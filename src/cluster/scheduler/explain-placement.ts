/**
 * Dry-run placement: "where would this pod go, and why?" for a pod that is not created.
 *
 * Mechanism (agreed shape with the API server: a transport wrapper, so the pipeline is untouched):
 * a server-side dry-run create of a Pod (`POST …/pods?dryRun=All`) that asks for it, either with
 * the request header `X-Kube-Sim-Explain-Placement: true` (the editor) or with the annotation
 * `scheduler.kube-sim.io/explain-placement: "true"` on the pod (kubectl:
 * `kubectl create --dry-run=server -o yaml -f pod.yaml`), comes back with the scheduler's
 * explanation annotations added to the returned object, exactly those a real attempt would write
 * (selected-node, filter-result, score-result, finalscore-result, explanation, summary). Nothing
 * is stored and the scheduler's state does not change.
 */
import type { Pod } from '../api/types';
import type { Transport } from '../apiserver/types';
import { ANNOTATION_PREFIX, explanationAnnotations } from './explain/annotations';
import type { Scheduler } from './scheduler';

export const EXPLAIN_PLACEMENT_HEADER = 'x-kube-sim-explain-placement';
export const EXPLAIN_PLACEMENT_ANNOTATION = ANNOTATION_PREFIX + 'explain-placement';

const POD_COLLECTION = /^\/api\/v1\/namespaces\/[^/]+\/pods\/?$/;

function asked(header: string | undefined, pod: Pod): boolean {
  if (header !== undefined && header !== '' && header.toLowerCase() !== 'false') return true;
  return pod.metadata.annotations?.[EXPLAIN_PLACEMENT_ANNOTATION] === 'true';
}

/** Wraps a transport so that dry-run pod creates that ask for it carry a placement explanation. */
export function withPlacementExplanations(inner: Transport, scheduler: () => Scheduler | undefined): Transport {
  const create: Transport = async (request) => {
    const response = await inner(request);
    if (response.status !== 201 || request.query.get('dryRun') !== 'All' || !POD_COLLECTION.test(request.path)) return response;
    const body = response.body as Pod | undefined;
    const s = scheduler();
    if (!s || !body || typeof body !== 'object' || body.kind !== 'Pod' || !asked(request.headers[EXPLAIN_PLACEMENT_HEADER], body)) return response;
    const explanation = s.explainPlacement(body);
    body.metadata.annotations = { ...(body.metadata.annotations ?? {}), ...explanationAnnotations(explanation) };
    return response;
  };
  // Other methods go straight through: no promise of this wrapper's own per request.
  return (request) => (request.method === 'POST' ? create(request) : inner(request));
}
