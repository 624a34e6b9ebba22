/**
 * Manifest intelligence in plain Node (issue 7): what the field at a position of a YAML manifest is,
 * for the editor's hovers and `kube-sim explain`.
 */
export { explainAt, explainPath, displayPath, nodeAt } from './explain';
export type { Explanation } from './explain';
export { explanationMarkdown } from './markdown';
export { parseText } from './parsed-text';
export type { ParsedText } from './parsed-text';
export { documentKind } from './document-kind';
export { manifestDiagnostics } from './diagnostics';
export type { ManifestDiagnostic, DiagnosticCode, DiagnosticSeverity } from './diagnostics';
export { fieldRange } from './field-range';
export { completionsAt, podSnippet } from './completion';
export type { CompletionItem } from './completion';
