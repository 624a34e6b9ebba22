/**
 * selfsubjectaccessreviews (authorization.k8s.io/v1, cluster-scoped, create only), listed in
 * discovery as kube-apiserver lists it (`kubectl api-resources`). Nothing is stored: the router
 * answers each create from the authorizer (handlers/access-review.ts), as kube-apiserver's REST does.
 */
import type { ResourceDefinition } from '../resource';
import { kindStrategy } from './common';

export const selfSubjectAccessReviews: ResourceDefinition = {
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  listKind: 'SelfSubjectAccessReviewList',
  resource: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  verbs: ['create'],
  subresources: [],
  strategy: kindStrategy({ namespaced: false }),
};
