// The words that depend on the kind of record a proposal is about (mails, the staff queue).
import { intlLocale, type Locale, type Translate } from '../../kernel/i18n/index.js';

/** The kinds of record with words of their own (gender and article: « la fiche », « l’événement », « Nouvelle actualité »…). */
const WORDED = ['organisation', 'organisation_position', 'event', 'news', 'resource'] as const;
export type Worded = (typeof WORDED)[number];

export function worded(type: string): Worded | 'other' {
  return (WORDED as readonly string[]).includes(type) ? (type as Worded) : 'other';
}

/** What a proposal does, in the words of its kind: « Nouvel événement », « Nouvelle actualité », « Nouvelle fiche » (an organisation), « Modification ». */
export function proposalKindLabel(t: Translate, type: string, isNew: boolean): string {
  return isNew ? t(`moderation.kind.new.${worded(type)}`) : t('moderation.kind.change');
}

/**
 * A kind's label (« Actualité ») as it reads inside a sentence (« … concernant « X » (actualité) »):
 * its first letter in lower case, the rest as written.
 */
export function inSentence(label: string, locale: Locale): string {
  return label.charAt(0).toLocaleLowerCase(intlLocale(locale)) + label.slice(1);
}
