import Html from '@kitajs/html';
import type { BlockContext, RenderedBlock } from '../newsletter/index.js';
import type { BulletinItem } from './block-shapes.js';

// How a block's items are written out: as an email part (table layout, inline styles, the same
// colours and sizes as the newsletter's text block), as a part of the web version, and as text.
// Every link is absolute.

const COLOURS = { brand: '#00585f', text: '#1d2330', muted: '#4a5160', rule: '#e4ded1', tag: '#8a4b08' };
const H2 = `margin:28px 0 12px 0;font-size:22px;line-height:1.3;color:${COLOURS.brand}`;
const LINK = `color:${COLOURS.brand};text-decoration:underline`;

/** An address of the site (or an absolute http(s) one) made absolute against BASE_URL. */
export function absoluteUrl(href: string, baseUrl: string): string {
  if (/^https?:\/\//i.test(href)) return href;
  return `${baseUrl}${href.startsWith('/') ? href : `/${href}`}`;
}

/** A link at the end of a block (« Tout l'agenda »). */
export interface MoreLink {
  label: string;
  href: string;
}

function EmailItem({ item, baseUrl }: { item: BulletinItem; baseUrl: string }) {
  return (
    <tr>
      <td style={`padding:0 0 14px 0;border-bottom:1px solid ${COLOURS.rule}`}>
        <p style="margin:12px 0 4px 0;font-size:17px;line-height:1.35;font-weight:bold">
          {item.tag ? (
            <span style={`color:${COLOURS.tag};font-size:13px;text-transform:uppercase;letter-spacing:0.04em`} safe>
              {`${item.tag} · `}
            </span>
          ) : (
            ''
          )}
          <a href={absoluteUrl(item.href, baseUrl)} style={LINK} safe>
            {item.title}
          </a>
        </p>
        {item.meta.length ? (
          <p style={`margin:0 0 4px 0;font-size:14px;line-height:1.45;color:${COLOURS.muted}`} safe>
            {item.meta.join(' · ')}
          </p>
        ) : (
          ''
        )}
        {item.summary ? (
          <p style={`margin:0;font-size:15px;line-height:1.5;color:${COLOURS.text}`} safe>
            {item.summary}
          </p>
        ) : (
          ''
        )}
      </td>
    </tr>
  );
}

function emailList(title: string, items: BulletinItem[], baseUrl: string, more: MoreLink | null): string {
  return (
    <>
      {title ? (
        <h2 style={H2} safe>
          {title}
        </h2>
      ) : (
        ''
      )}
      <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 12px 0">
        {items.map((item) => (
          <EmailItem item={item} baseUrl={baseUrl} />
        ))}
      </table>
      {more ? (
        <p style="margin:0 0 16px 0;font-size:15px;line-height:1.5">
          <a href={absoluteUrl(more.href, baseUrl)} style={LINK} safe>
            {more.label}
          </a>
        </p>
      ) : (
        ''
      )}
    </>
  ) as string;
}

function webList(title: string, items: BulletinItem[], baseUrl: string, more: MoreLink | null): string {
  return (
    <section class="bulletin-block">
      {title ? <h2 safe>{title}</h2> : ''}
      <ul class="bulletin-items">
        {items.map((item) => (
          <li>
            <p class="bulletin-item-title">
              {item.tag ? <strong class="bulletin-tag" safe>{`${item.tag} · `}</strong> : ''}
              <a href={absoluteUrl(item.href, baseUrl)} safe>
                {item.title}
              </a>
            </p>
            {item.meta.length ? (
              <p class="bulletin-item-meta" safe>
                {item.meta.join(' · ')}
              </p>
            ) : (
              ''
            )}
            {item.summary ? <p safe>{item.summary}</p> : ''}
          </li>
        ))}
      </ul>
      {more ? (
        <p>
          <a href={absoluteUrl(more.href, baseUrl)} safe>
            {more.label}
          </a>
        </p>
      ) : (
        ''
      )}
    </section>
  ) as string;
}

function textList(title: string, items: BulletinItem[], { baseUrl, t }: BlockContext, more: MoreLink | null): string {
  const lines: string[] = [];
  if (title) lines.push(title.toUpperCase(), '');
  for (const item of items) {
    lines.push(`- ${item.tag ? `[${item.tag}] ` : ''}${item.title}`);
    if (item.meta.length) lines.push(`  ${item.meta.join(' · ')}`);
    if (item.summary) lines.push(`  ${item.summary}`);
    lines.push(`  ${absoluteUrl(item.href, baseUrl)}`, '');
  }
  if (more) lines.push(t('label.value', { label: more.label, value: absoluteUrl(more.href, baseUrl) }));
  return lines.join('\n').trim();
}

/** A titled list of items in the three forms, links made absolute against `ctx.baseUrl`; nothing at all when there is no item. */
export function renderList(title: string, items: BulletinItem[], ctx: BlockContext, more: MoreLink | null): RenderedBlock {
  if (items.length === 0) return { email: '', web: '', text: '' };
  return { email: emailList(title, items, ctx.baseUrl, more), web: webList(title, items, ctx.baseUrl, more), text: textList(title, items, ctx, more) };
}

/** A section title above rich text (the editorial). */
export function renderHeading(title: string): RenderedBlock {
  if (!title) return { email: '', web: '', text: '' };
  return { email: `<h2 style="${H2}">${Html.escapeHtml(title)}</h2>`, web: `<h2>${Html.escapeHtml(title)}</h2>`, text: `${title.toUpperCase()}\n` };
}
