/**
 * The extension integration suite's entry, loaded by VS Code's extension host as its
 * `extensionTestsPath` (code-server through run.sh here; @vscode/test-electron through electron.ts
 * elsewhere). Runs every `*.test.js` bundled beside it with mocha; rejects when any test fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Generous: the first test waits for the cluster to start (certificates are generated on first start).
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 120_000 });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  if (!files.length) return Promise.reject(new Error(`no *.test.js beside ${__dirname}: build with node scripts/build.mjs`));
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`[kube-sim extension tests] ${files.length} file(s), ${failures} failure(s)`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
