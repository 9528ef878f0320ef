import { type Locale, translator } from '../../kernel/i18n/index.js';
import { MailButton, MailFrame, type RenderedMail } from '../../kernel/mail/render.js';
import { quotedTitle } from './quote.js';
import { labelled, type RecapLine } from './recap.js';

export type RegistrationMailKind = 'confirmation' | 'waitlisted' | 'promoted' | 'cancelled' | 'reminder' | 'link' | 'eventCancelled';

export interface RegistrationMailInput {
  kind: RegistrationMailKind;
  locale: Locale;
  networkName: string;
  name: string;
  title: string;
  when: string;
  place: string;
  onlineUrl: string | null;
  position: number | null;
  link: string;
  /** What the person gave (confirmation, waiting-list, promotion and reminder emails): only ever sent to that person. */
  recap?: RecapLine[];
  /** What staff wrote to the people registered when they cancelled the event (its own paragraphs, as typed). */
  message?: string | null;
}

const MUTED = 'font-size:14px;color:#4a5160';

/** What staff wrote to the people registered when they cancelled: its paragraphs, each as its lines. */
function staffParagraphs(message: string | null | undefined): string[][] {
  return message?.trim() ? message.trim().split(/\n\s*\n/).map((p) => p.split('\n')) : [];
}

/** Staff's message in an email, quoted under its heading (« Un mot de … : »); nothing without one. */
function StaffMessage({ heading, paragraphs }: { heading: string; paragraphs: string[][] }) {
  if (!paragraphs.length) return '';
  return (
    <>
      <p>
        <strong safe>{heading}</strong>
      </p>
      <blockquote style="margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #c9ced6">
        {paragraphs.map((lines) => (
          <p>
            {lines.map((line, i) => (
              <>
                {i ? <br /> : ''}
                <span safe>{line}</span>
              </>
            ))}
          </p>
        ))}
      </blockquote>
    </>
  );
}

/** Staff's message in the text part: its heading, then its paragraphs quoted with « > »; no lines without one. */
function staffMessageText(heading: string, paragraphs: string[][]): string[] {
  if (!paragraphs.length) return [];
  return [heading, '', ...paragraphs.flatMap((lines) => [...lines.map((l) => `> ${l}`), '']).slice(0, -1), ''];
}

/** The emails a participant receives; every one carries the personal link (view, modify, cancel). */
export function registrationMail(m: RegistrationMailInput): RenderedMail {
  const t = translator(m.locale);
  const params = { network: m.networkName, name: m.name, title: m.title, quoted: quotedTitle(m.title, m.locale), position: m.position ?? '' };
  const subject = t(`registrations.mail.${m.kind}.subject`, params);
  // The link sent again to someone on the waiting list says so, not « déjà inscrit·e ».
  const intro = m.kind === 'link' && m.position !== null ? t('registrations.mail.link.introWaitlisted', params) : t(`registrations.mail.${m.kind}.intro`, params);
  const paragraphs = [t('mail.greeting', params), intro];
  const message = staffParagraphs(m.message);
  const facts: [string, string][] = [[t('registrations.mail.when'), m.when]];
  if (m.place) facts.push([t('registrations.mail.where'), m.place]);
  if (m.onlineUrl && m.kind !== 'cancelled' && m.kind !== 'eventCancelled' && m.kind !== 'waitlisted') facts.push([t('registrations.mail.online'), m.onlineUrl]);
  const action = t(m.kind === 'cancelled' || m.kind === 'eventCancelled' ? 'registrations.mail.viewLink' : 'registrations.mail.manageLink');
  const recap = (m.recap ?? []).map((line) => ({ label: labelled(t, line.label), lines: line.value.split(/\r?\n/) }));
  const html = (
    <MailFrame networkName={m.networkName} lang={m.locale}>
      {paragraphs.map((p) => (
        <p safe>{p}</p>
      ))}
      <StaffMessage heading={t('registrations.mail.eventCancelled.message', params)} paragraphs={message} />
      <ul>
        {facts.map(([label, value]) => (
          <li>
            <strong safe>{label}</strong> <span safe>{value}</span>
          </li>
        ))}
      </ul>
      {recap.length ? (
        <>
          <h2 style="font-size:17px;margin:24px 0 8px" safe>
            {t('registrations.recap.title')}
          </h2>
          <ul>
            {recap.map(({ label, lines }) => (
              <li>
                <strong safe>{label}</strong>{' '}
                {lines.map((line, i) => (
                  <>
                    {i ? <br /> : ''}
                    <span safe>{line}</span>
                  </>
                ))}
              </li>
            ))}
          </ul>
          <p safe>{t('registrations.recap.mailHint')}</p>
        </>
      ) : (
        ''
      )}
      <MailButton href={m.link} label={action} />
      <p style={`${MUTED};word-break:break-all`} safe>
        {m.link}
      </p>
      <p style={MUTED} safe>
        {t('registrations.mail.keepLink')}
      </p>
    </MailFrame>
  ) as string;
  const text = [
    ...paragraphs.flatMap((p) => [p, '']),
    ...staffMessageText(t('registrations.mail.eventCancelled.message', params), message),
    ...facts.map(([label, value]) => `${label} ${value}`),
    '',
    ...(recap.length
      ? [t('registrations.recap.title'), ...recap.map(({ label, lines }) => [`- ${label} ${lines[0] ?? ''}`, ...lines.slice(1).map((l) => `  ${l}`)].join('\n')), '', t('registrations.recap.mailHint'), '']
      : []),
    t('label.value', { label: action, value: m.link }),
    '',
    t('registrations.mail.keepLink'),
    '',
    `— ${m.networkName}`,
  ].join('\n');
  return { subject, html, text };
}

