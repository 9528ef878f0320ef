import { type Locale, translator } from '../../kernel/i18n/index.js';
import { MailButton, MailFrame, type RenderedMail } from '../../kernel/mail/render.js';

interface LinkMail {
  locale: Locale;
  networkName: string;
  link: string;
  name: string;
}

/** Staff who invited the person on their own initiative, for an organisation when there is one (else the person asked for the account). */
export interface StaffInvitation {
  inviter: string;
  organisation?: string;
}

function linkMail(kind: 'reset' | 'invite' | 'emailChange', m: LinkMail, invitation?: StaffInvitation): RenderedMail {
  const t = translator(m.locale);
  const params = { network: m.networkName, name: m.name, ...invitation };
  const subject = t(`mail.${kind}.subject`, params);
  const intro = invitation ? t(invitation.organisation ? 'mail.invite.introOrganisation' : 'mail.invite.introStaff', params) : t(`mail.${kind}.intro`, params);
  const action = t(`mail.${kind}.action`);
  const expiry = t(`mail.${kind}.expiry`);
  const ignore = t(invitation ? 'mail.invite.ignore' : 'mail.ignore');
  const greeting = t('mail.greeting', params);
  const html = (
    <MailFrame networkName={m.networkName}>
      <p safe>{greeting}</p>
      <p safe>{intro}</p>
      <MailButton href={m.link} label={action} />
      <p style="font-size:14px;color:#4a5160" safe>
        {expiry}
      </p>
      <p style="font-size:14px;color:#4a5160;word-break:break-all" safe>
        {m.link}
      </p>
      <p style="font-size:14px;color:#4a5160" safe>
        {ignore}
      </p>
    </MailFrame>
  ) as string;
  const text = [greeting, '', intro, '', t('label.value', { label: action, value: m.link }), '', expiry, '', ignore, '', `— ${m.networkName}`].join('\n');
  return { subject, html, text };
}

export const resetMail = (m: LinkMail) => linkMail('reset', m);
export const inviteMail = (m: LinkMail, invitation?: StaffInvitation) => linkMail('invite', m, invitation);
export const emailChangeMail = (m: LinkMail) => linkMail('emailChange', m);
