/**
 * The errors `kubectl logs` prints when a container has no log to show, worded as the 1.32 kubelet
 * words them (validateContainerLogStatus): both the kubelet and the API server's pods/log handler
 * answer with these, so the wording lives once, here. All are 400 BadRequest.
 */
import { badRequest, type StatusError } from './errors';

/** The most common pending failures get a sentence of their own; other reasons are named as they are. */
const WAITING_EXPLAINED: Record<string, string> = {
  ErrImagePull: "image can't be pulled",
  ImagePullBackOff: 'trying and failing to pull image',
};

export function waitingToStart(container: string, pod: string, reason: string): StatusError {
  return badRequest(`container "${container}" in pod "${pod}" is waiting to start: ${WAITING_EXPLAINED[reason] ?? reason}`);
}

export function previousNotFound(container: string, pod: string): StatusError {
  return badRequest(`previous terminated container "${container}" in pod "${pod}" not found`);
}
