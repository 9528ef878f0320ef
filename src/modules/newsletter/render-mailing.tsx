import Html from '@kitajs/html';
import { isLocale, type Locale, translator } from '../../kernel/i18n/index.js';
import type { OutgoingMessage } from '../../kernel/mail/index.js';
import { type BlockProblem, type MailingBlock, opensWithGreeting, parseBlocks, renderBlocks } from './blocks.js';
import { absolute, type NewsletterDeps } from './deps.js';
import { quotedListNames } from './lists.js';
import type { MailingRow } from './mailing-repo.js';
import { withTracking } from './tracking.js';

/** Markers replaced per recipient in the prepared message (never produced by the sanitiser's output for staff text). */
const GREETING = '\u0000GREETING\u0000';
const UNSUBSCRIBE = '\u0000UNSUBSCRIBE\u0000';
const PREFERENCES = '\u0000PREFERENCES\u0000';
const REASON = '\u0000REASON\u0000';
const TRACK = '\u0000TRACK\u0000';

/** A mailing rendered once, then personalised for each recipient (greeting, links, reason). */
export interface PreparedMailing {
  mailingId: string;
  /** The language the mailing is written in: the email's own words follow it. */
  locale: Locale;
  subject: string;
  fromName: string;
  replyTo: string | null;
  webUrl: string;
  /** The message opens with the recipient's greeting (« Bonjour Prénom Nom, »), see `greetingOf`. */
  greeting: boolean;
  html: string;
  /** The HTML with the open pixel and tracked links (a tracked mailing's send only), else null. */
  trackedHtml: string | null;
  text: string;
  /** The web version's body (site page). */
  webHtml: string;
  problems: (BlockProblem & { index: number })[];
  networkName: string;
  contactEmail: string;
  unsubscribeMailto: string;
  listNames: string[];
  /** The lists the mailing is sent to: a list recipient's « Se désinscrire » leaves them (not everything). */
  listIds: string[];
}

export interface MailRecipient {
  email: string;
  name: string | null;
  token: string;
  via: 'list' | 'segment' | 'both' | 'test';
  /** The recipient row's tracking token (a tracked mailing's send); test sends and previews have none. */
  trackToken?: string | null;
}

const COLOURS = { brand: '#00585f', page: '#f4f1ea', text: '#1d2330', muted: '#4a5160' };

/** The email around the blocks: table layout, inline styles, a media query for narrow screens. */
function EmailFrame(props: { locale: Locale; subject: string; networkName: string; web: { url: string; label: string }; greeting: boolean; safeBody: string; contactEmail: string }) {
  const t = translator(props.locale);
  const { safeBody } = props;
  return (
    <>
      {'<!doctype html>'}
      <html lang={props.locale} xmlns="http://www.w3.org/1999/xhtml">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="x-apple-disable-message-reformatting" />
          <title safe>{props.subject}</title>
          <style>{'@media only screen and (max-width:620px){.nl-container{width:100% !important}.nl-pad{padding:20px 16px !important}.nl-head{padding:16px !important;font-size:18px !important}}'}</style>
        </head>
        <body style={`margin:0;padding:0;background:${COLOURS.page};font-family:Arial,Helvetica,sans-serif;color:${COLOURS.text}`}>
          <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style={`background:${COLOURS.page}`}>
            <tr>
              <td align="center" style={`padding:12px 8px 4px 8px;font-size:12px;color:${COLOURS.muted}`}>
                <a href={props.web.url} style={`color:${COLOURS.muted};text-decoration:underline`} safe>
                  {props.web.label}
                </a>
              </td>
            </tr>
            <tr>
              <td align="center" style="padding:8px 8px 24px 8px">
                <table role="presentation" class="nl-container" width="600" cellpadding="0" cellspacing="0" style="width:600px;max-width:600px;background:#ffffff;border-radius:8px">
                  <tr>
                    <td class="nl-head" style={`padding:20px 28px;background:${COLOURS.brand};color:#ffffff;font-size:20px;font-weight:bold;border-radius:8px 8px 0 0`} safe>
                      {props.networkName}
                    </td>
                  </tr>
                  <tr>
                    <td class="nl-pad" style="padding:28px 28px 12px 28px;font-size:16px;line-height:1.55">
                      {props.greeting ? <p style="margin:0 0 16px 0;font-size:16px;line-height:1.55">{GREETING}</p> : ''}
                      {safeBody}
                    </td>
                  </tr>
                  <tr>
                    <td class="nl-pad" style={`padding:20px 28px 28px 28px;border-top:1px solid #e4ded1;font-size:13px;line-height:1.5;color:${COLOURS.muted}`}>
                      <p style="margin:0 0 8px 0">
                        <strong safe>{props.networkName}</strong>
                        {' · '}
                        <a href={`mailto:${props.contactEmail}`} style={`color:${COLOURS.muted}`} safe>
                          {props.contactEmail}
                        </a>
                      </p>
                      <p style="margin:0 0 8px 0">{REASON}</p>
                      <p style="margin:0">
                        <a href={UNSUBSCRIBE} style={`color:${COLOURS.muted};text-decoration:underline`} safe>
                          {t('newsletter.mail.unsubscribe')}
                        </a>
                        {' · '}
                        <a href={PREFERENCES} style={`color:${COLOURS.muted};text-decoration:underline`} safe>
                          {t('newsletter.mail.preferences')}
                        </a>
                      </p>
                    </td>
                  </tr>
                </table>
              </td>
            </tr>
          </table>
        </body>
      </html>
    </>
  );
}

