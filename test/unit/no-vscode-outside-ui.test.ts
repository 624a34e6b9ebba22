/**
 * The engine never imports vscode: only src/extension.ts and src/ui/** may, so that everything under
 * src/cluster (and src/schema) runs, is tested and is benchmarked in plain Node.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const SRC = path.join(ROOT, 'src');

/** `import … from 'vscode'`, `import type …`, `export … from`, `import('vscode')`, `require('vscode')`. */
const IMPORTS_VSCODE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]vscode['"]/m;

function importsVscode(source: string): boolean {
  return IMPORTS_VSCODE.test(source);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

function mayImportVscode(file: string): boolean {
  const relative = path.relative(SRC, file).split(path.sep).join('/');
  return relative === 'extension.ts' || relative.startsWith('ui/');
}

test('the check recognises every way of importing vscode, and only vscode', () => {
  for (const source of [
    "import * as vscode from 'vscode';",
    'import type { Uri } from "vscode";',
    "export { Disposable } from 'vscode';",
    "const vscode = require('vscode');",
    "const vscode = await import('vscode');",
    "import 'vscode';",
  ]) assert.equal(importsVscode(source), true, source);
  for (const source of [
    "import { LanguageClient } from 'vscode-languageclient';",
    '// talks to vscode through src/ui',
    "const name = 'vscode';",
  ]) assert.equal(importsVscode(source), false, source);
});

test('no file in src/ imports vscode except src/extension.ts and src/ui/**', () => {
  const files = sourceFiles(SRC);
  assert.ok(files.some((f) => f.endsWith(path.join('src', 'extension.ts'))), `found the sources in ${SRC}`);
  const offenders = files
    .filter((file) => !mayImportVscode(file) && importsVscode(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(ROOT, file));
  assert.deepEqual(offenders, [], 'these files import vscode; move the vscode part into src/ui/');
});
