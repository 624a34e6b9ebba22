/**
 * Kube Sim as a person uses it, in code-server with the extension installed from the .vsix: open the
 * Kube Sim view, read the cluster tree, open a manifest, run "Kube Sim: Apply Pod" from the command
 * palette, and see the pod in the tree. Screenshots go to test-artifacts/.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { forwardConsole, harness, launchBrowser, makeWorkspace, workbenchUrl } from './workbench';

const STEP_TIMEOUT_MS = 90_000;

function treeRows(page: Page) {
  return page.locator('.pane:has(.pane-header[aria-label^="Cluster"]) .monaco-list-row');
}

/** Each row as `label description`, as the user reads it. */
async function readTree(page: Page): Promise<string[]> {
  return treeRows(page).evaluateAll((rows) =>
    rows.map((row) => {
      const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
      return [text('.label-name'), text('.label-description')].filter(Boolean).join(' ');
    }));
}

/** Puts keyboard focus in the editor area (Apply reveals the pod and focuses the tree). */
async function focusEditor(page: Page): Promise<void> {
  const lines = page.locator('.editor-instance .view-lines').first();
  if (!(await lines.isVisible())) return;
  await lines.click({ position: { x: 600, y: 5 } });
  // Back to the start: a cursor inside a word highlights the word in the pictures.
  await page.keyboard.press('Control+Home');
}

/** F1 › `title`; `focus` first puts the keyboard in the editor area (not when the active editor must stay active). */
/**
 * F1 `title`, Enter. Tried again when the command is not offered: commands that need a YAML editor
 * are hidden while a late tree reveal has the focus (as in openFile below).
 */
async function runCommand(page: Page, title: string, focus = true): Promise<void> {
  const palette = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    if (focus) await focusEditor(page);
    await page.keyboard.press('F1');
    await palette.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await palette.fill(`>${title}`);
    const offered = await row.waitFor({ timeout: attempt === 3 ? STEP_TIMEOUT_MS : 15_000 }).then(() => true, (err: unknown) => { if (attempt === 3) throw err; return false; });
    if (offered) break;
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
}

/**
 * Ctrl+P `name`, Enter. Tried again when the file did not open: a tree reveal that takes the focus
 * late (Apply reveals the pod) can swallow the keys (on a loaded machine the Enter expanded a tree row).
 */
async function openFile(page: Page, name: string): Promise<void> {
  const palette = page.locator('.quick-input-widget .quick-input-box input');
  const tab = page.locator('.tab.active', { hasText: name }).first();
  for (let attempt = 1; ; attempt++) {
    await focusEditor(page);
    await page.keyboard.press('Control+P');
    await palette.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await palette.fill(name);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    await page.keyboard.press('Enter');
    const opened = await tab.waitFor({ timeout: attempt === 3 ? STEP_TIMEOUT_MS : 15_000 }).then(() => true, (err: unknown) => { if (attempt === 3) throw err; return false; });
    if (opened) return;
    await page.keyboard.press('Escape');
  }
}

