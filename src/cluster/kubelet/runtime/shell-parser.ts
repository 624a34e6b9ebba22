/**
 * A parser for the POSIX shell subset container commands use: lists joined by `;` `&&` `||` and
 * newlines, pipelines, `while`/`until`/`for`/`if`, variable assignments, redirections, quoting,
 * `$VAR` `${VAR}` `$(cmd)` `$((arith))`. Anything else is a syntax error, reported as sh reports it.
 */

export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'cmd'; script: string; quoted: boolean }
  | { kind: 'arith'; expr: string; quoted: boolean };

export type Word = WordPart[];

/** `2>&1` and `>&2` (also `1>&2`) only join the two output streams, which the log keeps together anyway. */
export interface Redirect { op: '>' | '>>' | '<' | '2>' | '2>&1' | '>&2' | '&>'; target?: Word }

export type ShellNode =
  | { t: 'list'; items: { op: ';' | '&&' | '||'; node: ShellNode }[] }
  | { t: 'pipe'; cmds: ShellNode[]; negate: boolean }
  | { t: 'cmd'; assigns: { name: string; value: Word }[]; words: Word[]; redirects: Redirect[] }
  | { t: 'while'; until: boolean; cond: ShellNode; body: ShellNode }
  | { t: 'for'; name: string; items: Word[]; body: ShellNode }
  | { t: 'if'; branches: { cond: ShellNode; body: ShellNode }[]; otherwise?: ShellNode }
  | { t: 'group'; body: ShellNode };

type Token = { op: string } | { word: Word; raw: string };

export class ShellSyntaxError extends Error {}

const OPERATORS = ['2>&1', '1>&2', '>&2', '&&', '||', '>>', '&>', '2>', ';;', ';', '|', '&', '>', '<', '(', ')', '\n'];

function readBalanced(src: string, i: number, open: string, close: string): number {
  let depth = 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') { i += 2; continue; }
    if (c === "'") { const end = src.indexOf("'", i + 1); if (end < 0) return -1; i = end + 1; continue; }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
    i++;
  }
  return -1;
}

/** Reads `$…` at src[i] === '$'; returns the part and the index after it. */
function readDollar(src: string, i: number, quoted: boolean): [WordPart, number] {
  const next = src[i + 1];
  if (next === '(' && src[i + 2] === '(') {
    const end = readBalanced(src, i + 3, '(', ')');
    if (end < 0 || src[end + 1] !== ')') throw new ShellSyntaxError('missing ))');
    return [{ kind: 'arith', expr: src.slice(i + 3, end), quoted }, end + 2];
  }
  if (next === '(') {
    const end = readBalanced(src, i + 2, '(', ')');
    if (end < 0) throw new ShellSyntaxError('missing )');
    return [{ kind: 'cmd', script: src.slice(i + 2, end), quoted }, end + 1];
  }
  if (next === '{') {
    const end = src.indexOf('}', i + 2);
    if (end < 0) throw new ShellSyntaxError('bad substitution');
    return [{ kind: 'var', name: src.slice(i + 2, end), quoted }, end + 1];
  }
  const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*!-])/.exec(src.slice(i + 1));
  if (!m) return [{ kind: 'lit', text: '$', quoted }, i + 1];
  return [{ kind: 'var', name: m[0], quoted }, i + 1 + m[0].length];
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '\\' && src[i + 1] === '\n') { i += 2; continue; }
    if (c === '#') { while (i < src.length && src[i] !== '\n') i++; continue; }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) { tokens.push({ op }); i += op.length; continue; }
    const word: Word = [];
    const start = i;
    let lit = '';
    let litQuoted = false;
    const flush = () => { if (lit) word.push({ kind: 'lit', text: lit, quoted: litQuoted }); lit = ''; };
    const addLit = (text: string, quoted: boolean) => { if (quoted !== litQuoted) { flush(); litQuoted = quoted; } lit += text; };
    while (i < src.length) {
      const ch = src[i]!;
      if (' \t\n;&|<>()'.includes(ch)) break;
      if (ch === '\\') { addLit(src[i + 1] ?? '', true); i += 2; continue; }
      if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
        addLit(src.slice(i + 1, end), true);
        if (end === i + 1) { flush(); word.push({ kind: 'lit', text: '', quoted: true }); }
        i = end + 1;
        continue;
      }
      if (ch === '"') {
        i++;
        let empty = true;
        while (i < src.length && src[i] !== '"') {
          empty = false;
          const d = src[i]!;
          if (d === '\\' && '"\\$`\n'.includes(src[i + 1] ?? '')) { addLit(src[i + 1]!, true); i += 2; continue; }
          if (d === '$') { flush(); const [part, end] = readDollar(src, i, true); word.push(part); i = end; continue; }
          if (d === '`') { flush(); const end = src.indexOf('`', i + 1); if (end < 0) throw new ShellSyntaxError('unterminated `'); word.push({ kind: 'cmd', script: src.slice(i + 1, end), quoted: true }); i = end + 1; continue; }
          addLit(d, true);
          i++;
        }
        if (i >= src.length) throw new ShellSyntaxError('unterminated quoted string');
        if (empty) { flush(); word.push({ kind: 'lit', text: '', quoted: true }); }
        i++;
        continue;
      }
      if (ch === '$') { flush(); const [part, end] = readDollar(src, i, false); word.push(part); i = end; continue; }
      if (ch === '`') { flush(); const end = src.indexOf('`', i + 1); if (end < 0) throw new ShellSyntaxError('unterminated `'); word.push({ kind: 'cmd', script: src.slice(i + 1, end), quoted: false }); i = end + 1; continue; }
      addLit(ch, false);
      i++;
    }
    flush();
    tokens.push({ word, raw: src.slice(start, i) });
  }
  return tokens;
}

