import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.js';
import { localLabel, type MessageKey, numberFormat, sizedMessage } from '../../kernel/i18n/index.js';
import { isUploadedFile, keepUpload } from '../../kernel/files/uploads.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { newId } from '../../kernel/ids.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { taxonomies } from '../organisations/index.js';
import { batchFilePath, deletable, parseBatch, undoRefusal } from './batch-data.js';
import {
  batchReportCsv,
  createBatch,
  findSavedMapping,
  inspectFile,
  isStaleValidation,
  listSavedMappings,
  mappingEditable,
  queueCommit,
  saveMapping,
  setBatchMapping,
  setBatchReading,
  sourceNameOf,
  startValidation,
} from './batches.js';
import { progressOf } from './commit.js';
import { deleteBatch } from './delete.js';
import { batchFailureText, isImportError } from './errors.js';
import { importDeps } from './jobs.js';
import { releaseImportFiles } from './retention.js';
import { legalBasisChoice, legalDateProblem } from './legal-basis.js';
import { dataRows, DELIMITER_LABEL, readPreview } from './read.js';
import * as repo from './repo.js';
import type { ImportActor, LegalBasis, MappingDocument } from './types.js';
import {
  BATCH_PAGE_SIZE,
  BatchListPage,
  BatchPage,
  type CommitValues,
  DetectionPage,
  ISSUE_PAGE_SIZE,
  MappingPage,
  type ProgressView,
  progressText,
  statusLabel as statusLabelOf,
  ReportPage,
  validationText,
  UndoPage,
  ValidationPage,
} from './views-wizard.js';
import {
  applySavedMapping,
  type ColumnChoice,
  columnList,
  CommitSchema,
  DeleteSchema,
  distinctValues,
  mappingCheckErrors,
  mappingFromForm,
  readingErrorField,
  readingFromForm,
  SavedMappingSchema,
  UploadSchema,
  uploadCap,
  uploadMultipartOptions,
} from './wizard-form.js';
import { issuePage, listBatchPage } from './wizard-repo.js';
import { undoBatch, undoBlockers } from './undo.js';

type IdParams = { Params: { id: string } };
type Query = Record<string, string | string[] | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The duplicates module's full scan (named, not imported: that module depends on this one). */
const DUPLICATE_SCAN_JOB = 'duplicates.scan';
/** Rows read to show samples and the values of coded columns on the mapping step. */
const SAMPLE_ROWS = 200;

function first(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[0] : v;
}

function actorOf(request: FastifyRequest): ImportActor {
  if (!request.user) throw new AppError('forbidden');
  return { id: request.user.id, email: request.user.email, ip: request.ip };
}