test('Apply Pod from the command palette puts the pod in the cluster tree', async (t) => {
  const h = harness();
  // kubeSim.port names a port someone else listens on: the cluster starts on a free one and says so.
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const takenPort = (taken.address() as net.AddressInfo).port;
  const folder = makeWorkspace(h, 'ws-ui', { 'kubeSim.nodes': 3, 'kubeSim.speed': 20, 'kubeSim.port': takenPort });
  const browser = await launchBrowser(h);
  const { page } = browser;
  forwardConsole(page);
  const palette = page.locator('.quick-input-widget .quick-input-box input');
  // Steps run in order; after a failure the rest are skipped (the test has failed already).
  let failed = false;
  const step = (name: string, fn: () => Promise<void>) =>
    t.test(name, { skip: failed ? 'an earlier step failed' : false }, async () => {
      try {
        await fn();
      } catch (err) {
        failed = true;
        await page.screenshot({ path: path.join(h.artifacts, 'ui-failure.png') }).catch(() => undefined);
        throw err;
      }
    });
  try {
    await step('the workbench opens the samples folder', async () => {
      await page.goto(workbenchUrl(h, folder), { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('.monaco-workbench', { timeout: STEP_TIMEOUT_MS });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'nginx.yaml' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    });

    await step('the Kube Sim view shows the cluster and nodes node-1 … node-3, on a free port since kubeSim.port is taken', async () => {
      await page.locator('.activitybar [aria-label^="Kube Sim"]').first().click({ timeout: STEP_TIMEOUT_MS });
      await treeRows(page).filter({ hasText: 'node-3' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const rows = await readTree(page);
      console.log(`  tree: ${JSON.stringify(rows)}`);
      const port = Number(/^kube-sim 127\.0\.0\.1:(\d+) · v1\.32\.\d+ · running 20×$/.exec(rows[0] ?? '')?.[1]);
      assert.ok(port > 0 && port !== takenPort, `the cluster row names a free port, not ${takenPort}: ${rows[0]}`);
      for (const node of ['node-1', 'node-2', 'node-3']) assert.ok(rows.some((row) => row.startsWith(`${node} `)), `a row for ${node}`);
      const warning = page.locator('.notifications-toasts .notification-toast', { hasText: `Kube Sim: port ${takenPort} (kubeSim.port) is in use; the API server listens on a free port instead.` }).first();
      await warning.waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.ok(await warning.locator('.monaco-button', { hasText: 'Open Settings' }).count() > 0, 'the warning offers Open Settings');
      await page.screenshot({ path: path.join(h.artifacts, 'cluster-tree.png') });
      await runCommand(page, 'Notifications: Clear All Notifications', false);
    });

    await step('Ctrl+P opens nginx.yaml', async () => {
      await page.keyboard.press('Control+P');
      await palette.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await palette.fill('nginx.yaml');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'nginx.yaml' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-line', { hasText: 'kind: Pod' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
    });

    await step('F1 › "Kube Sim: Apply Pod" applies it and the pod shows up in the tree', async () => {
      await page.keyboard.press('F1');
      await palette.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
      await palette.fill('>Kube Sim: Apply Pod');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Kube Sim: Apply Pod' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.keyboard.press('Enter');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'pod/nginx serverside-applied' }).first();
      await toast.waitFor({ timeout: STEP_TIMEOUT_MS });
      console.log(`  notification: ${(await toast.innerText()).replace(/\s+/g, ' ').trim()}`);
      await treeRows(page).filter({ has: page.locator('.label-name', { hasText: /^nginx$/ }) }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const rows = await readTree(page);
      console.log(`  tree: ${JSON.stringify(rows)}`);
      assert.ok(rows.some((row) => /^nginx (Pending|ContainerCreating|Running) · /.test(row)), 'a row for pod nginx');
      await page.screenshot({ path: path.join(h.artifacts, 'apply-pod.png') });
    });

    await step('the pod reaches Running under its node; an unschedulable one waits under Pending with the reason', async () => {
      await treeRows(page).filter({ hasText: /Running · 1\/1 · 10\./ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await openFile(page, 'unschedulable.yaml');
      await runCommand(page, 'Kube Sim: Apply Pod');
      await treeRows(page).filter({ hasText: /too-big.*Insufficient cpu|too-big.*CPU/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const rows = await readTree(page);
      console.log(`  tree: ${JSON.stringify(rows)}`);
      assert.ok(rows.some((row) => /^nginx Running · 1\/1 · 10\.\d+\.\d+\.\d+$/.test(row)), 'nginx Running · 1/1 · IP');
      assert.ok(rows.some((row) => /^too-big Pending · 0\/1 · /.test(row)), 'too-big under Pending with its reason');
      // Wider than the default sidebar, as one would drag it to read the rows' facts in full.
      await widenSidebar(page, 200);
      await page.mouse.move(900, 890); // no hover highlight in the picture
      await page.locator('.part.sidebar').screenshot({ path: path.join(h.artifacts, 'tree.png') });
    });

    await step('"Why Is This Pod Here / Pending?" opens the scheduler\'s explanation', async () => {
      await runCommand(page, 'Kube Sim: Why Is This Pod Here / Pending?');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'too-big' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await palette.fill('too-big');
      await page.keyboard.press('Enter');
      await page.locator('.editor-instance .view-line', { hasText: 'Why is pod default/too-big Pending?' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.editor-instance .view-line', { hasText: 'NodeResourcesFit' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      // The explanation alone, full width, without notifications over it.
      await runCommand(page, 'View: Close Editors in Other Groups', false);
      await runCommand(page, 'Notifications: Clear All Notifications', false);
      await page.locator('.editor-instance .view-line', { hasText: 'Why is pod default/too-big Pending?' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => undefined);
      await page.locator('.part.editor').screenshot({ path: path.join(h.artifacts, 'why.png') });
    });

    await step('a manifest the API server rejects is underlined at the field, with the message on hover', async () => {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+W'); // close the editors: one editor group again
      await openFile(page, 'invalid.yaml');
      await runCommand(page, 'Kube Sim: Apply Pod');
      const squiggle = page.locator('.editor-instance .squiggly-error').first();
      await squiggle.waitFor({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'not applied: pod/invalid' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      const word = page.locator('.editor-instance .view-line span', { hasText: /^-80$/ }).first();
      const hover = page.locator('.monaco-hover', { hasText: 'must be between 1 and 65535' }).first();
      // The lines can move under a resting mouse (a code lens arrives), and the editor shows a hover only
      // when the mouse moves: move off and onto the word again until the hover answers.
      for (let attempt = 1; ; attempt++) {
        await page.mouse.move(5, 5);
        await word.hover();
        const shown = await hover.waitFor({ timeout: 5_000 }).then(() => true, () => false);
        if (shown) break;
        if (attempt === 6) throw new Error('no hover with the API server\'s message over -80');
      }
      await page.locator('.part.editor').screenshot({ path: path.join(h.artifacts, 'diagnostic.png') });
    });

    let idle = 'node-?'; // a node without pods: the one whose kubelet stops
    await step('F1 › "Kube Sim: Stop Kubelet" on an idle node, clock paused: the row says so; Step Clock 60 s: NotReady (Ready=Unknown), the others Ready', async () => {
      idle = /^(node-\d) Ready · 0 pods/.exec((await readTree(page)).find((row) => /^node-\d Ready · 0 pods/.test(row)) ?? '')?.[1] ?? 'no idle node';
      await runCommand(page, 'Kube Sim: Pause Clock');
      await statusBarItem(page, /kube-sim · 3 nodes · 1 pending · paused$/);
      await runCommand(page, 'Kube Sim: Stop Kubelet');
      await pick(page, idle);
      await page.locator('.notifications-toasts .notification-toast', { hasText: `Kube Sim: node/${idle} kubelet stopped (the node turns NotReady 50 s of cluster time after its last heartbeat)` }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      await treeRows(page).filter({ hasText: new RegExp(`${idle}\\s*Ready · kubelet stopped · `) }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      // 60 s of cluster time in one step: the clock fires the timers in order and waits for the writes each
      // one starts, so the healthy nodes' heartbeats land in time and only the stopped one goes silent.
      await runCommand(page, 'Kube Sim: Step Clock');
      await pick(page, '60 s');
      await treeRows(page).filter({ hasText: new RegExp(`${idle}\\s*NotReady · kubelet stopped · 0 pods · .* · 2 taints`) }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal(await statusBarItem(page, /not ready/), 'kube-sim · 3 nodes · 1 not ready · 1 pending · paused');
      const rows = await readTree(page);
      console.log(`  tree: ${JSON.stringify(rows)}`);
      const icons = await rowIcons(page);
      assert.deepEqual(icons, { 'kube-sim': 'debug-pause', 'node-1': 'server', 'node-2': 'server', 'node-3': 'server', nginx: 'pass-filled', Pending: 'watch', 'too-big': 'clock', [idle]: 'question' });
      // A stopped node's row says more (kubelet stopped, the taints): wider again, so the picture shows all of it.
      await widenSidebar(page, 100);
      await page.mouse.move(1000, 890);
      await page.locator('.part.sidebar').screenshot({ path: path.join(h.artifacts, 'node-unknown.png') });
      // Back to the width the editor steps were written for (a click in the middle of the editor's lines
      // lands outside a narrower editor when its lines are long).
      await widenSidebar(page, -100);
    });

    await step('F1 › "Kube Sim: Start Kubelet" brings the node back to Ready; Resume Clock runs the clock again', async () => {
      await runCommand(page, 'Kube Sim: Start Kubelet');
      await pick(page, idle);
      await treeRows(page).filter({ hasText: new RegExp(`${idle}\\s*Ready · 0 pods · `) }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
      assert.equal((await rowIcons(page))[idle], 'server');
      await runCommand(page, 'Kube Sim: Resume Clock');
      const text = await statusBarItem(page, /running 20×$/);
      assert.equal(text, 'kube-sim · 3 nodes · 1 pending · running 20×');
    });
  } finally {
    await browser.close();
    taken.close();
  }
});

/** Picks `label` in the open quick pick. */
async function pick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(label);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
}

/** Drags the sidebar's edge `px` to the right (negative: to the left). */
async function widenSidebar(page: Page, px: number): Promise<void> {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return;
  await page.mouse.move(sidebar.x + sidebar.width + 1, sidebar.y + 300);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + sidebar.width + px, sidebar.y + 300, { steps: 5 });
  await page.mouse.up();
}

/** The Kube Sim status bar item's text once it matches `text`. */
async function statusBarItem(page: Page, text: RegExp): Promise<string> {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  await item.waitFor({ timeout: STEP_TIMEOUT_MS });
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

/** Each tree row's label and the codicon its icon shows (`server`, `question`). */
async function rowIcons(page: Page): Promise<Record<string, string>> {
  const pairs = await treeRows(page).evaluateAll((rows) =>
    rows.map((row) => {
      const label = (row.querySelector('.label-name')?.textContent ?? '').trim();
      const icon = row.querySelector('.custom-view-tree-node-item-icon');
      const codicon = [...(icon?.classList ?? [])].find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin');
      return [label, codicon?.slice('codicon-'.length) ?? ''] as const;
    }));
  return Object.fromEntries(pairs);
}
