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

/** The emails a participant receives; every one carries the personal link (view, modify, cancel). */
export function registrationMail(m: RegistrationMailInput): RenderedMail {
  const t = translator(m.locale);
  const params = { network: m.networkName, name: m.name, title: m.title, quoted: quotedTitle(m.title, m.locale), position: m.position ?? '' };
  const subject = t(`registrations.mail.${m.kind}.subject`, params);
  const paragraphs = [t('mail.greeting', params), t(`registrations.mail.${m.kind}.intro`, params)];
  const message = m.message?.trim() ? m.message.trim().split(/\n\s*\n/).map((p) => p.split('\n')) : [];
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
      {message.length ? (
        <>
          <p>
            <strong safe>{t('registrations.mail.eventCancelled.message', params)}</strong>
          </p>
          <blockquote style="margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #c9ced6">
            {message.map((lines) => (
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
      ) : (
        ''
      )}
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
    ...(message.length ? [t('registrations.mail.eventCancelled.message', params), '', ...message.flatMap((lines) => [...lines.map((l) => `> ${l}`), '']).slice(0, -1), ''] : []),
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
