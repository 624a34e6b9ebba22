/**
 * Runs the integration suite (test/vscode/suite) inside code-server's node extension host and passes
 * when mocha reports no failure. The extension under test is the one --install-extension unpacked from
 * the .vsix, loaded as the development extension: the web workbench runs extensionTestsPath only in
 * an extension development host.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { forwardConsole, harness, injectDevelopmentOptions, launchBrowser, makeWorkspace, ROOT, workbenchUrl } from './workbench';

const SUITE_TIMEOUT_MS = 5 * 60_000;

test('the extension integration suite passes inside the VS Code extension host', async () => {
  const h = harness();
  const folder = makeWorkspace(h, 'ws-extension-host', { 'kubeSim.nodes': 3, 'kubeSim.speed': 20 });
  const browser = await launchBrowser(h);
  let timer: NodeJS.Timeout | undefined;
  try {
    const { page } = browser;
    forwardConsole(page);
    await injectDevelopmentOptions(page, h.url, {
      extensionDevelopmentPath: h.installedExtension,
      extensionTestsPath: path.join(ROOT, 'out/test/vscode/suite/index'),
    });
    // The workbench calls window.codeAutomationExit(code) when the test runner settles.
    const exited = new Promise<unknown>((resolve) => void page.exposeFunction('codeAutomationExit', (code: unknown) => resolve(code)));
    await page.goto(workbenchUrl(h, folder), { waitUntil: 'domcontentloaded' });
    const timedOut = new Promise<string>((resolve) => { timer = setTimeout(() => resolve('no result (timed out)'), SUITE_TIMEOUT_MS); });
    const code = await Promise.race([exited, timedOut]);
    if (code !== 0) await page.screenshot({ path: path.join(h.artifacts, 'extension-host-failure.png') }).catch(() => undefined);
    assert.equal(code, 0, 'the suite inside the extension host failed: its mocha report is above');
  } finally {
    clearTimeout(timer);
    await browser.close();
  }
});
