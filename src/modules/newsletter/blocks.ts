import { htmlToText, sanitiseRichText } from '../../kernel/html.js';
import { richTextForForm, richTextFromForm } from '../../kernel/text/rich-text.js';
import type { MessageKey, Params, Translate } from '../../kernel/i18n/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Dialect } from '../../kernel/db/create-db.js';

/**
 * A mailing's content is a list of blocks. Only the `text` block (HTML written by staff) exists
 * now; the bulletin's blocks (news, events, calls, resources…) register their own type with
 * `registerBlockType` and are rendered the same way.
 */
export interface MailingBlock {
  type: string;
  [field: string]: unknown;
}

export interface TextBlock extends MailingBlock {
  type: 'text';
  html: string;
}

export interface BlockContext {
  /** BASE_URL without trailing slash: every link of an email is absolute. */
  baseUrl: string;
  t: Translate;
}

/** A block as an email part (inline styles), as a part of the web version, and as text. */
export interface RenderedBlock {
  email: string;
  web: string;
  text: string;
}

/** What prevents a block from being rendered (its content was deleted…), in the catalogue. */
export interface BlockProblem {
  key: MessageKey;
  params?: Params;
}

export interface BlockType {
  type: string;
  render(block: MailingBlock, ctx: BlockContext): Promise<RenderedBlock | BlockProblem> | RenderedBlock | BlockProblem;
}

const types = new Map<string, BlockType>();

export function registerBlockType(type: BlockType): void {
  types.set(type.type, type);
}

export function isProblem(value: RenderedBlock | BlockProblem): value is BlockProblem {
  return 'key' in value;
}

/** Renders every block; a block that cannot be rendered is reported, never silently dropped. */
export async function renderBlocks(blocks: MailingBlock[], ctx: BlockContext): Promise<{ rendered: RenderedBlock[]; problems: (BlockProblem & { index: number })[] }> {
  const rendered: RenderedBlock[] = [];
  const problems: (BlockProblem & { index: number })[] = [];
  for (const [index, block] of blocks.entries()) {
    const type = types.get(block.type);
    if (!type) {
      problems.push({ key: 'newsletter.error.blockUnknown', params: { position: index + 1, type: String(block.type).slice(0, 40) }, index });
      continue;
    }
    const result = await type.render(block, ctx);
    if (isProblem(result)) problems.push({ ...result, index, params: { position: index + 1, ...(result.params ?? {}) } });
    else rendered.push(result);
  }
  return { rendered, problems };
}

/** A block list read from the database; anything unreadable is an empty list. */
export function parseBlocks(json: string): MailingBlock[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((b): b is MailingBlock => typeof b === 'object' && b !== null && typeof (b as MailingBlock).type === 'string') : [];
  } catch {
    return [];
  }
}

// ---------- HTML for emails, and text ----------

const STYLES: Record<string, string> = {
  p: 'margin:0 0 16px 0;font-size:16px;line-height:1.55',
  h2: 'margin:28px 0 12px 0;font-size:22px;line-height:1.3;color:#00585f',
  h3: 'margin:24px 0 10px 0;font-size:18px;line-height:1.3;color:#1d2330',
  h4: 'margin:20px 0 8px 0;font-size:16px;line-height:1.3;color:#1d2330',
  ul: 'margin:0 0 16px 0;padding-left:24px',
  ol: 'margin:0 0 16px 0;padding-left:24px',
  li: 'margin:0 0 6px 0;font-size:16px;line-height:1.5',
  blockquote: 'margin:0 0 16px 0;padding:4px 0 4px 16px;border-left:4px solid #d9d2c3;color:#4a5160',
  a: 'color:#00585f;text-decoration:underline',
};

/** An href made absolute against BASE_URL (relative paths and protocol-relative URLs). */
export function absoluteHref(href: string, baseUrl: string): string {
  if (/^(https?:|mailto:)/i.test(href)) return href;
  if (href.startsWith('//')) return `https:${href}`;
  if (href.startsWith('/')) return `${baseUrl}${href}`;
  if (href.startsWith('#')) return href;
  return `${baseUrl}/${href}`;
}

/** A block-level tag: a fragment holding one has its own paragraphs. */
const BLOCK_TAG = /<\/?(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|hr)(?:\s[^<>]*)?\/?>/i;

/**
 * Stored rich text without any block-level tag (inline tags only, as an editorial or an older
 * draft may hold: « <b>Agenda</b> du mois\n\nRencontre… ») as paragraphs: its blank lines part
 * them, single newlines are line breaks. The fragment is already HTML (stored sanitised): nothing
 * is escaped again. Anything holding a block tag is left as it is.
 */
export function paragraphed(html: string): string {
  const value = html.replace(/\r\n?/g, '\n').trim();
  if (!value || BLOCK_TAG.test(value)) return value;
  return value
    .split(/\n[^\S\n]*\n\s*/)
    .map((part) => `<p>${part.trim().replace(/[^\S\n]*\n[^\S\n]*/g, '<br>')}</p>`)
    .join('');
}

