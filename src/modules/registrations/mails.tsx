import { type Locale, translator } from '../../kernel/i18n/index.js';
import { MailButton, MailFrame, type RenderedMail } from '../../kernel/mail/render.js';
import { quotedTitle } from './quote.js';

export type RegistrationMailKind = 'confirmation' | 'waitlisted' | 'promoted' | 'cancelled' | 'reminder' | 'link';

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
}

const MUTED = 'font-size:14px;color:#4a5160';

/** The emails a participant receives; every one carries the personal link (view, modify, cancel). */
export function registrationMail(m: RegistrationMailInput): RenderedMail {
  const t = translator(m.locale);
  const params = { network: m.networkName, name: m.name, title: m.title, quoted: quotedTitle(m.title, m.locale), position: m.position ?? '' };
  const subject = t(`registrations.mail.${m.kind}.subject`, params);
  const paragraphs = [t('mail.greeting', params), t(`registrations.mail.${m.kind}.intro`, params)];
  const facts: [string, string][] = [[t('registrations.mail.when'), m.when]];
  if (m.place) facts.push([t('registrations.mail.where'), m.place]);
  if (m.onlineUrl && m.kind !== 'cancelled' && m.kind !== 'waitlisted') facts.push([t('registrations.mail.online'), m.onlineUrl]);
  const action = t(m.kind === 'cancelled' ? 'registrations.mail.viewLink' : 'registrations.mail.manageLink');
  const html = (
    <MailFrame networkName={m.networkName} lang={m.locale}>
      {paragraphs.map((p) => (
        <p safe>{p}</p>
      ))}
      <ul>
        {facts.map(([label, value]) => (
          <li>
            <strong safe>{label}</strong> <span safe>{value}</span>
          </li>
        ))}
      </ul>
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
    ...facts.map(([label, value]) => `${label} ${value}`),
    '',
    `${action} : ${m.link}`,
    '',
    t('registrations.mail.keepLink'),
    '',
    `— ${m.networkName}`,
  ].join('\n');
  return { subject, html, text };
}
