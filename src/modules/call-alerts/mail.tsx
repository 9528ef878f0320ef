import { translator, type Translate } from '../../kernel/i18n/index.js';
import { MailButton, MailFrame, type RenderedMail } from '../../kernel/mail/render.js';
import { withClockWords } from '../../kernel/time/clock-words.js';
import { formatDay } from '../../kernel/time/date-only.js';

/** One call of a digest, as the email shows it. */
export interface DigestCall {
  title: string;
  funder: string;
  /** YYYY-MM-DD (Europe/Paris). */
  closesOn: string;
  closesTime: string | null;
  /** Calendar days from the digest's day to the closing day (0: closes that day). */
  daysLeft: number;
  /** Absolute URL of the call's page. */
  url: string;
}

export interface DigestInput {
  networkName: string;
  contactEmail: string;
  listName: string;
  name: string | null;
  calls: DigestCall[];
  /** Absolute URLs. */
  allCallsUrl: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

const BRAND = '#00585f';
const MUTED = '#4a5160';

function deadline(t: Translate, call: DigestCall): string {
  const date = formatDay(call.closesOn, 'fr');
  return call.closesTime ? t('callAlerts.mail.deadlineTime', { date, time: withClockWords(call.closesTime, 'fr') }) : t('callAlerts.mail.deadline', { date });
}

function daysLeft(t: Translate, days: number): string {
  if (days <= 0) return t('callAlerts.mail.lastDay');
  if (days === 1) return t('callAlerts.mail.oneDayLeft');
  return t('callAlerts.mail.daysLeft', { days });
}

export function digestSubject(count: number): string {
  const t = translator('fr');
  return count === 1 ? t('callAlerts.mail.subjectOne') : t('callAlerts.mail.subject', { count });
}

function CallBlock({ t, call }: { t: Translate; call: DigestCall }) {
  return (
    <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-top:1px solid #e4ded1;margin:0">
      <tr>
        <td style="padding:16px 0 4px 0;font-size:17px;line-height:1.35;font-weight:bold">
          <a href={call.url} style={`color:${BRAND};text-decoration:underline`} safe>
            {call.title}
          </a>
        </td>
      </tr>
      <tr>
        <td style={`padding:0 0 2px 0;font-size:14px;line-height:1.5;color:${MUTED}`} safe>
          {t('callAlerts.mail.funder', { funder: call.funder })}
        </td>
      </tr>
      <tr>
        <td style="padding:0 0 4px 0;font-size:14px;line-height:1.5">
          <span safe>{deadline(t, call)}</span>
          {' · '}
          <strong safe>{daysLeft(t, call.daysLeft)}</strong>
        </td>
      </tr>
      <tr>
        <td style="padding:0 0 16px 0;font-size:14px;line-height:1.5">
          <a href={call.url} style={`color:${BRAND}`} safe>
            {t('callAlerts.mail.open')}
          </a>
        </td>
      </tr>
    </table>
  );
}

/** The daily digest: each call with its funder, closing date, days left and link; a text part alike. */
export function digestMail(input: DigestInput): RenderedMail {
  const t = translator('fr');
  const subject = digestSubject(input.calls.length);
  const greeting = input.name ? t('callAlerts.mail.greetingName', { name: input.name }) : t('callAlerts.mail.greeting');
  const intro = input.calls.length === 1 ? t('callAlerts.mail.introOne') : t('callAlerts.mail.intro', { count: input.calls.length });
  const reason = t('callAlerts.mail.reason', { list: input.listName, network: input.networkName });
  const html = (
    <MailFrame networkName={input.networkName}>
      <p style="margin:0 0 16px 0" safe>
        {greeting}
      </p>
      <p style="margin:0 0 20px 0" safe>
        {intro}
      </p>
      {input.calls.map((call) => (
        <CallBlock t={t} call={call} />
      ))}
      <MailButton href={input.allCallsUrl} label={t('callAlerts.mail.allCalls')} />
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-top:1px solid #e4ded1">
        <tr>
          <td style={`padding:16px 0 0 0;font-size:13px;line-height:1.5;color:${MUTED}`}>
            <p style="margin:0 0 8px 0">
              <strong safe>{input.networkName}</strong>
              {' · '}
              <a href={`mailto:${input.contactEmail}`} style={`color:${MUTED}`} safe>
                {input.contactEmail}
              </a>
            </p>
            <p style="margin:0 0 8px 0" safe>
              {reason}
            </p>
            <p style="margin:0">
              <a href={input.unsubscribeUrl} style={`color:${MUTED};text-decoration:underline`} safe>
                {t('callAlerts.mail.unsubscribe')}
              </a>
              {' · '}
              <a href={input.preferencesUrl} style={`color:${MUTED};text-decoration:underline`} safe>
                {t('callAlerts.mail.preferences')}
              </a>
            </p>
          </td>
        </tr>
      </table>
    </MailFrame>
  ) as string;
  const text = [
    greeting,
    '',
    intro,
    '',
    ...input.calls.flatMap((call) => [`- ${call.title}`, `  ${t('callAlerts.mail.funder', { funder: call.funder })}`, `  ${deadline(t, call)} · ${daysLeft(t, call.daysLeft)}`, `  ${call.url}`, '']),
    t('label.value', { label: t('callAlerts.mail.allCalls'), value: input.allCallsUrl }),
    '',
    '—',
    `${input.networkName} · ${input.contactEmail}`,
    reason,
    t('label.value', { label: t('callAlerts.mail.unsubscribe'), value: input.unsubscribeUrl }),
    t('label.value', { label: t('callAlerts.mail.preferences'), value: input.preferencesUrl }),
  ].join('\n');
  return { subject, html, text };
}