const RESERVED = new Set(['while', 'until', 'for', 'if', 'then', 'elif', 'else', 'fi', 'do', 'done', '{', '}', '!', 'in']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parseProgram(): ShellNode {
    const node = this.list([]);
    if (this.i < this.tokens.length) throw new ShellSyntaxError(`syntax error: unexpected "${this.describe(this.tokens[this.i]!)}"`);
    return node;
  }

  private describe(token: Token): string {
    return 'op' in token ? (token.op === '\n' ? 'newline' : token.op) : token.raw;
  }

  private reserved(): string | undefined {
    const token = this.tokens[this.i];
    if (!token || 'op' in token) return undefined;
    return RESERVED.has(token.raw) && token.word.every((p) => p.kind === 'lit' && !p.quoted) ? token.raw : undefined;
  }

  private isOp(op: string): boolean {
    const token = this.tokens[this.i];
    return !!token && 'op' in token && token.op === op;
  }

  private skipNewlines(): void {
    while (this.isOp('\n') || this.isOp(';')) this.i++;
  }

  private expectWord(word: string): void {
    this.skipNewlines();
    if (this.reserved() !== word) {
      const token = this.tokens[this.i];
      throw new ShellSyntaxError(`syntax error: unexpected ${token ? `"${this.describe(token)}"` : 'end of file'} (expecting "${word}")`);
    }
    this.i++;
  }

  /** A list up to (not including) one of `terminators` or the end. */
  private list(terminators: string[]): ShellNode {
    const items: { op: ';' | '&&' | '||'; node: ShellNode }[] = [];
    let op: ';' | '&&' | '||' = ';';
    for (;;) {
      this.skipNewlines();
      if (this.i >= this.tokens.length || this.isOp(')')) break;
      const r = this.reserved();
      if (r && terminators.includes(r)) break;
      items.push({ op, node: this.pipeline() });
      if (this.isOp('&&') || this.isOp('||')) { op = (this.tokens[this.i++] as { op: '&&' | '||' }).op; continue; }
      op = ';';
      if (this.isOp(';') || this.isOp('\n') || this.isOp('&')) { this.i++; continue; }
      break;
    }
    return { t: 'list', items };
  }

  private pipeline(): ShellNode {
    let negate = false;
    if (this.reserved() === '!') { negate = true; this.i++; }
    const cmds = [this.command()];
    while (this.isOp('|')) { this.i++; this.skipNewlines(); cmds.push(this.command()); }
    return cmds.length === 1 && !negate ? cmds[0]! : { t: 'pipe', cmds, negate };
  }

  private command(): ShellNode {
    const r = this.reserved();
    if (r === 'while' || r === 'until') {
      this.i++;
      const cond = this.list(['do']);
      this.expectWord('do');
      const body = this.list(['done']);
      this.expectWord('done');
      return { t: 'while', until: r === 'until', cond, body };
    }
    if (r === 'for') {
      this.i++;
      const nameToken = this.tokens[this.i++];
      if (!nameToken || 'op' in nameToken) throw new ShellSyntaxError('syntax error: bad for loop variable');
      const items: Word[] = [];
      this.skipNewlines();
      if (this.reserved() === 'in') {
        this.i++;
        while (this.i < this.tokens.length && !this.isOp(';') && !this.isOp('\n')) {
          const token = this.tokens[this.i++]!;
          if ('op' in token) throw new ShellSyntaxError(`syntax error: unexpected "${token.op}"`);
          items.push(token.word);
        }
      }
      this.expectWord('do');
      const body = this.list(['done']);
      this.expectWord('done');
      return { t: 'for', name: nameToken.raw, items, body };
    }
    if (r === 'if') {
      this.i++;
      const branches: { cond: ShellNode; body: ShellNode }[] = [];
      let otherwise: ShellNode | undefined;
      for (;;) {
        const cond = this.list(['then']);
        this.expectWord('then');
        const body = this.list(['elif', 'else', 'fi']);
        branches.push({ cond, body });
        const next = this.reserved();
        this.i++;
        if (next === 'elif') continue;
        if (next === 'else') { otherwise = this.list(['fi']); this.expectWord('fi'); }
        else if (next !== 'fi') throw new ShellSyntaxError('syntax error: unexpected end of file (expecting "fi")');
        break;
      }
      return otherwise ? { t: 'if', branches, otherwise } : { t: 'if', branches };
    }
    if (r === '{') {
      this.i++;
      const body = this.list(['}']);
      this.expectWord('}');
      return { t: 'group', body };
    }
    if (this.isOp('(')) {
      this.i++;
      const body = this.list([]);
      if (!this.isOp(')')) throw new ShellSyntaxError('syntax error: missing )');
      this.i++;
      return { t: 'group', body };
    }
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const token = this.tokens[this.i];
      if (!token) break;
      if ('op' in token) {
        if (['>', '>>', '<', '2>', '&>'].includes(token.op)) {
          this.i++;
          const target = this.tokens[this.i++];
          if (!target || 'op' in target) throw new ShellSyntaxError('syntax error: unexpected redirection');
          redirects.push({ op: token.op as Redirect['op'], target: target.word });
          continue;
        }
        if (token.op === '2>&1') { this.i++; redirects.push({ op: '2>&1' }); continue; }
        if (token.op === '>&2' || token.op === '1>&2') { this.i++; redirects.push({ op: '>&2' }); continue; }
        break;
      }
      if (words.length > 0 && RESERVED.has(token.raw) && ['do', 'done', 'then', 'fi', 'else', 'elif', '}'].includes(token.raw) && words.length === 0) break;
      const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(token.raw);
      const first = token.word[0];
      if (words.length === 0 && assignment && first?.kind === 'lit' && !first.quoted && first.text.startsWith(assignment[0])) {
        const value: Word = [...token.word];
        value[0] = { ...first, text: first.text.slice(assignment[0].length) };
        assigns.push({ name: assignment[1]!, value });
        this.i++;
        continue;
      }
      if (words.length === 0 && this.reserved()) break;
      words.push(token.word);
      this.i++;
    }
    if (words.length === 0 && assigns.length === 0 && redirects.length === 0) {
      const token = this.tokens[this.i];
      throw new ShellSyntaxError(`syntax error: unexpected ${token ? `"${this.describe(token)}"` : 'end of file'}`);
    }
    return { t: 'cmd', assigns, words, redirects };
  }
}

export function parseShell(src: string): ShellNode {
  return new Parser(tokenize(src)).parseProgram();
}
