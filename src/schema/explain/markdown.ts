/**
 * An explanation as Markdown, for the editor's hover and `kube-sim explain`:
 *
 *   **Pod.spec.containers[].image** · `string` · required
 *   <description>
 *   Default: … · Allowed values: …
 *   [Kubernetes API reference](…)
 */
import type { Explanation } from './explain';

export function explanationMarkdown(e: Explanation): string {
  const head = [`**${e.path}**`, `\`${e.type}\``];
  if (e.required) head.push('required');
  const parts = [head.join(' · ')];
  if (e.description !== '') parts.push(describe(e.description));
  const facts: string[] = [];
  if (e.default !== undefined) facts.push(`Default: \`${format(e.default)}\``);
  if (e.enum !== undefined && e.enum.length > 0) facts.push(`Allowed values: ${e.enum.map((v) => `\`${format(v)}\``).join(', ')}`);
  if (facts.length > 0) parts.push(facts.join(' · '));
  if (e.defaultedChildren !== undefined) {
    const list = e.defaultedChildren.map((c) => `\`${c.name}: ${format(c.default)}\``).join(', ');
    parts.push(`Left out here, the API server sets ${list}`);
  }
  if (e.defaultedItems !== undefined) {
    const items = e.defaultedItems.map((item) => {
      const list = item.defaults.map((c) => `\`${c.name}: ${format(c.default)}\``).join(', ');
      return `- ${item.name !== undefined ? `\`${item.name}\`` : `item ${item.index}`}: ${list}`;
    });
    parts.push(`Left out of the items, the API server sets:\n${items.join('\n')}`);
  }
  if (e.reference !== undefined) parts.push(`[Kubernetes API reference](${e.reference})`);
  return parts.join('\n\n');
}

/** Descriptions are plain text from the Go doc comments: make their URLs links, keep the rest. */
function describe(text: string): string {
  return text.replace(/(?<![<(])\bhttps?:\/\/[^\s<>)]+[^\s<>).,;:]/g, (url) => `<${url}>`);
}

function format(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
