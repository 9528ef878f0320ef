import { parse } from 'csv-parse/sync';
import { recordAudit } from '../../kernel/audit/index.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';
import { decodeWindows1252 } from '../../kernel/text/windows-1252.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { recordConsent } from './consent.js';
import type { NewsletterActor, NewsletterDeps } from './deps.js';
import * as repo from './repo.js';
import { ensureSubscriber, refreshContactLink } from './subscribe.js';
import { isSuppressed } from './suppression.js';

/** The file of an import: a few megabytes at most (tens of thousands of lines). */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_ROWS = 50_000;

export interface ImportProblem {
  /** Line of the file (the header is line 1). */
  line: number;
  key: MessageKey;
  params?: Params;
}

export interface ImportReport {
  rows: number;
  valid: number;
  errors: ImportProblem[];
  warnings: ImportProblem[];
  /** Nothing was written (validation only, or errors in an all-or-nothing import). */
  dryRun: boolean;
  newSubscribers: number;
  subscriptions: number;
}

interface ValidRow {
  line: number;
  email: string;
  name: string | null;
  lists: repo.ListRow[];
  consentAt: string | null;
  consentSource: string | null;
}

/** Header names people use, folded (lower case, no accents, underscores). */
const COLUMNS: Record<'email' | 'name' | 'lists' | 'date' | 'source', string[]> = {
  email: ['email', 'e_mail', 'mail', 'courriel', 'adresse', 'adresse_email', 'adresse_mail'],
  name: ['name', 'nom', 'nom_complet', 'prenom_nom', 'full_name'],
  lists: ['lists', 'list', 'listes', 'liste'],
  date: ['consent_date', 'date_consentement', 'date_du_consentement', 'date_de_consentement', 'date', 'consentement_le'],
  source: ['consent_source', 'source_consentement', 'source_du_consentement', 'source', 'origine'],
};

function fold(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Text of the file: UTF-8 (BOM removed), or Windows-1252 when it is not valid UTF-8 (Excel's French CSV). */
export function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return decodeWindows1252(bytes);
  }
}

/** `AAAA-MM-JJ`, `JJ/MM/AAAA` or an ISO instant → an instant (noon UTC for a bare date); null when unreadable. */
export function parseConsentDate(text: string, now: Date): string | null | 'future' {
  const value = text.trim();
  let iso: string | null = null;
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (fr) iso = `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) iso = value;
  let date: Date;
  if (iso) {
    date = new Date(`${iso}T12:00:00.000Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) return null;
  } else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    date = new Date(value);
    if (Number.isNaN(date.getTime())) return null;
  } else return null;
  if (date.getTime() > now.getTime() + 86_400_000) return 'future';
  return date.toISOString();
}

/** Reads and checks every line; nothing is written. */
export async function validateImport(deps: Pick<NewsletterDeps, 'db' | 'clock'>, bytes: Buffer, defaultListIds: string[]): Promise<{ rows: ValidRow[]; errors: ImportProblem[]; warnings: ImportProblem[]; total: number }> {
  const text = decodeCsv(bytes);
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true, max_record_size: 64 * 1024 }) as string[][];
  } catch {
    return { rows: [], errors: [{ line: 1, key: 'newsletter.import.error.unreadable' }], warnings: [], total: 0 };
  }
  const [header, ...lines] = records;
  if (!header) return { rows: [], errors: [{ line: 1, key: 'newsletter.import.error.empty' }], warnings: [], total: 0 };
  if (lines.length > MAX_ROWS) return { rows: [], errors: [{ line: 1, key: 'newsletter.import.error.tooManyRows', params: { max: MAX_ROWS } }], warnings: [], total: lines.length };
  const folded = header.map(fold);
  const column = (kind: keyof typeof COLUMNS) => folded.findIndex((h) => COLUMNS[kind].includes(h));
  const at = { email: column('email'), name: column('name'), lists: column('lists'), date: column('date'), source: column('source') };
  if (at.email === -1) return { rows: [], errors: [{ line: 1, key: 'newsletter.import.error.noEmailColumn' }], warnings: [], total: lines.length };
  const allLists = await repo.listLists(deps.db);
  const byName = new Map(allLists.flatMap((l) => [[l.name.trim().toLowerCase(), l] as const, [l.id, l] as const]));
  const defaults = allLists.filter((l) => defaultListIds.includes(l.id));
  const now = deps.clock.now();
  const seen = new Set<string>();
  const rows: ValidRow[] = [];
  const errors: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  lines.forEach((cells, index) => {
    const line = index + 2;
    const cell = (i: number) => (i >= 0 ? (cells[i] ?? '').trim() : '');
    const email = cell(at.email);
    if (!email) return errors.push({ line, key: 'newsletter.import.error.emailMissing' });
    if (email.length > 254 || !EMAIL_PATTERN.test(email)) return errors.push({ line, key: 'newsletter.import.error.email', params: { value: email.slice(0, 80) } });
    if (seen.has(email.toLowerCase())) return warnings.push({ line, key: 'newsletter.import.warning.duplicate', params: { email } });
    const listNames = cell(at.lists)
      .split(/[;|,]/)
      .map((n) => n.trim())
      .filter(Boolean);
    const unknown = listNames.find((n) => !byName.has(n.toLowerCase()) && !byName.has(n));
    if (unknown) return errors.push({ line, key: 'newsletter.import.error.list', params: { value: unknown.slice(0, 80) } });
    const lists = listNames.length ? [...new Map(listNames.map((n) => byName.get(n.toLowerCase()) ?? byName.get(n)!).map((l) => [l.id, l])).values()] : defaults;
    if (lists.length === 0) return errors.push({ line, key: 'newsletter.import.error.noList' });
    const dateText = cell(at.date);
    const consentAt = dateText ? parseConsentDate(dateText, now) : null;
    if (consentAt === 'future') return errors.push({ line, key: 'newsletter.import.error.dateFuture', params: { value: dateText.slice(0, 40) } });
    if (dateText && consentAt === null) return errors.push({ line, key: 'newsletter.import.error.date', params: { value: dateText.slice(0, 40) } });
    const name = cell(at.name).slice(0, 120) || null;
    const consentSource = cell(at.source).slice(0, 200) || null;
    if (!dateText || !consentSource) warnings.push({ line, key: 'newsletter.import.warning.consentIncomplete', params: { email } });
    seen.add(email.toLowerCase());
    rows.push({ line, email, name, lists, consentAt, consentSource });
  });
  return { rows, errors, warnings, total: lines.length };
}

