import type { Kysely } from 'kysely';
import type { Database, PageMenu, PageStatus } from '../../db/schema.js';
import { type AuditActor, recordAudit } from '../../kernel/audit/index.js';
import type { Clock } from '../../kernel/clock.js';
import { htmlToText } from '../../kernel/html.js';
import type { MessageKey } from '../../kernel/i18n/index.js';
import { newId } from '../../kernel/ids.js';
import { slugify } from '../../kernel/identifiers.js';
import { indexText } from '../../kernel/search/normalise.js';
import { richTextFromForm, richTextForForm } from '../../kernel/text/rich-text.js';
import { parseForm } from '../../kernel/validation.js';
import { isLegalSlug } from './legal.js';
import * as repo from './repo.js';
import { PageForm } from './schemas.js';

export interface PagesDeps {
  db: Kysely<Database>;
  clock: Clock;
}

/** A validated page, ready to be written. */
export interface PageDraft {
  title: string;
  slug: string;
  body_html: string | null;
  status: PageStatus;
  menu: PageMenu;
  menu_order: number;
  menu_label: string | null;
}

/** What the page form shows. */
export type PageValues = Record<'title' | 'slug' | 'body' | 'status' | 'menu' | 'menu_order' | 'menu_label', string>;

export function pageValues(page: repo.PageRow): PageValues {
  return {
    title: page.title,
    slug: page.slug,
    body: richTextForForm(page.body_html),
    status: page.status,
    menu: page.menu,
    menu_order: String(page.menu_order),
    menu_label: page.menu_label ?? '',
  };
}

const text = (raw: Record<string, unknown>, name: string) => (typeof raw[name] === 'string' ? (raw[name] as string) : '');

export function submittedValues(raw: Record<string, unknown>): PageValues {
  return {
    title: text(raw, 'title').trim(),
    slug: text(raw, 'slug').trim(),
    body: text(raw, 'body'),
    status: text(raw, 'status') || 'draft',
    menu: text(raw, 'menu') || 'none',
    menu_order: text(raw, 'menu_order').trim(),
    menu_label: text(raw, 'menu_label').trim(),
  };
}

export type PageCheck = { ok: true; draft: PageDraft } | { ok: false; errors: Record<string, MessageKey> };

/**
 * A free slug made from the title, as the other modules make theirs: « a-propos », then
 * « a-propos-2 », « a-propos-3 »… skipping the legal pages' addresses and those used by another
 * page, now or as an old address.
 */
export async function uniqueSlug(db: Kysely<Database>, title: string, exceptId?: string): Promise<string> {
  const base = slugify(title).slice(0, 80).replace(/-+$/, '') || 'page';
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}-${i}`;
    if (!isLegalSlug(candidate) && !(await repo.slugTaken(db, candidate, exceptId))) return candidate;
  }
}

/**
 * Validates a page form. A blank slug comes from the title, suffixed (-2, -3…) when another page
 * has it; a legal page keeps its slug (its address is fixed) and no other page may take one; a slug
 * typed by staff and used by another page, now or as an old address, is refused (they chose it:
 * they are told rather than given another).
 */
export async function checkPage(db: Kysely<Database>, raw: Record<string, unknown>, existing?: repo.PageRow): Promise<PageCheck> {
  const parsed = parseForm(PageForm, raw);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const v = parsed.value;
  const errors: Record<string, MessageKey> = {};
  const typed = existing && isLegalSlug(existing.slug) ? existing.slug : (v.slug ?? '');
  let slug = typed;
  if (!typed) {
    const fromTitle = slugify(v.title).slice(0, 80).replace(/-+$/, '') || 'page';
    // A page edited without an address keeps its own when its title still gives it.
    slug = existing && existing.slug === fromTitle ? fromTitle : await uniqueSlug(db, v.title, existing?.id);
  } else if (!existing || existing.slug !== slug) {
    if (isLegalSlug(slug) && raw['legal'] !== slug) errors['slug'] = 'pages.error.slugReserved';
    else if (await repo.slugTaken(db, slug, existing?.id)) errors['slug'] = 'pages.error.slugTaken';
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    draft: {
      title: v.title.replace(/\s+/g, ' '),
      slug,
      body_html: richTextFromForm(v.body ?? ''),
      status: v.status,
      menu: isLegalSlug(slug) ? 'none' : v.menu,
      menu_order: v.menu_order ? Number(v.menu_order) : 0,
      menu_label: v.menu_label || null,
    },
  };
}

function columns(d: PageDraft) {
  return { ...d, search_text: indexText(d.title, d.body_html ? htmlToText(d.body_html) : null) };
}

function snapshot(p: repo.PageRow) {
  const { search_text: _ignored, ...rest } = p;
  return rest;
}

export async function createPage(deps: PagesDeps, actor: AuditActor, draft: PageDraft): Promise<repo.PageRow> {
  const now = deps.clock.now();
  const id = newId(now.getTime());
  await repo.insertPage(deps.db, { id, ...columns(draft), created_by: actor.id, created_at: now.toISOString(), updated_at: now.toISOString() });
  const created = (await repo.findPage(deps.db, id))!;
  await recordAudit(deps.db, actor, { action: 'page.created', entityType: 'page', entityId: id, after: snapshot(created) }, now);
  return created;
}

export async function updatePage(deps: PagesDeps, actor: AuditActor, before: repo.PageRow, draft: PageDraft): Promise<repo.PageRow> {
  const now = deps.clock.now();
  await repo.updatePage(deps.db, before.id, { ...columns(draft), updated_at: now.toISOString() }, before.slug);
  const after = (await repo.findPage(deps.db, before.id))!;
  await recordAudit(deps.db, actor, { action: 'page.updated', entityType: 'page', entityId: before.id, before: snapshot(before), after: snapshot(after) }, now);
  return after;
}

export async function deletePage(deps: PagesDeps, actor: AuditActor, page: repo.PageRow): Promise<void> {
  await repo.deletePage(deps.db, page.id);
  await recordAudit(deps.db, actor, { action: 'page.deleted', entityType: 'page', entityId: page.id, before: snapshot(page) }, deps.clock.now());
}
