import type { DocumentFormat } from '../../kernel/files/documents.js';
import type { MessageKey } from '../../kernel/i18n/index.js';

/** The kinds of resources: a fixed list (codes stable, labels in the catalogue). */
export const RESOURCE_KINDS = ['study', 'guide', 'capitalisation', 'brochure', 'toolkit', 'report', 'other'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export function isResourceKind(value: string): value is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(value);
}

export function kindLabelKey(kind: string): MessageKey {
  return `resources.kind.${isResourceKind(kind) ? kind : 'other'}`;
}

/** Languages a resource may be written in (ISO 639-1), the most frequent in the network's documents. */
export const RESOURCE_LANGUAGES = ['fr', 'en', 'es', 'pt', 'ar', 'de', 'it', 'other'] as const;
export type ResourceLanguage = (typeof RESOURCE_LANGUAGES)[number];

export function isResourceLanguage(value: string): value is ResourceLanguage {
  return (RESOURCE_LANGUAGES as readonly string[]).includes(value);
}

export function languageLabelKey(language: string): MessageKey {
  return `resources.language.${isResourceLanguage(language) ? language : 'other'}`;
}

export const RESOURCE_STATUSES = ['draft', 'published'] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export const EXTRACTION_STATUSES = ['none', 'pending', 'done', 'failed'] as const;
export type ExtractionStatus = (typeof EXTRACTION_STATUSES)[number];

/** How a format is named next to a download button ("PDF, 1,2 Mo"). */
export function formatLabelKey(format: DocumentFormat | null): MessageKey {
  return `resources.format.${format ?? 'unknown'}`;
}
