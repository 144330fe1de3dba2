/**
 * src/explain: explanation and fix content per reason and locale. Pure TypeScript, no browser API; the
 * panel renders everything here as text. The public API is described in notes/EXPLAIN_API.md.
 */
export { curlCommands, shellQuote } from './curl.ts';
export { explain } from './explain.ts';
export { buildExport, EXPORT_SCHEMA, EXPORT_SCHEMA_VERSION, exportRecord } from './export.ts';
export { findingSeverity, findingsText, networkErrorKind } from './findings-text.ts';
export { buildFix, fixHeaderLines, isEmptyFix, PREFLIGHT_MAX_AGE } from './fix.ts';
export { clientAlternative, fixSteps } from './fix-text.ts';
export { detectLocale, LOCALES, stageLabel } from './locale.ts';
export { mdFence, mdText, toMarkdown } from './markdown.ts';
export { type ReasonIndexEntry, reasonIndex, reasonMdnUrl, reasonTitle } from './reason-text.ts';
export { fixSnippets, likelyStack, SERVER_STACKS } from './snippets.ts';
export type {
  ExportDocument,
  ExportMeta,
  ExportRecord,
  Explanation,
  Fix,
  Locale,
  ServerStack,
  Snippet,
} from './types.ts';
export { certaintyNote, preflightWhy, verdictText } from './verdict.ts';
