/**
 * The cluster snapshot live hovers and runtime diagnostics read: taken through the session's client
 * when the cluster runs, reused for a second so that moving the mouse over a manifest does not list
 * the cluster on every hover, and dropped when the cluster stops.
 */
import type { KubeSimContext } from '../context';
import { takeSnapshot, type ClusterSnapshot } from '../../manifest/live/snapshot';

const REUSE_MS = 1000;

export class LiveSnapshots {
  private last: { at: number; snapshot: Promise<ClusterSnapshot> } | undefined;

  constructor(private readonly ctx: KubeSimContext) {}

  /** The snapshot, or undefined when the cluster is not running (hovers then show the schema alone). */
  async current(): Promise<ClusterSnapshot | undefined> {
    const state = this.ctx.state;
    if (state.kind !== 'running') {
      this.last = undefined;
      return undefined;
    }
    const now = Date.now();
    if (this.last === undefined || now - this.last.at > REUSE_MS) {
      this.last = { at: now, snapshot: takeSnapshot(state.session.client) };
    }
    try {
      return await this.last.snapshot;
    } catch {
      this.last = undefined;
      return undefined;
    }
  }
}
