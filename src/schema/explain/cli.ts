/**
 * `kube-sim explain FILE:LINE:COL [--json]`: the hover of the editor, in a terminal. LINE and COL
 * count from 1, as compilers and editors print positions. Markdown by default; `--json` prints the
 * structured explanation. Exit 1 when the position is on no known field.
 */
import { readFileSync } from 'node:fs';
import { explainAt } from './explain';
import { explanationMarkdown } from './markdown';
import { parseText } from './parsed-text';

export const EXPLAIN_USAGE = `Usage: kube-sim explain FILE:LINE:COL [--json]

Explains the Kubernetes 1.32 field at a position of a YAML manifest (LINE and COL from 1): its path,
type, whether it is required, its default, allowed values, description and API reference link.
`;

export function runExplain(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  if (rest.includes('-h') || rest.includes('--help')) {
    out(EXPLAIN_USAGE);
    return 0;
  }
  const match = rest.length === 1 ? /^(.*):(\d+):(\d+)$/.exec(rest[0]) : null;
  if (!match) {
    err(`kube-sim: explain needs one FILE:LINE:COL\n\n${EXPLAIN_USAGE}`);
    return 2;
  }
  const [, file, line, column] = match;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    err(`kube-sim: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const offset = parseText(text).offsetAt(Number(line) - 1, Number(column) - 1);
  const explanation = explainAt(text, offset);
  if (explanation === undefined) {
    err(`kube-sim: ${file}:${line}:${column} is not on a field of a known Kubernetes kind\n`);
    return 1;
  }
  out(json ? `${JSON.stringify(explanation, null, 2)}\n` : `${explanationMarkdown(explanation)}\n`);
  return 0;
}
