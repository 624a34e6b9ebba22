/**
 * selfsubjectreviews (authentication.k8s.io/v1, cluster-scoped, create only): "who am I?", what
 * `kubectl auth whoami` posts. Nothing is stored: the router answers each create with the
 * identity the authenticator found (handlers/self-subject-review.ts), as kube-apiserver does.
 */
import type { ResourceDefinition } from '../resource';
import { kindStrategy } from './common';

export const selfSubjectReviews: ResourceDefinition = {
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  listKind: 'SelfSubjectReviewList',
  resource: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  verbs: ['create'],
  subresources: [],
  strategy: kindStrategy({ namespaced: false }),
};