/**
 * Imports subscribers with their consent history (no new consent asked): each list becomes a
 * confirmed subscription whose consent event keeps the original date and source. In one
 * transaction: the file is imported whole or not at all. People who unsubscribed before, and
 * suppressed addresses, are never subscribed again by an import.
 */
export async function importSubscribers(
  deps: Pick<NewsletterDeps, 'db' | 'clock'>,
  actor: NewsletterActor,
  input: { bytes: Buffer; fileName: string; defaultListIds: string[]; dryRun: boolean; skipInvalid: boolean },
): Promise<ImportReport> {
  const { rows, errors, warnings, total } = await validateImport(deps, input.bytes, input.defaultListIds);
  const report: ImportReport = { rows: total, valid: rows.length, errors, warnings, dryRun: true, newSubscribers: 0, subscriptions: 0 };
  if (input.dryRun || rows.length === 0 || (errors.length > 0 && !input.skipInvalid)) return report;
  const now = deps.clock.now();
  const importedOn = now.toISOString().slice(0, 10);
  await deps.db.transaction().execute(async (trx) => {
    const tx = { db: trx, clock: deps.clock };
    for (const row of rows) {
      const ensured = await ensureSubscriber(tx, row.email, { name: row.name });
      if (ensured.created) report.newSubscribers++;
      const subscriber = await refreshContactLink(tx, ensured.subscriber);
      if (!subscriber.name && row.name) await repo.updateSubscriber(trx, subscriber.id, { name: row.name, updated_at: now.toISOString() });
      if (await isSuppressed(trx, subscriber.email_lower)) {
        warnings.push({ line: row.line, key: 'newsletter.import.warning.suppressed', params: { email: row.email } });
        continue;
      }
      const current = new Map((await repo.subscriptionsOf(trx, subscriber.id)).map((s) => [s.list_id, s.status]));
      const detail = [`Consentement d’origine : ${row.consentSource ?? 'non précisé'}`, row.consentAt ? null : 'date d’origine inconnue', `importé le ${importedOn} (${input.fileName.slice(0, 100)}, ligne ${row.line})`].filter(Boolean).join(' — ');
      for (const list of row.lists) {
        const status = current.get(list.id);
        if (status === 'confirmed') continue;
        if (status === 'unsubscribed') {
          warnings.push({ line: row.line, key: 'newsletter.import.warning.unsubscribed', params: { email: row.email, list: list.name } });
          continue;
        }
        await repo.upsertSubscription(trx, subscriber.id, list.id, 'confirmed', now.toISOString());
        await recordConsent(trx, subscriber, [{ action: 'subscribed', source: 'import', list, detail, recordedBy: actor.id, at: row.consentAt ?? now.toISOString() }]);
        report.subscriptions++;
      }
    }
  });
  report.dryRun = false;
  warnings.sort((a, b) => a.line - b.line);
  await recordAudit(deps.db, actor, { action: 'newsletter_import.done', entityType: 'newsletter_import', entityId: null, after: { file: input.fileName, rows: total, valid: rows.length, errors: errors.length, newSubscribers: report.newSubscribers, subscriptions: report.subscriptions } }, now);
  return report;
}