/** The language a mailing is written in (French for a value this version does not know). */
export function mailingLocale(mailing: Pick<MailingRow, 'locale'>): Locale {
  return isLocale(mailing.locale) ? mailing.locale : 'fr';
}

/**
 * Whether a mailing's message opens with the recipient's greeting: `added` when staff left its
 * box ticked and the content does not open with its own (« Bonjour à toutes et à tous »), which
 * would make two; `own` when it does; `off` when staff unticked it.
 */
export function greetingOf(mailing: Pick<MailingRow, 'greeting'>, blocks: MailingBlock[]): 'added' | 'own' | 'off' {
  if (mailing.greeting !== 1) return 'off';
  return opensWithGreeting(blocks) ? 'own' : 'added';
}

/** What a mailing is prepared for: its send and its preview, or a test send (`test`). */
export interface PrepareOptions {
  /** A tracked mailing's send: the links stored when it started; only those are tracked. */
  trackedLinks?: readonly string[];
  /** The mailing's lists (see `PreparedMailing.listIds`). */
  listIds?: readonly string[];
  /**
   * A test send: before the mailing goes out, its web version is the team's only, so the test's
   * « Voir la version en ligne » leads there through the sign-in page (straight on when signed in).
   */
  test?: boolean;
}

/** Statuses whose web version is public (the send has started). */
const PUBLISHED = ['sending', 'paused', 'sent'];

/**
 * Renders a mailing's blocks once; `problems` lists blocks that cannot be rendered. A greeting
 * (« Bonjour Prénom Nom, ») opens the message when staff chose it, unless its content opens with
 * its own.
 */
