import { type Locale, type Translate, translator } from '../../kernel/i18n/index.js';
import { MailButton, MailFrame, type RenderedMail } from '../../kernel/mail/render.js';
import { inSentence, worded } from './wording.js';

const MUTED = 'font-size:14px;color:#4a5160';

function frame(networkName: string, paragraphs: string[], link?: { href: string; label: string }, quote?: string | null): string {
  return (
    <MailFrame networkName={networkName}>
      {paragraphs.map((p) => (
        <p safe>{p}</p>
      ))}
      {quote ? (
        <blockquote style="margin:16px 0;padding:8px 16px;border-left:4px solid #00585f;background:#f4f1ea;white-space:pre-wrap" safe>
          {quote}
        </blockquote>
      ) : (
        ''
      )}
      {link ? <MailButton href={link.href} label={link.label} /> : ''}
      {link ? (
        <p style={`${MUTED};word-break:break-all`} safe>
          {link.href}
        </p>
      ) : (
        ''
      )}
    </MailFrame>
  ) as string;
}

function text(t: Translate, networkName: string, paragraphs: string[], link?: { href: string; label: string }, quote?: string | null): string {
  const lines = [...paragraphs.flatMap((p) => [p, ''])];
  if (quote) lines.push(...quote.split('\n').map((l) => `> ${l}`), '');
  if (link) lines.push(t('label.value', { label: link.label, value: link.href }), '');
  lines.push(`— ${networkName}`);
  return lines.join('\n');
}

/**
 * Tells the proposer what staff decided about their proposal (with staff's message). An accepted
 * new record is said published (« Votre proposition d’événement « X » a été acceptée et publiée. »,
 * « Voir l’événement »); an accepted change says the record is now up to date, in the words of its
 * kind (« la fiche », « l’événement », « l’actualité », « la ressource »).
 */
export function decisionMail(m: {
  locale: Locale;
  networkName: string;
  name: string;
  title: string;
  kind: string;
  /** The moderated kind of record (`organisation`, `event`…): the words of an acceptance depend on it. */
  type: string;
  /** A new record (true) or a change of an existing one. */
  isNew: boolean;
  decision: 'approved' | 'rejected';
  message: string | null;
  link: string | null;
}): RenderedMail {
  const t = translator(m.locale);
  // The kind is said mid-sentence (« … concernant « X » (actualité) »): no capital there.
  const params = { network: m.networkName, name: m.name, title: m.title, kind: inSentence(m.kind, m.locale) };
  const subject = t(`moderation.mail.${m.decision}.subject`, params);
  const type = worded(m.type);
  const intro = m.decision === 'approved' ? t(`moderation.mail.approved.${m.isNew ? 'new' : 'change'}.${type}`, params) : t('moderation.mail.rejected.intro', params);
  const paragraphs = [t('mail.greeting', params), intro];
  if (m.message) paragraphs.push(t('moderation.mail.messageIntro'));
  const link = m.link ? { href: m.link, label: t(`moderation.mail.view.${type}`) } : undefined;
  return { subject, html: frame(m.networkName, paragraphs, link, m.message), text: text(t, m.networkName, paragraphs, link, m.message) };
}

/**
 * Tells a person their account request was declined, with staff's message; and, in the same email,
 * that the organisation they proposed with it (`proposal`, its name) is not added either.
 */
export function accountRejectedMail(m: { locale: Locale; networkName: string; name: string; message: string; proposal?: string | null }): RenderedMail {
  const t = translator(m.locale);
  const params = { network: m.networkName, name: m.name };
  const subject = t('moderation.mail.accountRejected.subject', params);
  const paragraphs = [t('mail.greeting', params), t('moderation.mail.accountRejected.intro', params)];
  if (m.proposal) paragraphs.push(t('moderation.mail.accountRejected.proposal', { title: m.proposal }));
  paragraphs.push(t('moderation.mail.messageIntro'));
  return { subject, html: frame(m.networkName, paragraphs, undefined, m.message), text: text(t, m.networkName, paragraphs, undefined, m.message) };
}

/** The daily digest of what waits for staff. */
export function digestMail(m: { locale: Locale; networkName: string; name: string; lines: string[]; total: number; link: string }): RenderedMail {
  const t = translator(m.locale);
  const params = { network: m.networkName, name: m.name, count: m.total };
  const subject = t('moderation.digest.subject', params);
  const intro = t('moderation.digest.intro', params);
  const greeting = t('mail.greeting', params);
  const action = t('moderation.digest.action');
  const html = (
    <MailFrame networkName={m.networkName}>
      <p safe>{greeting}</p>
      <p safe>{intro}</p>
      <ul>
        {m.lines.map((l) => (
          <li safe>{l}</li>
        ))}
      </ul>
      <MailButton href={m.link} label={action} />
      <p style={`${MUTED};word-break:break-all`} safe>
        {m.link}
      </p>
    </MailFrame>
  ) as string;
  const body = [greeting, '', intro, '', ...m.lines.map((l) => `- ${l}`), '', t('label.value', { label: action, value: m.link }), '', `— ${m.networkName}`].join('\n');
  return { subject, html, text: body };
}
