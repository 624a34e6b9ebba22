/**
 * A container's environment as its processes see it.
 *
 * Most containers have no env or envFrom of their own: their environment is the image's, PATH,
 * HOSTNAME and the `kubernetes` Service's variables, the same for every container of the image
 * but for HOSTNAME. Those share one frozen object per image (`sharedEnv`), whose HOSTNAME is a
 * placeholder kept only for its place in the order; `processEnv` gives the environment with the
 * container's own hostname (ProcessContext.hostname). Everything that reads a ProcessContext's env
 * reads it through processEnv.
 */
const shared = new WeakSet<object>();

/** `env` (with HOSTNAME in its place) shared by containers that differ only in their hostname. */
export function sharedEnv(env: Record<string, string>): Readonly<Record<string, string>> {
  shared.add(env);
  return Object.freeze(env);
}

/** A fresh copy of `env` as the process sees it: HOSTNAME is `hostname` when `env` is shared. */
export function processEnv(env: Readonly<Record<string, string>>, hostname: string): Record<string, string> {
  const vars = { ...env };
  if (shared.has(env)) vars.HOSTNAME = hostname;
  return vars;
}