export async function prepareMailing(deps: Pick<NewsletterDeps, 'config' | 'settings'>, mailing: MailingRow, listNames: string[], unsubscribeMailto: string, options: PrepareOptions = {}): Promise<PreparedMailing> {
  const { trackedLinks } = options;
  const locale = mailingLocale(mailing);
  const t = translator(locale);
  const baseUrl = deps.config.baseUrl.replace(/\/+$/, '');
  const settings = await deps.settings.get();
  const blocks = parseBlocks(mailing.blocks);
  const { rendered, problems } = await renderBlocks(blocks, { baseUrl, t });
  const webPath = `/lettre/${mailing.slug}`;
  const webUrl = absolute(deps, webPath);
  const staffOnly = options.test === true && !PUBLISHED.includes(mailing.status);
  const web = staffOnly ? { url: absolute(deps, `/connexion?suite=${encodeURIComponent(webPath)}`), label: t('newsletter.mail.webVersionTeam') } : { url: webUrl, label: t('newsletter.mail.webVersion') };
  const greeting = greetingOf(mailing, blocks) === 'added';
  const html = EmailFrame({ locale, subject: mailing.subject, networkName: settings.networkName, web, greeting, safeBody: rendered.map((b) => b.email).join('\n'), contactEmail: settings.contactEmail }) as string;
  const text = [
    t('label.value', { label: web.label, value: web.url }),
    '',
    ...(greeting ? [GREETING, ''] : []),
    rendered.map((b) => b.text).join('\n\n'),
    '',
    '—',
    `${settings.networkName} · ${settings.contactEmail}`,
    REASON,
    t('label.value', { label: t('newsletter.mail.unsubscribe'), value: UNSUBSCRIBE }),
    t('label.value', { label: t('newsletter.mail.preferences'), value: PREFERENCES }),
  ].join('\n');
  return {
    mailingId: mailing.id,
    locale,
    subject: mailing.subject,
    fromName: mailing.from_name,
    replyTo: mailing.reply_to,
    webUrl,
    greeting,
    html,
    trackedHtml: mailing.tracking === 1 && trackedLinks ? withTracking(html, trackedLinks, { baseUrl, webUrl }, TRACK) : null,
    text,
    webHtml: rendered.map((b) => b.web).join('\n'),
    problems,
    networkName: settings.networkName,
    contactEmail: settings.contactEmail,
    unsubscribeMailto: unsubscribeMailto || settings.contactEmail,
    listNames,
    listIds: [...(options.listIds ?? [])],
  };
}

function reasonText(prepared: PreparedMailing, via: MailRecipient['via']): string {
  const t = translator(prepared.locale);
  if (via === 'test') return t('newsletter.mail.reasonTest');
  if (via === 'segment') return t('newsletter.mail.reasonSegment', { network: prepared.networkName });
  return t('newsletter.mail.reasonLists', { lists: quotedListNames(prepared.listNames, prepared.locale) || prepared.networkName });
}

/**
 * The unsubscribe link (and RFC 8058 one-click address) of a message: with the lists it was sent
 * for, it leaves them only (`?liste=`); without, everything. A mailing reaching someone through a
 * directory segment (`segment`, `both`) has no list to leave: its link leaves everything.
 */
export function unsubscribePath(token: string, listIds: readonly string[]): string {
  return listIds.length ? `/desinscription/${token}?liste=${listIds.map(encodeURIComponent).join(',')}` : `/desinscription/${token}`;
}

/** The message for one recipient: greeting, reason, links, and the RFC 8058 unsubscribe headers. */
export function personalise(deps: Pick<NewsletterDeps, 'config'>, prepared: PreparedMailing, recipient: MailRecipient): OutgoingMessage {
  const t = translator(prepared.locale);
  const unsubscribeUrl = absolute(deps, unsubscribePath(recipient.token, recipient.via === 'list' ? prepared.listIds : []));
  const preferencesUrl = absolute(deps, `/preferences/${recipient.token}`);
  const greeting = recipient.name ? t('newsletter.mail.greetingName', { name: recipient.name }) : t('newsletter.mail.greeting');
  const reason = reasonText(prepared, recipient.via);
  const fill = (template: string, escape: (s: string) => string) =>
    template.split(GREETING).join(escape(greeting)).split(REASON).join(escape(reason)).split(UNSUBSCRIBE).join(escape(unsubscribeUrl)).split(PREFERENCES).join(escape(preferencesUrl));
  const mailto = `mailto:${prepared.unsubscribeMailto}?subject=${encodeURIComponent(`Désinscription ${recipient.token}`)}`;
  return {
    to: recipient.email,
    fromName: prepared.fromName,
    replyTo: prepared.replyTo ?? undefined,
    subject: recipient.via === 'test' ? `[${t('newsletter.mail.testTag')}] ${prepared.subject}` : prepared.subject,
    // The text part keeps the links as written: nothing is tracked there.
    html: fill(prepared.trackedHtml && recipient.trackToken ? prepared.trackedHtml.split(TRACK).join(recipient.trackToken) : prepared.html, (s) => Html.escapeHtml(s)),
    text: fill(prepared.text, (s) => s),
    headers: {
      'List-Unsubscribe': `<${mailto}>, <${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Maillage-Mailing': prepared.mailingId,
    },
  };
}
