import { lazyRequire } from '../../kernel/lazy-require.js';
import { findDepartment } from '../../kernel/geo/communes.js';
import type { Translate } from '../../kernel/i18n/index.js';
import { DEFAULT_TIME_ZONE, wallClock } from '../../kernel/time/zoned.js';
import { spreadsheetSafe } from '../../kernel/spreadsheet.js';
import { taxonomies } from '../organisations/index.js';
import type { RegistrationDeps } from './deps.js';
import { registrationLocale } from './notify.js';
import { organisationOf } from './recap.js';
import * as repo from './repo.js';
import { answersOf, questionsOf } from './validate.js';

const excel = lazyRequire<typeof import('exceljs')>('exceljs');

/** A moment (when someone registered): a real date-time cell in Excel, « 2026-12-02 08:30 » in CSV. */
export class LocalMoment {
  constructor(readonly instant: Date) {}
}

type Cell = string | number | LocalMoment | null;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * « 2026-12-02 08:30 », Paris time: sorts as text and is read as a date-time by spreadsheets (a
 * formatted « 2 déc. 2026, 08:30 » sorts neither way).
 */
export function sortableMoment(instant: Date): string {
  const w = wallClock(instant, DEFAULT_TIME_ZONE);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** Excel has no time zones: the cell holds Paris wall-clock time (its "UTC" fields are Paris's). */
function excelMoment(instant: Date): Date {
  const w = wallClock(instant, DEFAULT_TIME_ZONE);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
}

/**
 * The participant list as a table: one header row, then one row per registration in queue order,
 * numbered 1..n as the staff list shows them all (the number is a place in the list, not an id).
 */
export async function participantTable(deps: Pick<RegistrationDeps, 'db'>, eventId: string, t: Translate): Promise<{ headers: string[]; rows: Cell[][] }> {
  const event = await repo.eventRow(deps.db, eventId);
  if (!event) return { headers: [], rows: [] };
  const [list, sessions, tax] = await Promise.all([repo.listForEvent(deps.db, eventId), repo.sessionsOf(deps.db, eventId), taxonomies(deps.db)]);
  const choices = await repo.sessionChoices(
    deps.db,
    list.map((r) => r.id),
  );
  const sessionTitle = new Map(sessions.map((s) => [s.id, s.title]));
  const kindLabel = new Map(tax.kinds.map((k) => [k.code, k.label_fr]));
  const questions = questionsOf(event.questions);
  const headers = [
    t('registrations.admin.col.sequence'),
    t('registrations.admin.col.status'),
    t('registrations.export.lastName'),
    t('registrations.export.firstName'),
    t('registrations.admin.col.email'),
    t('registrations.admin.col.locale'),
    t('registrations.export.phone'),
    t('registrations.admin.col.organisation'),
    t('registrations.export.kind'),
    t('registrations.export.department'),
    t('registrations.admin.col.workshops'),
    ...questions.map((q) => t('registrations.export.answers', { label: q.label })),
    t('registrations.admin.col.registeredAt'),
  ];
  const rows = list.map((r, i): Cell[] => {
    const answers = answersOf(r.answers);
    const dept = r.organisation_department ? findDepartment(r.organisation_department) : undefined;
    return [
      i + 1,
      t(`registrations.status.${r.status}`),
      r.last_name,
      r.first_name,
      r.email,
      // The language the person registered in, the one their emails are written in.
      t(`registrations.locale.${registrationLocale(r)}`),
      r.phone,
      organisationOf(t, r),
      r.organisation_kind ? (kindLabel.get(r.organisation_kind) ?? r.organisation_kind) : null,
      dept ? `${dept.name} (${dept.code})` : r.organisation_department,
      choices
        .filter((c) => c.registration_id === r.id && c.status !== 'cancelled')
        .map((c) => `${sessionTitle.get(c.session_id) ?? ''} (${t(`registrations.sessionStatus.${c.status}`)})`)
        .join(' | '),
      ...questions.map((q) => {
        const a = answers[q.id] ?? '';
        return q.kind === 'checkbox' ? (a === '1' ? t('registrations.form.yes') : '') : a;
      }),
      new LocalMoment(new Date(repo.registeredAt(r))),
    ];
  });
  return { headers, rows };
}

function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** UTF-8 with a BOM, `;`-separated, CRLF, text cells guarded against formulas: what French Excel opens. */
export function toCsv(table: { headers: string[]; rows: Cell[][] }): string {
  const line = (cells: Cell[]) =>
    `${cells.map((c) => csvField(c === null ? '' : typeof c === 'number' ? String(c) : c instanceof LocalMoment ? sortableMoment(c.instant) : spreadsheetSafe(c))).join(';')}\r\n`;
  return `\uFEFF${line(table.headers)}${table.rows.map(line).join('')}`;
}

export async function toXlsx(table: { headers: string[]; rows: Cell[][] }, sheetName: string): Promise<Buffer> {
  const workbook = new (excel()).Workbook();
  workbook.creator = 'Maillage';
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.headers).font = { bold: true };
  // Cells are written as values (never formulas): no guard needed, unlike CSV.
  for (const row of table.rows) {
    const added = sheet.addRow(row.map((c) => (c instanceof LocalMoment ? excelMoment(c.instant) : c)));
    row.forEach((c, i) => {
      if (c instanceof LocalMoment) added.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm';
    });
  }
  sheet.columns.forEach((c) => (c.width = 22));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
