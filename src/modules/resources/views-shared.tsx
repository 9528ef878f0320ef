import { formatOfMime } from '../../kernel/files/documents.js';
import { dateTimeFormat, formatFileSize, type Locale, type Translate } from '../../kernel/i18n/index.js';
import { formatLabelKey } from './kinds.js';
import type { ResourceFile } from './types.js';

export interface Option {
  value: string;
  label: string;
}

/** "PDF, 1,2 Mo": what the download button says of the file. */
export function fileText(t: Translate, locale: Locale, file: Pick<ResourceFile, 'mime' | 'size'>): string {
  return t('resources.file.typeSize', { type: t(formatLabelKey(formatOfMime(file.mime))), size: formatFileSize(file.size, locale) });
}

/** Where staff open any resource file, live or waiting in a proposal (not counted as a download). */
export function staffFileHref(fileId: string): string {
  return `/admin/ressources/fichiers/${fileId}`;
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
