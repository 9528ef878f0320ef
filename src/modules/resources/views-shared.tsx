import { formatOfMime } from '../../kernel/files/documents.js';
import { dateTimeFormat, type Locale, numberFormat, type Translate } from '../../kernel/i18n/index.js';
import { formatLabelKey } from './kinds.js';
import type { ResourceFile } from './types.js';

export interface Option {
  value: string;
  label: string;
}

/** "1,2 Mo", "350 Ko", "12 o" (binary units, as file managers show them). */
export function sizeText(t: Translate, locale: Locale, bytes: number): string {
  if (bytes < 1024) return t('resources.size.bytes', { n: numberFormat(locale, { maximumFractionDigits: 0 }).format(bytes) });
  if (bytes < 1024 * 1024) return t('resources.size.kilo', { n: numberFormat(locale, { maximumFractionDigits: 0 }).format(Math.max(1, Math.round(bytes / 1024))) });
  return t('resources.size.mega', { n: numberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024)) });
}

/** "PDF, 1,2 Mo": what the download button says of the file. */
export function fileText(t: Translate, locale: Locale, file: Pick<ResourceFile, 'mime' | 'size'>): string {
  return t('resources.file.typeSize', { type: t(formatLabelKey(formatOfMime(file.mime))), size: sizeText(t, locale, file.size) });
}

/** Europe/Paris date of an instant, in the page's language. */
export function dateText(locale: Locale, iso: string): string {
  return dateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(iso));
}

/** A plain text in paragraphs (blank lines), each escaped. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => (
          <p safe>{p}</p>
        ))}
    </>
  );
}
