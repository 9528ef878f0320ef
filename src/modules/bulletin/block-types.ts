import { sanitiseRichText } from '../../kernel/html.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { type BlockContext, type BlockProblem, emailHtml, htmlToPlainText, type MailingBlock, registerBlockType, type RenderedBlock, webHtml } from '../newsletter/index.js';
import { BULLETIN_TYPES, type BulletinBlock, readBlock, type ResolvableBlock } from './block-shapes.js';
import { renderHeading, renderList } from './render-parts.js';

// The bulletin's block types in the newsletter's registry. Rendering reads only what the block
// stores (its resolved items): no database, and the same result for the preview, the test send,
// the send and the web version.

/** Where « see everything » leads for each kind of list. */
const MORE: Record<ResolvableBlock['type'], { href: string; label: MessageKey }> = {
  news: { href: '/actualites', label: 'bulletin.more.news' },
  member_news: { href: '/actualites', label: 'bulletin.more.news' },
  events: { href: '/agenda', label: 'bulletin.more.events' },
  calls: { href: '/appels-a-projets', label: 'bulletin.more.calls' },
  watch: { href: '/veille', label: 'bulletin.more.watch' },
  resources: { href: '/ressources', label: 'bulletin.more.resources' },
};

function renderEditorial(html: string, title: string, ctx: BlockContext): RenderedBlock | BlockProblem {
  if (!sanitiseRichText(html)) return { key: 'bulletin.error.editorialEmpty' };
  const heading = renderHeading(title);
  return {
    email: heading.email + emailHtml(html, ctx.baseUrl),
    web: `<section class="bulletin-block">${heading.web}${webHtml(html, ctx.baseUrl)}</section>`,
    text: heading.text + htmlToPlainText(html, ctx.baseUrl),
  };
}

/** A block as the email, the web version and the text part show it. */
export function renderBulletinBlock(block: BulletinBlock, ctx: BlockContext): RenderedBlock | BlockProblem {
  if (block.type === 'editorial') return renderEditorial(block.html, block.title, ctx);
  const chosen = block.type === 'news' || (block.type === 'watch' && block.mode === 'selected') ? block.ids : null;
  if (chosen && chosen.length === 0) return { key: 'bulletin.error.nothingSelected', params: { block: block.title } };
  if (chosen && block.items.length === 0) return { key: 'bulletin.error.contentGone', params: { block: block.title } };
  const more = MORE[block.type];
  return renderList(block.title, block.items, ctx, { href: more.href, label: ctx.t(more.label) });
}

function render(raw: MailingBlock, ctx: BlockContext): RenderedBlock | BlockProblem {
  const block = readBlock(raw);
  return block ? renderBulletinBlock(block, ctx) : { key: 'newsletter.error.blockUnknown', params: { type: String(raw.type).slice(0, 40) } };
}

let registered = false;

/** Adds the bulletin's block types to the newsletter's registry (once). */
export function registerBulletinBlocks(): void {
  if (registered) return;
  registered = true;
  for (const type of BULLETIN_TYPES) registerBlockType({ type, render });
}
