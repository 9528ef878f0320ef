import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { localLabel } from '../../kernel/i18n/index.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { taxonomies } from '../organisations/index.js';
import { batchFilePath, parseBatch } from './batch-data.js';
import { findSavedMapping, listSavedMappings, mappingEditable, saveMapping, setBatchMapping, startValidation } from './batches.js';
import { batchFailureText, isImportError } from './errors.js';
import { importDeps } from './jobs.js';
import { dataRows } from './read.js';
import type * as repo from './repo.js';
import { batchOf, type IdParams, notEditable, staff } from './routes-common.js';
import type { MappingDocument } from './types.js';
import { MappingPage } from './views-wizard.js';
import { applySavedMapping, type ColumnChoice, columnList, distinctValues, mappingCheckErrors, mappingFromForm, SavedMappingSchema } from './wizard-form.js';

/** Rows read to show samples and the values of coded columns on the mapping step. */
const SAMPLE_ROWS = 200;

/** The wizard's mapping step (/admin/imports/:id/correspondance): a field per column, saved mappings, then the validation starts. */
export const importMappingRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = importDeps(k);

  /** The columns of the mapping step: header, a few sample values, current choice and the values of coded columns. */
  async function columnsOf(batch: repo.BatchRow, mapping: MappingDocument): Promise<ColumnChoice[]> {
    const { detection } = parseBatch(batch);
    const cells: string[][] = detection.headers.map(() => []);
    let read = 0;
    for await (const rows of dataRows(batchFilePath(k.config.dataDir, batch), detection)) {
      for (const row of rows) {
        row.values.forEach((v, i) => {
          if (v.trim()) cells[i]?.push(v.trim());
        });
        if (++read >= SAMPLE_ROWS) break;
      }
      if (read >= SAMPLE_ROWS) break;
    }
    return detection.headers.map((header, index) => {
      const spec = mapping.columns[header] ?? { field: 'ignore' as const };
      const column = cells[index] ?? [];
      return { index, header, samples: [...new Set(column)].slice(0, 3).map((s) => (s.length > 60 ? `${s.slice(0, 59)}…` : s)), spec, distinct: distinctValues(column, spec) };
    });
  }

  async function mappingPage(
    request: FastifyRequest,
    reply: FastifyReply,
    batch: repo.BatchRow,
    mapping: MappingDocument,
    extra: { errors?: Record<string, string>; formError?: string; saveAs?: string } = {},
    status = 200,
  ) {
    const [columns, labels, saved, ctx] = await Promise.all([columnsOf(batch, mapping), taxonomies(k.db), listSavedMappings(deps), viewContext(request, reply)]);
    const kinds = labels.kinds.map((kind) => ({ code: kind.code, label: localLabel(kind, request.locale) }));
    const membership = { year: mapping.membershipYear ?? null, current: mapping.membershipCurrent, currentYear: k.clock.now().getUTCFullYear() };
    return sendPage(reply, MappingPage({ ctx, batch, columns, kinds, saved: saved.map((s) => s.name), visibility: mapping.visibility, membership, ...extra }), status);
  }

  /** A batch changed since the page was sent (a validation started from another page…): its mapping step as it is now says why. */
  function changedMeanwhile(request: FastifyRequest, reply: FastifyReply, batch: repo.BatchRow, message: string) {
    flash(request, 'error', message);
    return reply.redirect(`/admin/imports/${batch.id}/correspondance`, 303);
  }

  app.get<IdParams>('/admin/imports/:id/correspondance', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    if (!mappingEditable(batch, k.clock.now())) return notEditable(reply, batch);
    // A validation that stopped on a refusal (no data row…) says why above the form.
    const formError = batch.status === 'draft' ? (batchFailureText(batch, request.locale) ?? undefined) : undefined;
    return mappingPage(request, reply, batch, parseBatch(batch).mapping, { formError });
  });

  /** A saved mapping applied to this file; a refusal is said once on the mapping step (post, redirect, get). */
  app.post<IdParams>('/admin/imports/:id/modele', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    if (!mappingEditable(batch, k.clock.now())) return notEditable(reply, batch);
    const mappingUrl = `/admin/imports/${batch.id}/correspondance`;
    const refuse = (message: string) => {
      flash(request, 'error', message);
      return reply.redirect(mappingUrl, 303);
    };
    const { detection, mapping: current } = parseBatch(batch);
    const parsed = parseForm(SavedMappingSchema, request.body);
    const saved = parsed.ok ? await findSavedMapping(deps, parsed.value.modele) : undefined;
    if (!parsed.ok || !saved) return refuse(request.t('importWizard.error.savedMapping'));
    const name = parsed.value.modele;
    const applied = applySavedMapping(current, saved, detection.headers);
    if (!applied.matched.length) {
      // Made for another file: none of its columns is in this one, nothing would change.
      return refuse(request.t('importWizard.error.savedMappingNoColumn', { name, count: applied.absent.length, columns: columnList(request.t, applied.absent) }));
    }
    try {
      await setBatchMapping(deps, batch.id, applied.mapping);
    } catch (error) {
      if (!isImportError(error)) throw error;
      return refuse(error.text(request.locale));
    }
    if (applied.absent.length) {
      const message = request.t('importWizard.mapping.appliedPartly', { name, count: applied.matched.length, absent: applied.absent.length, columns: columnList(request.t, applied.absent) });
      flash(request, 'info', message);
    } else flash(request, 'success', request.t('importWizard.mapping.applied', { name }));
    return reply.redirect(mappingUrl, 303);
  });

  app.post<IdParams>('/admin/imports/:id/correspondance', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    if (!mappingEditable(batch, k.clock.now())) return notEditable(reply, batch);
    const previous = parseBatch(batch).mapping;
    const columns = await columnsOf(batch, previous);
    const { mapping, errors } = mappingFromForm(request.body, columns, previous);
    const body = formBody(request);
    const saveAs = typeof body['enregistrer_sous'] === 'string' ? body['enregistrer_sous'].trim() : '';
    if (saveAs.length > 100) errors['enregistrer_sous'] = 'imports.error.mappingName';
    if (Object.keys(errors).length) return mappingPage(request, reply, batch, mapping, { errors: translateErrors(errors, request.t), saveAs }, 400);
    const refused = mappingCheckErrors(mapping, columns, request.t);
    if (Object.keys(refused).length) return mappingPage(request, reply, batch, mapping, { errors: refused, saveAs }, 400);
    try {
      await setBatchMapping(deps, batch.id, mapping);
    } catch (error) {
      if (!isImportError(error)) throw error;
      if (error.key === 'imports.error.batchChanged') return changedMeanwhile(request, reply, batch, error.text(request.locale));
      return mappingPage(request, reply, batch, mapping, { formError: error.text(request.locale), saveAs }, 400);
    }
    if (saveAs) await saveMapping(deps, actorOf(request), saveAs, mapping);
    // The whole file is read by a job (a large file holds no request open); the report page shows its progress.
    try {
      await startValidation(deps, batch.id);
    } catch (error) {
      if (!isImportError(error)) throw error;
      return changedMeanwhile(request, reply, batch, error.text(request.locale));
    }
    if (saveAs) flash(request, 'success', request.t('importWizard.mapping.saved', { name: saveAs }));
    return reply.redirect(`/admin/imports/${batch.id}/rapport`, 303);
  });
};