/** Sanitised rich text with inline styles (mail clients drop style sheets) and absolute links. */
export function emailHtml(html: string, baseUrl: string): string {
  const safe = sanitiseRichText(paragraphed(html));
  return safe
    .replace(/href="([^"]*)"/g, (_m, href: string) => `href="${absoluteHref(href.replace(/&amp;/g, '&'), baseUrl).replace(/&/g, '&amp;')}"`)
    .replace(/<(p|h2|h3|h4|ul|ol|li|blockquote|a)(?=[\s>])/g, (_m, tag: string) => `<${tag} style="${STYLES[tag]}"`);
}

/** Sanitised rich text for the site (the web version); links made absolute too. */
export function webHtml(html: string, baseUrl: string): string {
  return sanitiseRichText(paragraphed(html)).replace(/href="([^"]*)"/g, (_m, href: string) => `href="${absoluteHref(href.replace(/&amp;/g, '&'), baseUrl).replace(/&/g, '&amp;')}"`);
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&nbsp;/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The text part of rich text: paragraphs, list items with dashes, links as "label (url)". */
export function htmlToPlainText(html: string, baseUrl: string): string {
  const safe = sanitiseRichText(paragraphed(html));
  const text = safe
    .replace(/\r?\n/g, ' ')
    .replace(/<a [^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/g, (_m, href: string, label: string) => {
      const url = absoluteHref(decodeEntities(href), baseUrl);
      const words = label.replace(/<[^>]+>/g, '').trim();
      return words && decodeEntities(words) !== url ? `${words} (${url})` : url;
    })
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<li[^>]*>/g, '\n- ')
    .replace(/<\/(p|h2|h3|h4|blockquote|ul|ol)>/g, '\n\n')
    .replace(/<h[234][^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

registerBlockType({
  type: 'text',
  render(block, ctx) {
    const html = typeof block['html'] === 'string' ? block['html'] : '';
    if (!sanitiseRichText(html)) return { key: 'newsletter.error.blockEmpty' };
    return { email: emailHtml(html, ctx.baseUrl), web: webHtml(html, ctx.baseUrl), text: htmlToPlainText(html, ctx.baseUrl) };
  },
});

/**
 * The single text block of a mailing written in the staff form: the kernel's rich text (HTML when
 * it holds block markup, else plain paragraphs where inline tags such as <b> or <a> stay markup).
 */
export function textBlocks(body: string): TextBlock[] {
  const safe = richTextFromForm(body);
  return safe ? [{ type: 'text', html: safe }] : [];
}

/** The mailing's text blocks as the staff form shows them again (plain paragraphs when they were typed so). */
export function bodyOf(blocks: MailingBlock[]): string {
  const texts = blocks.filter((b): b is TextBlock => b.type === 'text' && typeof b['html'] === 'string').map((b) => b.html);
  return texts.length === 1 ? richTextForForm(texts[0]) : texts.join('\n');
}

/** The first words of a greeting, French or English; not followed by a letter (« Hi » but not « Hiver »). */
const GREETING_START = /^(?:bonjour|bonsoir|salut|coucou|cher|chère|chers|chères|madame|monsieur|mesdames|messieurs|hello|hi|dear|greetings|good (?:morning|afternoon|evening))(?!\p{L})/iu;

/**
 * Whether the mailing opens with its own greeting (« Bonjour à toutes et à tous », « Chères et
 * chers membres », « Madame, Monsieur », « Dear friends »…): its first block, when it is written
 * text (a text block, the bulletin's editorial), starts with one. The email then adds none.
 */
export function opensWithGreeting(blocks: MailingBlock[]): boolean {
  const first = blocks[0];
  if (!first || typeof first['html'] !== 'string') return false;
  const text = htmlToText(sanitiseRichText(paragraphed(first['html']))).replace(/^[\s\u00a0\u202f«"“'‘(—–-]+/u, '');
  return GREETING_START.test(text);
}

/** Whether a stored block list holds more than the form's text (blocks composed in the block editor). */
export function isComposed(json: string): boolean {
  return parseBlocks(json).some((b) => b.type !== 'text');
}

// ---------- Freezing at send start ----------

export interface FreezeEnv {
  db: Kysely<Database>;
  dialect: Dialect;
  now: Date;
}

/** Brings the blocks that draw on the site's content up to date (the bulletin registers one). */
export type BlocksFreezer = (env: FreezeEnv, blocks: MailingBlock[]) => Promise<MailingBlock[]>;

let freezer: BlocksFreezer | null = null;

export function registerBlocksFreezer(f: BlocksFreezer): void {
  freezer = f;
}

/**
 * The blocks a send starts with: content resolved at the last preview may have been unpublished
 * (or new content published) since, so what is sent is what the site holds when the send starts.
 */
export async function frozenBlocks(env: FreezeEnv, blocks: MailingBlock[]): Promise<MailingBlock[]> {
  return freezer ? freezer(env, blocks) : blocks;
}
