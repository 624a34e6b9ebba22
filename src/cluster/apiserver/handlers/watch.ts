/**
 * Watch requests: a stream of newline-delimited watch events (the transport writes them). Table
 * watches (`kubectl get -w`) carry one-row Tables, with columnDefinitions in the first event only,
 * as kube-apiserver's watch encoder does. The stream ends on `timeoutSeconds` (cluster time),
 * on an ERROR (410 Expired), or when the client goes away. With bookmarks allowed, one more BOOKMARK
 * goes out 2 s before the timeout (as the watch cache does), so a reflector restarting the watch
 * resumes from the newest revision instead of an older one.
 */
import { badRequest } from '../../api/errors';
import type { KubeObject, WatchEvent } from '../../api/types';
import type { Timer } from '../../clock';
import { negotiate } from '../negotiation';
import { watchRegistry, type RegistryWatch } from '../registry/watch';
import { parseResourceVersion } from '../registry/store';
import { includeObjectOf, table } from '../table';
import type { ApiResponse, ResponseStream } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { listParams, timeoutSecondsOf } from './params';
import { JSON_CONTENT_TYPE } from '../negotiation';

/** How long before a watch's timeout its last BOOKMARK is sent (kube-apiserver's cacheWatcher). */
const PRE_TIMEOUT_BOOKMARK_S = 2;

/** Without timeoutSeconds kube-apiserver ends a watch after --min-request-timeout (1800 s) times a random 1–2. */
const MIN_REQUEST_TIMEOUT_S = 1800;

export async function watchObjects(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const q = r.request.query;
  const asTable = negotiate(r.request.headers['accept'], { table: true }) === 'table';
  const include = asTable ? includeObjectOf(q) : 'Metadata';
  // A watch on a named object (GET …/pods/x?watch=true) is a watch with a name selector.
  const params = listParams(r, r.info.name ? `metadata.name=${r.info.name}` : undefined);
  const rv = params.resourceVersion;
  if (rv && rv !== '0') parseResourceVersion(rv);
  const timeoutSeconds = timeoutSecondsOf(q);
  const allowWatchBookmarks = q.get('allowWatchBookmarks') === 'true' || q.get('allowWatchBookmarks') === '1';
  const def = r.registry.def;
  const sendInitialEvents = q.get('sendInitialEvents') === 'true';
  if (sendInitialEvents && !allowWatchBookmarks) throw badRequest('sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless allowWatchBookmarks=true');

  let watch: RegistryWatch | undefined;
  let timer: Timer | undefined;
  let bookmarkTimer: Timer | undefined;
  let closed = false;
  let first = true;
  const stream: ResponseStream = {
    start(write, end) {
      const finish = () => {
        if (closed) return;
        closed = true;
        watch?.cancel();
        timer?.cancel();
        bookmarkTimer?.cancel();
        end();
      };
      const encode = (event: WatchEvent): WatchEvent => {
        if (!asTable || event.type === 'ERROR' || event.type === 'BOOKMARK') return event;
        const t = table(def, [event.object], parts.clock.now(), include, { resourceVersion: event.object.metadata.resourceVersion ?? '' }, first);
        first = false;
        return { type: event.type, object: t as unknown as KubeObject };
      };
      const seconds = timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds : MIN_REQUEST_TIMEOUT_S * (1 + Math.random());
      timer = parts.clock.setTimer(seconds * 1000, finish);
      if (allowWatchBookmarks && seconds > PRE_TIMEOUT_BOOKMARK_S) {
        bookmarkTimer = parts.clock.setTimer((seconds - PRE_TIMEOUT_BOOKMARK_S) * 1000, () => { if (!closed) watch?.bookmark(); });
      }
      const watchParams: Parameters<typeof watchRegistry>[3] = { namespace: params.namespace, selection: params.selection, allowWatchBookmarks, sendInitialEvents };
      if (rv !== undefined) watchParams.resourceVersion = rv;
      watchRegistry(r.registry, parts.kv, parts.clock, watchParams, {
        event: (event) => { if (!closed) write(encode(event)); },
        end: finish,
      }).then(
        (w) => {
          if (closed) w.cancel();
          else watch = w;
        },
        (err: unknown) => {
          if (closed) return;
          const status = (err as { status?: unknown }).status;
          write({ type: 'ERROR', object: (status ?? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(err), reason: 'InternalError', code: 500 }) as KubeObject });
          finish();
        },
      );
    },
    close() {
      if (closed) return;
      closed = true;
      watch?.cancel();
      timer?.cancel();
      bookmarkTimer?.cancel();
    },
  };
  return { status: 200, headers: { 'Content-Type': JSON_CONTENT_TYPE }, stream };
}
