/**
 * The result of running a plugin, as kube-scheduler's framework.Status: a code, the reasons a
 * person reads, and the plugin that produced it (stamped by the framework, never by the plugin).
 *
 * Codes, in kube-scheduler's order:
 * - Success: the plugin is happy.
 * - Error: something went wrong inside the scheduler; the pod is retried with back-off.
 * - Unschedulable: the node does not fit now, but preempting lower-priority pods could help.
 * - UnschedulableAndUnresolvable: the node does not fit and preemption cannot change that (taints,
 *   affinity, node name, cordon).
 * - Wait: a Permit plugin wants the pod to wait.
 * - Skip: the plugin has nothing to do for this pod (PreFilter/PreScore); the framework then skips
 *   its Filter/Score for the whole cycle.
 */
export enum Code {
  Success = 0,
  Error = 1,
  Unschedulable = 2,
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
}

export const CODE_NAMES: Record<Code, string> = {
  [Code.Success]: 'Success',
  [Code.Error]: 'Error',
  [Code.Unschedulable]: 'Unschedulable',
  [Code.UnschedulableAndUnresolvable]: 'UnschedulableAndUnresolvable',
  [Code.Wait]: 'Wait',
  [Code.Skip]: 'Skip',
};

export class Status {
  /** The plugin that returned this status; set by the framework. */
  plugin = '';

  constructor(readonly code: Code, readonly reasons: readonly string[] = []) {}

  static success(): Status {
    return SUCCESS;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }

  static error(message: string): Status {
    return new Status(Code.Error, [message]);
  }

  static skip(): Status {
    return new Status(Code.Skip);
  }

  isSuccess(): boolean {
    return this.code === Code.Success;
  }

  isSkip(): boolean {
    return this.code === Code.Skip;
  }

  /** Unschedulable or UnschedulableAndUnresolvable: the pod does not fit (not an internal error). */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }

  /** The reasons joined as kube-scheduler's Status.Message() joins them. */
  message(): string {
    return this.reasons.join(', ');
  }

  /** A copy carrying the plugin name (statuses may be shared constants). */
  withPlugin(plugin: string): Status {
    if (this.plugin === plugin) return this;
    const s = new Status(this.code, this.reasons);
    s.plugin = plugin;
    return s;
  }
}

const SUCCESS = new Status(Code.Success);
