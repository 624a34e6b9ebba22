/**
 * The integration suite (suite/) under @vscode/test-electron, in a downloaded desktop VS Code, with
 * the extension loaded from this checkout. For machines that can reach Microsoft's update server;
 * run.sh is the offline path (code-server from npm) and what `npm test` runs here.
 *
 *   node scripts/build.mjs && node out/test/vscode/electron.js     (VSCODE_VERSION=1.100.0 to pin)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sim-electron-'));
  fs.cpSync(path.join(root, 'samples'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'kubeSim.nodes': 3 }));
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/test/vscode/suite/index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
