import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { sanitiseRichText } from '../../kernel/html.js';
import { actorOf } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { type Translate, translator } from '../../kernel/i18n/index.js';
import type { FieldErrors } from '../../kernel/ui/form.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import type { MailingBlock } from '../newsletter/index.js';
import { isBulletinType, KEY_PATTERN, readBlock, TEXT_TYPE } from './block-shapes.js';
import { renderBulletinBlock } from './block-types.js';
import { addBlock, blocksWithKeys, contentEnv, type EditResult, isEditable, moveBlock, refreshBlocks, removeBlock, resolvedAt, updateBlock } from './editor.js';
import { AddBlockForm, blockPatch, type BlockValues, blockValues, valuesOf } from './forms.js';
import { bulletinDeps } from './http.js';
import { monthlyRoutes } from './routes-monthly.js';
import { findMailingBlocks, type MailingBlocksRow } from './repo.js';
import { dayStart, latestWatch, newsCandidates } from './sources.js';
import { oneMonthBefore } from './template.js';
import { parisToday } from '../calls/index.js';
import { type EditorBlock, EditorPage, MAILINGS_BASE } from './views-editor.js';

const CANDIDATES = 30;

/** Why a block cannot be sent as it is (translated), or null. */
function problemOf(raw: MailingBlock, position: number, baseUrl: string, t: Translate): string | null {
  const block = readBlock(raw);
  if (block) {
    const result = renderBulletinBlock(block, { baseUrl, t });
    return 'key' in result ? t(result.key, { position, ...(result.params ?? {}) }) : null;
  }
  if (raw.type === TEXT_TYPE) return sanitiseRichText(String(raw['html'] ?? '')) ? null : t('bulletin.error.textEmpty', { position });
  return t('newsletter.error.blockUnknown', { position, type: String(raw.type).slice(0, 40) });
}

export const bulletinEditorRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = bulletinDeps(k);
  const staff = { config: { access: 'staff' as const } };
  const baseUrl = k.config.baseUrl.replace(/\/+$/, '');

  const params = (request: FastifyRequest) => request.params as { id: string; key?: string };
  const mailingOr404 = async (request: FastifyRequest): Promise<MailingBlocksRow> => {
    const mailing = await findMailingBlocks(k.db, params(request).id);
    if (!mailing) throw new AppError('not_found');
    return mailing;
  };
  const keyOf = (request: FastifyRequest) => {
    const key = params(request).key ?? '';
    if (!KEY_PATTERN.test(key)) throw new AppError('not_found');
    return key;
  };
  const editorUrl = (mailing: MailingBlocksRow, key?: string) => `${MAILINGS_BASE}/${mailing.id}/blocs${key ? `#bloc-${key}` : ''}`;

  async function editorPage(request: FastifyRequest, reply: FastifyReply, mailing: MailingBlocksRow, failed: { key: string; values: BlockValues; errors: FieldErrors } | null, addError?: string, status = 200) {
    const ctx = await viewContext(request, reply);
    const raw = blocksWithKeys(mailing);
    const blocks: EditorBlock[] = raw.map((b, index) => {
      const block = readBlock(b);
      const key = String(b['key']);
      const shown = failed?.key === key;
      return {
        key,
        type: b.type,
        block,
        values: shown ? failed.values : valuesOf(block ?? { type: TEXT_TYPE, html: String(b['html'] ?? '') }),
        errors: shown ? failed.errors : {},
        problem: problemOf(b, index + 1, baseUrl, ctx.t),
      };
    });
    const env = contentEnv(deps);
    const editable = isEditable(mailing);
    const [news, watch] = await Promise.all([
      editable && raw.some((b) => b.type === 'news') ? newsCandidates(env, dayStart(oneMonthBefore(oneMonthBefore(parisToday(env.now)))), CANDIDATES) : [],
      editable && raw.some((b) => b.type === 'watch') ? latestWatch(env, CANDIDATES) : [],
    ]);
    return sendPage(reply, EditorPage({ ctx, mailing, editable, blocks, newsCandidates: news, watchCandidates: watch, resolvedAt: resolvedAt(raw), addError }), status);
  }

  /** After a change: a message, then the editor at the block concerned. */
  function done(request: FastifyRequest, reply: FastifyReply, mailing: MailingBlocksRow, result: EditResult, success: 'bulletin.flash.saved' | 'bulletin.flash.moved' | 'bulletin.flash.removed' | 'bulletin.flash.added' | 'bulletin.flash.refreshed') {
    if (!result.ok) {
      flash(request, 'error', request.t(result.key));
      return reply.redirect(editorUrl(mailing), 303);
    }
    flash(request, 'success', request.t(success));
    if (result.missing > 0) flash(request, 'error', request.t('bulletin.flash.missing', { count: result.missing }));
    return reply.redirect(editorUrl(mailing, result.key), 303);
  }

  app.get(`${MAILINGS_BASE}/:id/blocs`, staff, async (request, reply) => editorPage(request, reply, await mailingOr404(request), null));

  app.post(`${MAILINGS_BASE}/:id/blocs/ajouter`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const form = parseForm(AddBlockForm, request.body);
    if (!form.ok || !isBulletinType(form.value.type)) return editorPage(request, reply, mailing, null, request.t('bulletin.error.type'), 400);
    return done(request, reply, mailing, await addBlock(deps, actorOf(request), mailing, form.value.type, translator('fr')), 'bulletin.flash.added');
  });

  app.post(`${MAILINGS_BASE}/:id/blocs/actualiser`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    return done(request, reply, mailing, await refreshBlocks(deps, actorOf(request), mailing), 'bulletin.flash.refreshed');
  });

  app.post(`${MAILINGS_BASE}/:id/blocs/:key`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    const key = keyOf(request);
    const block = blocksWithKeys(mailing).find((b) => b['key'] === key);
    if (!block) return done(request, reply, mailing, { ok: false, key: 'bulletin.error.blockGone', status: 404 }, 'bulletin.flash.saved');
    const checked = blockPatch(block.type, request.body);
    if (!checked.ok) return editorPage(request, reply, mailing, { key, values: blockValues(request.body), errors: translateErrors(checked.errors, request.t) }, undefined, 400);
    return done(request, reply, mailing, await updateBlock(deps, actorOf(request), mailing, key, checked.patch), 'bulletin.flash.saved');
  });

  const move = (path: string, direction: -1 | 1) =>
    app.post(`${MAILINGS_BASE}/:id/blocs/:key/${path}`, staff, async (request, reply) => {
      const mailing = await mailingOr404(request);
      return done(request, reply, mailing, await moveBlock(deps, actorOf(request), mailing, keyOf(request), direction), 'bulletin.flash.moved');
    });
  move('monter', -1);
  move('descendre', 1);

  app.post(`${MAILINGS_BASE}/:id/blocs/:key/supprimer`, staff, async (request, reply) => {
    const mailing = await mailingOr404(request);
    return done(request, reply, mailing, await removeBlock(deps, actorOf(request), mailing, keyOf(request)), 'bulletin.flash.removed');
  });
};

export const bulletinRoutes: FastifyPluginAsync = async (app) => {
  await app.register(monthlyRoutes);
  await app.register(bulletinEditorRoutes);
};
