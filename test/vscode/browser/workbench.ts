/**
 * Drives a real VS Code, code-server's web workbench, from headless Chromium through playwright-core.
 * run.sh installs the packaged extension, starts code-server and passes in the environment:
 *   KUBE_SIM_VSCODE_URL   http://127.0.0.1:PORT/
 *   KUBE_SIM_VSCODE_RUN   a scratch folder for workspaces and browser profiles
 *   KUBE_SIM_ARTIFACTS    where screenshots go (test-artifacts/)
 *   KUBE_SIM_INSTALLED_EXTENSION  the folder --install-extension unpacked the .vsix into
 * Missing any of them is an error: these tests never pass by skipping.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../../../..');

export interface Harness {
  url: string;
  runDir: string;
  artifacts: string;
  installedExtension: string;
}

export function harness(): Harness {
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run these tests through test/vscode/run.sh (npm run test:vscode)`);
    return value;
  };
  const result = {
    url: need('KUBE_SIM_VSCODE_URL'),
    runDir: need('KUBE_SIM_VSCODE_RUN'),
    artifacts: need('KUBE_SIM_ARTIFACTS'),
    installedExtension: need('KUBE_SIM_INSTALLED_EXTENSION'),
  };
  fs.mkdirSync(result.artifacts, { recursive: true });
  return result;
}

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  // A page fulfilled through page.route() counts as public; without this Chromium blocks its
  // WebSocket to 127.0.0.1 (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
  '--disable-features=LocalNetworkAccessChecks,LocalNetworkAccessChecksWebSockets',
];

export interface Browser {
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(h: Harness): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(h.runDir, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A fresh workspace folder: a copy of samples/ plus `.vscode/settings.json` with `settings`. */
export function makeWorkspace(h: Harness, name: string, settings: Record<string, unknown>): string {
  const folder = path.join(h.runDir, name);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'samples'), folder, { recursive: true });
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return folder;
}

export function workbenchUrl(h: Harness, folder: string): string {
  return `${h.url}?folder=${encodeURIComponent(folder)}`;
}

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * code-server's CLI has no --extensionTestsPath, but its web workbench reads `developmentOptions`
 * from the configuration in the page: rewrite the served workbench HTML to add the test runner (and
 * optionally a development extension) as vscode-remote URIs, so the suite runs in the server's node
 * extension host next to the installed extension.
 */
export async function injectDevelopmentOptions(page: Page, baseUrl: string, options: { extensionTestsPath?: string; extensionDevelopmentPath?: string }): Promise<void> {
  const base = new URL(baseUrl);
  const uri = (p: string) => ({ scheme: 'vscode-remote', authority: base.host, path: p });
  await page.route((u) => u.origin === base.origin && u.pathname === base.pathname, async (route) => {
    const response = await route.fetch();
    const html = await response.text();
    const re = /(<meta id="vscode-workbench-web-configuration" data-settings=")([^"]*)(")/;
    const match = re.exec(html);
    if (!match) throw new Error('the workbench page has no vscode-workbench-web-configuration <meta>: code-server changed');
    const config = JSON.parse(unescapeHtml(match[2]!)) as { developmentOptions?: Record<string, unknown> };
    const development: Record<string, unknown> = { ...(config.developmentOptions ?? {}) };
    if (options.extensionDevelopmentPath) development.extensions = [uri(options.extensionDevelopmentPath)];
    if (options.extensionTestsPath) development.extensionTestsPath = uri(options.extensionTestsPath);
    config.developmentOptions = development;
    await route.fulfill({ response, body: html.replace(re, (_all, a: string, _b: string, c: string) => a + escapeHtml(JSON.stringify(config)) + c) });
  });
}

// code-server chatter that says nothing about Kube Sim (no GitHub sign-in, no marketplace offline).
const NOISE = /Timed out waiting for authentication provider|Resolv(ing|ed) connection token|Creating a socket|additional builtin extensions|not a web extension|open-vsx|ERR_NAME_NOT_RESOLVED|status of 404|\[(AgentHost|AccountPolicyGate|Service Worker|reconnection-grace-time)/;

/** Echoes the extension host's console and the page's errors to stdout. */
export function forwardConsole(page: Page): void {
  page.on('console', async (message) => {
    let args: unknown[];
    try {
      args = await Promise.all(message.args().map((a) => a.jsonValue()));
    } catch {
      args = [message.text()];
    }
    if (typeof args[0] === 'string' && args[0].startsWith('%c')) args = [args[0].replace(/^%c\s*/, '').trim() + ':', ...args.slice(2)];
    if (args.length > 1 && typeof args[1] === 'string' && /%[sdifjoO]/.test(args[1])) args = [args[0], util.format(...(args.slice(1) as [string, ...unknown[]]))];
    let text = args.map((a) => (typeof a === 'string' ? a : util.inspect(a))).join(' ');
    if (!text.trim() || message.type() === 'error') text = message.text();
    if (NOISE.test(text)) return;
    // The extension host's console (mocha's report among it) arrives as `INFO: …` lines.
    if (process.env.VERBOSE || /^INFO: |\[Extension Host\]/.test(text) || message.type() === 'error') console.log(`  [vscode:${message.type()}] ${text}`);
  });
  page.on('pageerror', (error) => console.log(`  [vscode:pageerror] ${error.message}`));
}
