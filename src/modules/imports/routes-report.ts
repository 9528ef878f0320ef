import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formBody } from '../../kernel/http/request.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { parseForm, translateErrors } from '../../kernel/validation.js';
import { batchReportCsv, queueCommit } from './batches.js';
import { isImportError } from './errors.js';
import { importDeps } from './jobs.js';
import { dayProblem } from '../../kernel/time/date-only.js';
import { legalBasisChoice } from './legal-basis.js';
import * as repo from './repo.js';
import { batchOf, first, type IdParams, progressView, type Query, staff } from './routes-common.js';
import type { LegalBasis } from './types.js';
import { type CommitValues, ISSUE_PAGE_SIZE, ReportPage, ValidationPage } from './views-wizard.js';
import { CommitSchema } from './wizard-form.js';
import { issuePage } from './wizard-repo.js';

const defaultValues: CommitValues = { mode: 'valid-only', base: 'legitimate_interest', date: '', detail: '', source_consent: '' };

/** The wizard's report step (/admin/imports/:id/rapport): the validation's progress, the report and its CSV, the import's choices and start, and the progress a running batch polls. */
export const importReportRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const deps = importDeps(k);

  async function reportPage(request: FastifyRequest, reply: FastifyReply, batch: repo.BatchRow, values: CommitValues, errors: Record<string, string> = {}, status = 200) {
    const page = pageNumber(first(request.query as Query, 'page'));
    const [{ rows, total }, earlier] = await Promise.all([
      issuePage(k.db, batch.id, ISSUE_PAGE_SIZE, (page - 1) * ISSUE_PAGE_SIZE),
      // Said again before the import is started: the file was imported before.
      repo.findCommittedBatchOfFile(k.db, batch.file_sha256, batch.id),
    ]);
    const beyond = redirectPastLastPage(request, reply, page, total, ISSUE_PAGE_SIZE);
    if (beyond) return beyond;
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ReportPage({ ctx, batch, issues: rows, issueTotal: total, page, values, errors, earlier }), status);
  }

  app.get<IdParams>('/admin/imports/:id/rapport', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    if (batch.status === 'validating') {
      const ctx = await viewContext(request, reply);
      return sendPage(reply, ValidationPage({ ctx, batch, progress: progressView(request, batch, k.clock.now()) }));
    }
    if (batch.status === 'draft') return reply.redirect(`/admin/imports/${batch.id}/correspondance`, 303);
    if (batch.status !== 'validated') return reply.redirect(`/admin/imports/${batch.id}`, 303);
    return reportPage(request, reply, batch, defaultValues);
  });

  app.get<IdParams>('/admin/imports/:id/rapport.csv', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    const name = `rapport-${batch.source_name.replace(/[^\w.-]+/g, '_')}.csv`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(batchReportCsv(deps, batch.id)));
  });

  app.post<IdParams>('/admin/imports/:id/importer', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    if (batch.status !== 'validated') return reply.redirect(`/admin/imports/${batch.id}`, 303);
    const body = formBody(request);
    const raw = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const values: CommitValues = { mode: raw('mode'), base: raw('base'), date: raw('date'), detail: raw('detail'), source_consent: raw('source_consent') };
    const parsed = parseForm(CommitSchema, body);
    // A radio or select left alone says which choice is missing (the schema's `x-required`).
    const errors: Record<string, string> = parsed.ok ? {} : translateErrors(parsed.errors, request.t);
    if (values.base === 'consent') {
      if (!values.date && !errors['date']) errors['date'] = request.t('importWizard.error.consentDate');
      if (!values.source_consent && !errors['source_consent']) errors['source_consent'] = request.t('importWizard.error.consentSource');
    }
    // Said with the other errors, not after them.
    const dateProblem = values.date && !errors['date'] ? dayProblem(values.date, k.clock.now()) : null;
    if (dateProblem) errors['date'] = request.t(dateProblem === 'future' ? 'importWizard.error.dateFuture' : 'importWizard.error.dateInvalid');
    if (!parsed.ok || Object.keys(errors).length) return reportPage(request, reply, batch, values, errors, 400);
    const v = parsed.value;
    try {
      // The same text by default as `maillage import` (legal-basis.ts), in the page's language.
      const legalBasis = legalBasisChoice(
        { basis: v.base as LegalBasis, detail: v.detail, date: v.date, consentSource: v.source_consent },
        { fileName: batch.file_name, sourceName: batch.source_name },
        k.clock.now(),
        request.locale,
      );
      await queueCommit(deps, batch.id, { mode: v.mode, legalBasis });
    } catch (error) {
      if (!isImportError(error)) throw error;
      const FIELDS: Partial<Record<string, string>> = {
        'imports.error.legalDate': 'date',
        'imports.error.consentDate': 'date',
        'imports.error.legalDetail': 'detail',
        'imports.error.consentSource': 'source_consent',
        'imports.error.legalBasis': 'base',
      };
      const field = FIELDS[error.key] ?? 'mode';
      return reportPage(request, reply, batch, values, { [field]: error.text(request.locale) }, 400);
    }
    return reply.redirect(`/admin/imports/${batch.id}`, 303);
  });

  app.get<IdParams>('/admin/imports/:id/progression', staff, async (request, reply) => {
    const batch = await batchOf(k.db, request.params.id);
    return reply.header('cache-control', 'no-store').send(progressView(request, batch, k.clock.now()));
  });
};
