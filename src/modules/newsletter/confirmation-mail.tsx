import { isLocale, type Locale, translator } from '../../kernel/i18n/index.js';
import { MailButton, MailFrame, type RenderedMail } from '../../kernel/mail/render.js';
import { absolute, type NewsletterDeps } from './deps.js';
import { listText } from './lists.js';
import * as repo from './repo.js';
import type { ConfirmationRequest } from './subscribe.js';

export const CONFIRMATION_MAIL_JOB = 'newsletter.confirmation';

export interface ConfirmationMailPayload {
  confirmationId: string;
  token: string;
}

const MUTED = 'font-size:14px;color:#4a5160';

/** The language a confirmation was asked in; French for requests kept before the language was. */
export function requestLocale(request: ConfirmationRequest): Locale {
  return isLocale(request.locale) ? request.locale : 'fr';
}

/** The double opt-in email, in the language of the request: the lists asked for and the link that confirms them. */
export function confirmationMail(input: { locale: Locale; networkName: string; name: string | null; lists: string[]; link: string; days: number }): RenderedMail {
  const t = translator(input.locale);
  const subject = t('newsletter.mail.confirm.subject', { network: input.networkName });
  const greeting = input.name ? t('newsletter.mail.greetingName', { name: input.name }) : t('newsletter.mail.greeting');
  const intro = t('newsletter.mail.confirm.intro', { network: input.networkName });
  const action = t('newsletter.mail.confirm.button');
  const ignore = t('newsletter.mail.confirm.ignore', { days: input.days });
  const html = (
    <MailFrame networkName={input.networkName} lang={input.locale}>
      <p safe>{greeting}</p>
      <p safe>{intro}</p>
      <ul>
        {input.lists.map((name) => (
          <li safe>{name}</li>
        ))}
      </ul>
      <MailButton href={input.link} label={action} />
      <p style={`${MUTED};word-break:break-all`} safe>
        {input.link}
      </p>
      <p style={MUTED} safe>
        {ignore}
      </p>
    </MailFrame>
  ) as string;
  const text = [greeting, '', intro, '', ...input.lists.map((l) => `- ${l}`), '', t('newsletter.mail.confirm.linkLine', { action, link: input.link }), '', ignore, '', `— ${input.networkName}`].join('\n');
  return { subject, html, text };
}

/** The job's handler: sends the confirmation email of a pending double opt-in, in the language it was asked in. */
export async function sendConfirmationMail(deps: NewsletterDeps, payload: ConfirmationMailPayload, days: number): Promise<void> {
  const row = await repo.findConfirmationById(deps.db, payload.confirmationId);
  if (!row || row.used_at) return;
  const subscriber = await repo.findSubscriber(deps.db, row.subscriber_id);
  if (!subscriber) return;
  const request = JSON.parse(row.request) as ConfirmationRequest;
  const lists = await repo.listsByIds(deps.db, request.lists);
  if (lists.length === 0) return;
  const settings = await deps.settings.get();
  const locale = requestLocale(request);
  const mail = confirmationMail({
    locale,
    networkName: settings.networkName,
    name: subscriber.name,
    lists: lists.map((l) => listText(l, locale).name),
    link: absolute(deps, `/lettre/confirmer/${payload.token}`),
    days,
  });
  await deps.mail.send({ to: subscriber.email, ...mail });
}