/** The import wizard (/admin/imports): upload, detection, mapping, report and choices, progress, undo, deletion of what wrote nothing. */
export const importRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = importDeps(k);
  const staff = { config: { access: 'staff' as const } };

  async function batchOf(id: string): Promise<repo.BatchRow> {
    const batch = UUID.test(id) ? await repo.findBatch(k.db, id) : undefined;
    if (!batch) throw new AppError('not_found');
    return batch;
  }

  async function listPage(request: FastifyRequest, reply: FastifyReply, extra: { errors?: Record<string, string>; values?: { source?: string } } = {}, status = 200) {
    const page = pageNumber(first(request.query as Query, 'page'));
    const { rows, total } = await listBatchPage(k.db, BATCH_PAGE_SIZE, (page - 1) * BATCH_PAGE_SIZE);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, BatchListPage({ ctx, batches: rows, total, page, maxBytes: uploadCap.bytes, ...extra }), status);
  }

  app.get('/admin/imports', staff, async (request, reply) => listPage(request, reply));

  app.post('/admin/imports', { config: { access: 'staff' as const, multipartOptions: uploadMultipartOptions } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const upload = isUploadedFile(body['fichier']) ? body['fichier'] : null;
    const parsed = parseForm(UploadSchema, body);
    const typed = typeof body['source'] === 'string' ? body['source'].trim() : '';
    const values = { source: typed };
    if (!upload || (upload.size === 0 && !upload.filename)) {
      return listPage(request, reply, { errors: { fichier: request.t('importWizard.error.fileMissing') }, values }, 400);
    }
    if (upload.truncated || upload.size > uploadCap.bytes) {
      // The kernel removes the partial file before the answer leaves.
      return listPage(request, reply, { errors: { fichier: sizedMessage(request.locale, 'imports.error.tooLarge', { maxBytes: uploadCap.bytes }) }, values }, 413);
    }
    if (!parsed.ok) return listPage(request, reply, { errors: translateErrors(parsed.errors, request.t), values }, 400);
    try {
      const inspection = await inspectFile(deps, upload.tmpPath, upload.size);
      const stored = await keepUpload(k.config.dataDir, upload, newId(), inspection.detection.format);
      const batch = await createBatch(deps, actorOf(request), {
        filePath: stored,
        fileName: upload.filename || 'import',
        sourceName: typed || sourceNameOf(upload.filename || 'import'),
        inspection,
      });
      return reply.redirect(`/admin/imports/${batch.id}/fichier`, 303);
    } catch (error) {
      if (!isImportError(error)) throw error;
      const field = error.key === 'imports.error.sourceName' ? 'source' : 'fichier';
      return listPage(request, reply, { errors: { [field]: error.text(request.locale) }, values }, 400);
    }
  });

  /** The file step: the file as the batch reads it (its stored reading), and the form to read it otherwise. */
  async function detectionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    batch: repo.BatchRow,
    extra: { errors?: Record<string, string>; values?: Record<string, string> } = {},
    status = 200,
  ) {
    if (!batch.file_path) {
      flash(request, 'error', request.t('importWizard.fileReleased'));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    let detection;
    try {
      detection = await readPreview(batchFilePath(k.config.dataDir, batch), parseBatch(batch).detection);
    } catch (error) {
      if (!isImportError(error)) throw error;
      flash(request, 'error', error.text(request.locale));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    const ctx = await viewContext(request, reply);
    return sendPage(reply, DetectionPage({ ctx, batch, detection, editable: editable(batch), ...extra }), status);
  }

  app.get<IdParams>('/admin/imports/:id/fichier', staff, async (request, reply) => detectionPage(request, reply, await batchOf(request.params.id)));

  /** The encoding, separator and quotes chosen on the file step: the batch reads the file so from now on. */
  app.post<IdParams>('/admin/imports/:id/lecture', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    if (!editable(batch)) return notEditable(reply, batch);
    if (!batch.file_path) return detectionPage(request, reply, batch);
    const { choice, values, errors } = readingFromForm(request.body);
    if (Object.keys(errors).length) return detectionPage(request, reply, batch, { errors: translateErrors(errors, request.t), values }, 400);
    let result;
    try {
      result = await setBatchReading(deps, batch.id, choice);
    } catch (error) {
      if (!isImportError(error)) throw error;
      const current = parseBatch(batch).detection.text;
      if (!current) {
        flash(request, 'error', error.text(request.locale));
        return reply.redirect(`/admin/imports/${batch.id}/fichier`, 303);
      }
      return detectionPage(request, reply, batch, { errors: { [readingErrorField(error.key, choice, current)]: error.text(request.locale) }, values }, 400);
    }
    const text = result.detection.text!;
    const params = { encoding: request.t(`imports.encoding.${text.encoding}` as MessageKey), separator: request.t(DELIMITER_LABEL[text.delimiter]!) };
    if (!result.changed) flash(request, 'info', request.t('importWizard.reading.unchanged'));
    else flash(request, 'success', request.t(result.columnsChanged ? 'importWizard.reading.doneColumns' : 'importWizard.reading.done', params));
    return reply.redirect(`/admin/imports/${batch.id}/fichier`, 303);
  });

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
    return sendPage(reply, MappingPage({ ctx, batch, columns, kinds, saved: saved.map((s) => s.name), visibility: mapping.visibility, ...extra }), status);
  }

  function editable(batch: repo.BatchRow): boolean {
    return mappingEditable(batch, k.clock.now());
  }

  /** Where a batch whose mapping can no longer change is shown: its validation's progress, or its import. */
  function notEditable(reply: FastifyReply, batch: repo.BatchRow) {
    return reply.redirect(batch.status === 'validating' ? `/admin/imports/${batch.id}/rapport` : `/admin/imports/${batch.id}`, 303);
  }

  app.get<IdParams>('/admin/imports/:id/correspondance', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    if (!editable(batch)) return notEditable(reply, batch);
    // A validation that stopped on a refusal (no data row…) says why above the form.
    const formError = batch.status === 'draft' ? (batchFailureText(batch, request.locale) ?? undefined) : undefined;
    return mappingPage(request, reply, batch, parseBatch(batch).mapping, { formError });
  });

  /** A saved mapping applied to this file; a refusal is said once on the mapping step (post, redirect, get). */
  app.post<IdParams>('/admin/imports/:id/modele', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    if (!editable(batch)) return notEditable(reply, batch);
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
    const batch = await batchOf(request.params.id);
    if (!editable(batch)) return notEditable(reply, batch);
    const previous = parseBatch(batch).mapping;
    const columns = await columnsOf(batch, previous);
    const { mapping, errors } = mappingFromForm(request.body, columns, previous);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const saveAs = typeof body['enregistrer_sous'] === 'string' ? body['enregistrer_sous'].trim() : '';
    if (saveAs.length > 100) errors['enregistrer_sous'] = 'imports.error.mappingName';
    if (Object.keys(errors).length) return mappingPage(request, reply, batch, mapping, { errors: translateErrors(errors, request.t), saveAs }, 400);
    const refused = mappingCheckErrors(mapping, columns, request.t);
    if (Object.keys(refused).length) return mappingPage(request, reply, batch, mapping, { errors: refused, saveAs }, 400);
    try {
      await setBatchMapping(deps, batch.id, mapping);
    } catch (error) {
      if (!isImportError(error)) throw error;
      return mappingPage(request, reply, batch, mapping, { formError: error.text(request.locale), saveAs }, 400);
    }
    if (saveAs) await saveMapping(deps, actorOf(request), saveAs, mapping);
    // The whole file is read by a job (a large file holds no request open); the report page shows its progress.
    await startValidation(deps, batch.id);
    if (saveAs) flash(request, 'success', request.t('importWizard.mapping.saved', { name: saveAs }));
    return reply.redirect(`/admin/imports/${batch.id}/rapport`, 303);
  });

  const defaultValues: CommitValues = { mode: 'valid-only', base: 'legitimate_interest', date: '', detail: '', source_consent: '' };

  async function reportPage(request: FastifyRequest, reply: FastifyReply, batch: repo.BatchRow, values: CommitValues, errors: Record<string, string> = {}, status = 200) {
    const page = pageNumber(first(request.query as Query, 'page'));
    const { rows, total } = await issuePage(k.db, batch.id, ISSUE_PAGE_SIZE, (page - 1) * ISSUE_PAGE_SIZE);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ReportPage({ ctx, batch, issues: rows, issueTotal: total, page, values, errors }), status);
  }

  app.get<IdParams>('/admin/imports/:id/rapport', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    if (batch.status === 'validating') {
      const ctx = await viewContext(request, reply);
      return sendPage(reply, ValidationPage({ ctx, batch, progress: progressView(request, batch) }));
    }
    if (batch.status === 'draft') return reply.redirect(`/admin/imports/${batch.id}/correspondance`, 303);
    if (batch.status !== 'validated') return reply.redirect(`/admin/imports/${batch.id}`, 303);
    return reportPage(request, reply, batch, defaultValues);
  });

  app.get<IdParams>('/admin/imports/:id/rapport.csv', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    const name = `rapport-${batch.source_name.replace(/[^\w.-]+/g, '_')}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(batchReportCsv(deps, batch.id)));
  });

  app.post<IdParams>('/admin/imports/:id/importer', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    if (batch.status !== 'validated') return reply.redirect(`/admin/imports/${batch.id}`, 303);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const raw = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const values: CommitValues = { mode: raw('mode'), base: raw('base'), date: raw('date'), detail: raw('detail'), source_consent: raw('source_consent') };
    const parsed = parseForm(CommitSchema, body);
    // A radio or select left alone says which choice is missing, not just "required".
    const errors: Record<string, string> = parsed.ok
      ? {}
      : translateErrors({ ...parsed.errors, ...(parsed.errors['mode'] ? { mode: 'importWizard.error.mode' } : {}), ...(parsed.errors['base'] ? { base: 'importWizard.error.base' } : {}) }, request.t);
    if (values.base === 'consent') {
      if (!values.date && !errors['date']) errors['date'] = request.t('importWizard.error.consentDate');
      if (!values.source_consent && !errors['source_consent']) errors['source_consent'] = request.t('importWizard.error.consentSource');
    }
    // Said with the other errors, not after them.
    const dateProblem = values.date && !errors['date'] ? legalDateProblem(values.date, k.clock.now()) : null;
    if (dateProblem) errors['date'] = request.t(dateProblem === 'future' ? 'importWizard.error.dateFuture' : 'importWizard.error.dateInvalid');
    if (!parsed.ok || Object.keys(errors).length) return reportPage(request, reply, batch, values, errors, 400);
    const v = parsed.value;
    let detail = v.detail ?? '';
    if (!detail && v.base === 'legitimate_interest') {
      detail = request.t(v.date ? 'importWizard.base.defaultDetailDated' : 'importWizard.base.defaultDetail', { source: batch.source_name, date: v.date ?? '' });
    }
    if (v.base === 'consent') detail = request.t('importWizard.base.consentDetail', { detail: detail || request.t('importWizard.base.consent'), source: v.source_consent ?? '' });
    try {
      const legalBasis = legalBasisChoice({ basis: v.base as LegalBasis, detail, date: v.date }, { fileName: batch.file_name, sourceName: batch.source_name }, k.clock.now());
      await queueCommit(deps, batch.id, { mode: v.mode, legalBasis });
    } catch (error) {
      if (!isImportError(error)) throw error;
      const field = error.key === 'imports.error.legalDate' ? 'date' : error.key === 'imports.error.legalDetail' ? 'detail' : error.key === 'imports.error.legalBasis' ? 'base' : 'mode';
      return reportPage(request, reply, batch, values, { [field]: error.text(request.locale) }, 400);
    }
    return reply.redirect(`/admin/imports/${batch.id}`, 303);
  });

  function progressView(request: FastifyRequest, batch: repo.BatchRow): ProgressView {
    const statusLabel = statusLabelOf(request.t, batch.status);
    if (batch.status === 'validating') {
      // The number of rows is known at the end only: rows read so far and their pace, no percentage.
      const seconds = batch.run_started_at && batch.progress_at ? (Date.parse(batch.progress_at) - Date.parse(batch.run_started_at)) / 1000 : 0;
      const rowsPerSecond = seconds > 0 && batch.processed_rows > 0 ? batch.processed_rows / seconds : null;
      const base = { status: batch.status, statusLabel, percent: null, done: batch.processed_rows, total: batch.processed_rows, rowsPerSecond, etaSeconds: null };
      // A validation whose worker died stops being polled: the page says to run it again.
      if (isStaleValidation(batch, k.clock.now())) return { ...base, text: request.t('importWizard.validation.stalled'), running: false };
      return { ...base, text: validationText(request.t, request.locale, base), running: true };
    }
    const p = progressOf(batch);
    const base = { status: batch.status, statusLabel, percent: p.percent, done: p.done, total: p.total, rowsPerSecond: p.rowsPerSecond, etaSeconds: p.etaSeconds };
    const running = batch.status === 'queued' || batch.status === 'running';
    const text = running || batch.status === 'committed' ? progressText(request.t, request.locale, base) : statusLabel;
    return { ...base, text, running };
  }

  app.get<IdParams>('/admin/imports/:id', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    const ctx = await viewContext(request, reply);
    return sendPage(reply, BatchPage({ ctx, batch, progress: progressView(request, batch), now: k.clock.now() }));
  });

  app.post<IdParams>('/admin/imports/:id/supprimer', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    const parsed = parseForm(DeleteSchema, request.body);
    // A batch that wrote records is refused by deleteBatch, whatever the box says.
    if (deletable(batch) && !parsed.ok) {
      const ctx = await viewContext(request, reply);
      const errors = translateErrors(parsed.errors, request.t);
      return sendPage(reply, BatchPage({ ctx, batch, progress: progressView(request, batch), now: k.clock.now(), errors }), 400);
    }
    try {
      await deleteBatch(deps, actorOf(request), batch.id);
    } catch (error) {
      if (!isImportError(error)) throw error;
      flash(request, 'error', error.text(request.locale));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    flash(request, 'success', request.t('importWizard.delete.done', { file: batch.file_name }));
    return reply.redirect('/admin/imports', 303);
  });

  app.get<IdParams>('/admin/imports/:id/progression', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    return reply.header('cache-control', 'no-store').send(progressView(request, batch));
  });

  app.post<IdParams>('/admin/imports/:id/analyse-doublons', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    // The same key as the duplicates queue's button: one scan a minute whichever page asked.
    const minute = Math.floor(k.clock.now().getTime() / 60_000);
    const id = await k.jobs.enqueue(DUPLICATE_SCAN_JOB, {}, { idempotencyKey: `duplicates.scan:manual:${minute}` });
    flash(request, id ? 'success' : 'info', request.t(id ? 'importWizard.batch.scanQueued' : 'importWizard.batch.scanAlready'));
    return reply.redirect(`/admin/imports/${batch.id}`, 303);
  });

  app.get<IdParams>('/admin/imports/:id/annuler', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    const refusal = undoRefusal(batch, k.clock.now());
    if (refusal) {
      flash(request, 'info', refusal.text(request.locale));
      return reply.redirect(`/admin/imports/${batch.id}`, 303);
    }
    const [blocked, ctx] = await Promise.all([undoBlockers(deps.db, batch.id), viewContext(request, reply)]);
    return sendPage(reply, UndoPage({ ctx, batch, blocked: blocked?.text(request.locale) ?? null }));
  });

  app.post<IdParams>('/admin/imports/:id/annuler', staff, async (request, reply) => {
    const batch = await batchOf(request.params.id);
    try {
      const removed = await undoBatch(deps, actorOf(request), batch.id);
      await releaseImportFiles(deps);
      flash(request, 'success', request.t('importWizard.undo.done', { organisations: numberFormat(request.locale).format(removed.organisations), contacts: numberFormat(request.locale).format(removed.contacts) }));
    } catch (error) {
      if (!isImportError(error)) throw error;
      // Undone already (a second click): said as information, not as a failure.
      flash(request, error.key === 'imports.error.alreadyUndone' ? 'info' : 'error', error.text(request.locale));
    }
    return reply.redirect(`/admin/imports/${batch.id}`, 303);
  });
};
