/**
 * The cluster as a whole in the real extension host: the clock's speed, the status bar, and Reset
 * Cluster, which starts a fresh cluster from the settings (here with kubeSim.port taken by someone
 * else, so the API server falls back to a free port). Runs last (files run in name order): the reset
 * deletes everything the other files made.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { Pod } from '../../../src/cluster/api/types';
import { PODS } from '../../../src/cluster/client/client';
import { kubeSim, nodeRows, podRows, statusBarWhere, treeWhere } from './tree';

/** A port someone else listens on, until `close()`. */
async function takenPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

suite('The cluster: clock speed, status bar, reset', () => {
  test('the status bar shows the cluster, its nodes, the pending pods and the clock', async () => {
    const api = await kubeSim();
    const session = await api.session();
    await api.whenTreeSynced();
    const pending = session.model.pendingCount();
    assert.ok(pending > 0, 'an unschedulable pod from the editor tests waits');
    // Updates are coalesced: the nodes the other tests added and removed may still be counted for a moment.
    const shown = await statusBarWhere(api, (s) => s.text === `$(server-environment) kube-sim · 3 nodes · ${pending} pending · running 20×`);
    assert.match(shown.tooltip, /^Kube Sim cluster kube-sim v1\.32\.\d+\S* at https:\/\/127\.0\.0\.1:\d+; clock running 20×\. Click to show the Cluster view\.$/);

    await vscode.commands.executeCommand('kubeSim.pauseClock');
    await statusBarWhere(api, (s) => s.text === `$(debug-pause) kube-sim · 3 nodes · ${pending} pending · paused`);
    await vscode.commands.executeCommand('kubeSim.resumeClock');
    await statusBarWhere(api, (s) => s.text.endsWith('· running 20×'));
  });

  test('Set Clock Speed: the cluster row and the status bar say the new speed', async () => {
    const api = await kubeSim();
    const session = await api.session();
    assert.equal(await vscode.commands.executeCommand('kubeSim.setSpeed', 60), 60);
    assert.equal(session.cluster.clock.speed, 60);
    await treeWhere(api, (t) => /· running 60×$/.test(t[0]!.description ?? ''));
    await statusBarWhere(api, (s) => s.text.endsWith('· running 60×'));
    assert.equal(await vscode.commands.executeCommand('kubeSim.setSpeed', 0.5), 0.5);
    await treeWhere(api, (t) => /· running 0\.5×$/.test(t[0]!.description ?? ''));
    await statusBarWhere(api, (s) => s.text.endsWith('· running 0.5×'));
    await vscode.commands.executeCommand('kubeSim.setSpeed', 20);
  });

  test('Reset Cluster with kubeSim.port taken: a fresh cluster from the settings, on a free port, with nothing in it', async () => {
    const api = await kubeSim();
    const before = await api.whenRunning();
    assert.ok((await api.session()).model.allPods().length > 0, 'the other tests left pods behind');
    (await api.session()).cluster.clock.setSpeed(7); // not a setting: a reset forgets it
    const taken = await takenPort();
    const settings = vscode.workspace.getConfiguration('kubeSim');
    try {
      await settings.update('port', taken.port, vscode.ConfigurationTarget.Workspace);
      const resetting = vscode.commands.executeCommand<boolean>('kubeSim.resetCluster', true);
      // Whoever asks for the cluster while the reset stops it (a followed log re-reads every 2 s) gets
      // the fresh cluster: it used to start one on the old data before the reset deleted it.
      await treeWhere(api, (t) => t[0]?.label !== 'kube-sim');
      const meanwhile = api.whenRunning();
      assert.equal(await resetting, true);
      const after = await api.whenRunning();
      assert.equal((await meanwhile).endpoint, after.endpoint);
      const port = Number(new URL(after.endpoint ?? 'https://none').port);
      assert.ok(port > 0 && port !== taken.port, `the API server listens on a free port (${after.endpoint}), not on ${taken.port}`);
      assert.notEqual(after.endpoint, before.endpoint);

      const session = await api.session();
      await api.whenTreeSynced();
      const tree = await treeWhere(api, (t) => t[0]?.description?.startsWith(`127.0.0.1:${port} · `) === true && nodeRows(t).length === 3);
      assert.match(tree[0]!.description ?? '', /· running 20×$/);
      assert.deepEqual(nodeRows(tree).map((r) => `${r.label} ${r.description?.split(' · ')[0]}`), ['node-1 Ready', 'node-2 Ready', 'node-3 Ready']);
      assert.deepEqual(podRows(tree), []);
      assert.deepEqual((await session.client.resource<Pod>(PODS).list()).items.map((p) => p.metadata.name), []);
      await statusBarWhere(api, (s) => s.text === '$(server-environment) kube-sim · 3 nodes · running 20×');
      assert.ok(api.statusBar().tooltip.includes(`https://127.0.0.1:${port}`), api.statusBar().tooltip);
    } finally {
      await settings.update('port', undefined, vscode.ConfigurationTarget.Workspace);
      await taken.close();
    }
  });
});