/** One of the dates of a series cancelled together, as a person registered to it reads it. */
export interface CancelledDate {
  title: string;
  when: string;
  place: string;
  /** The person's own link for that date's registration. */
  link: string;
}

/**
 * Several dates of a series cancelled at once, to a person registered (or waiting) for more than
 * one of them: one email that lists their dates, each with its personal link, staff's message
 * once, and (attached by the sender) one .ics per date that takes it out of their calendar.
 */
export function seriesCancellationMail(m: { locale: Locale; networkName: string; name: string; title: string; dates: CancelledDate[]; message?: string | null }): RenderedMail {
  const t = translator(m.locale);
  const params = { network: m.networkName, name: m.name, title: m.title, quoted: quotedTitle(m.title, m.locale), count: m.dates.length };
  const subject = t('registrations.mail.seriesCancelled.subject', params);
  const paragraphs = [t('mail.greeting', params), t('registrations.mail.seriesCancelled.intro', params)];
  const message = staffParagraphs(m.message);
  // A date renamed on its own still says its name.
  const line = (d: CancelledDate) => [d.when, d.title !== m.title ? d.title : '', d.place].filter(Boolean).join(' · ');
  const html = (
    <MailFrame networkName={m.networkName} lang={m.locale}>
      {paragraphs.map((p) => (
        <p safe>{p}</p>
      ))}
      <StaffMessage heading={t('registrations.mail.eventCancelled.message', params)} paragraphs={message} />
      <p>
        <strong safe>{t('registrations.mail.seriesCancelled.dates', params)}</strong>
      </p>
      <ul>
        {m.dates.map((d) => (
          <li style="margin:0 0 8px">
            <span safe>{line(d)}</span>
            <br />
            <a href={d.link} style="color:#00585f" safe>
              {t('registrations.mail.viewLink')}
            </a>
          </li>
        ))}
      </ul>
      <p style={MUTED} safe>
        {t('registrations.mail.keepLink')}
      </p>
    </MailFrame>
  ) as string;
  const text = [
    ...paragraphs.flatMap((p) => [p, '']),
    ...staffMessageText(t('registrations.mail.eventCancelled.message', params), message),
    t('registrations.mail.seriesCancelled.dates', params),
    '',
    ...m.dates.flatMap((d) => [`- ${line(d)}`, `  ${t('label.value', { label: t('registrations.mail.viewLink'), value: d.link })}`]),
    '',
    t('registrations.mail.keepLink'),
    '',
    `— ${m.networkName}`,
  ].join('\n');
  return { subject, html, text };
}
