import { escapeHtml, type PropsWithChildren } from '@kitajs/html';
import type { RegistrationStatus } from '../../db/schema.js';
import { formatDateTime } from '../../kernel/i18n/index.js';
import { formatMomentRange } from '../../kernel/time/clock-words.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { CheckboxField, describedBy, ErrorSummary, Field, type FieldErrors, FieldFrame, Form, Select, SubmitButton, TextArea } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DataTable } from '../../kernel/ui/table.js';
import type { CountRow, ParticipationCounts } from './counts.js';
import { registrationLocale } from './notify.js';
import { organisationOf } from './recap.js';
import { type RegistrationRow, registeredAt, type SessionRow } from './repo.js';
import { EMPTY_ROW, MAX_QUESTIONS, type QuestionRow } from './settings.js';
import { ParticipantFields, type ParticipantFieldsProps } from './views-form.js';

const CSS = <link rel="stylesheet" href="/assets/registrations.css" />;

export interface AdminEvent {
  id: string;
  title: string;
  when: string;
}

/**
 * An email address that may wrap after its « @ » or before a dot (the last label stays with the one
 * before it: « marc.martin@ / example.org »), never mid-word while a piece still fits its column.
 */
function EmailAddress({ email }: { email: string }) {
  const parts = email.split(/(?<=@)(?=.)|(?<=.)(?=\.[^.]*\.)/);
  return (
    <>
      {parts.map((part, i) => (
        <>
          {i > 0 ? <wbr /> : ''}
          {escapeHtml(part)}
        </>
      ))}
    </>
  );
}

function base(event: AdminEvent): string {
  return `/admin/agenda/${event.id}`;
}

function SubNav({ ctx, event }: { ctx: ViewContext; event: AdminEvent }) {
  const { t } = ctx;
  const links: [string, string][] = [
    [`${base(event)}/inscriptions`, t('registrations.admin.breadcrumb')],
    [`${base(event)}/inscriptions/reglages`, t('registrations.admin.settingsLink')],
    [`${base(event)}/ateliers`, t('registrations.admin.workshopsLink')],
    [`${base(event)}/emargement`, t('registrations.admin.signInSheet')],
  ];
  return (
    <nav aria-label={t('registrations.admin.breadcrumb')} class="reg-subnav">
      <ul>
        {links.map(([href, label]) => (
          <li>
            <a href={href} aria-current={ctx.path === href ? 'page' : undefined} safe>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Frame({ ctx, event, title, children }: PropsWithChildren<{ ctx: ViewContext; event: AdminEvent; title: string }>) {
  return (
    <Layout ctx={ctx} title={title} area="admin">
      {CSS}
      <Breadcrumb href={base(event)} label={event.title} />
      <h1 safe>{title}</h1>
      <p class="muted" safe>
        {event.when}
      </p>
      <SubNav ctx={ctx} event={event} />
      {children}
    </Layout>
  );
}

/**
 * One count table under its heading, which names it (`aria-labelledby`): its title is on the page
 * once, not again as a caption and as the name of a scrolling frame (two narrow columns never scroll).
 */
function CountTable({ ctx, id, caption, column, rows }: { ctx: ViewContext; id: string; caption: string; column: string; rows: CountRow[] }) {
  return (
    <section class="reg-count">
      <h3 id={id} safe>
        {caption}
      </h3>
      <table aria-labelledby={id}>
        <thead>
          <tr>
            <th scope="col" safe>
              {column}
            </th>
            <th scope="col" safe>
              {ctx.t('registrations.admin.countCol')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td safe>{r.label}</td>
              <td class="num" safe>
                {String(r.count)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface ParticipantListProps {
  ctx: ViewContext;
  event: AdminEvent;
  capacity: number | null;
  counts: Record<string, number>;
  filter: RegistrationStatus | '';
  rows: (RegistrationRow & { workshops: string })[];
  /** The event has workshops: without any, the list has no (always empty) workshops column. */
  hasWorkshops: boolean;
  participation: ParticipationCounts;
  targets: { id: string; label: string }[];
  add: { values: Record<string, string>; errors: FieldErrors } & Omit<ParticipantFieldsProps, 'ctx' | 'values' | 'errors'>;
  /** The erasure form as sent, when it was refused. */
  erase?: { email: string; error: string };
}

const STATUSES: RegistrationStatus[] = ['registered', 'waitlisted', 'cancelled', 'attended', 'no_show'];

export function ParticipantsPage(props: ParticipantListProps) {
  const { ctx, event, counts } = props;
  const { t } = ctx;
  const seated = (counts['registered'] ?? 0) + (counts['attended'] ?? 0) + (counts['no_show'] ?? 0) + (counts['pending'] ?? 0);
  const url = `${base(event)}/inscriptions`;
  return (
    <Frame ctx={ctx} event={event} title={t('registrations.admin.title', { title: event.title })}>
      <p class="lead" safe>
        {t(props.capacity === null ? 'registrations.admin.summaryUnlimited' : 'registrations.admin.summary', {
          registered: seated,
          capacity: props.capacity ?? '',
          waitlisted: counts['waitlisted'] ?? 0,
          cancelled: counts['cancelled'] ?? 0,
        })}
      </p>
      <p class="actions">
        <a class="button button-secondary" href={`${url}.csv`} safe>
          {t('registrations.admin.exportCsv')}
        </a>{' '}
        <a class="button button-secondary" href={`${url}.xlsx`} safe>
          {t('registrations.admin.exportXlsx')}
        </a>
      </p>
      <form method="get" action={url} class="inline-actions">
        <Select
          name="status"
          label={t('registrations.admin.filter')}
          value={props.filter}
          options={[{ value: '', label: t('registrations.admin.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`registrations.status.${s}`) }))]}
        />
        <SubmitButton label={t('registrations.admin.apply')} variant="secondary" />
      </form>
      {props.rows.length === 0 ? (
        <p safe>{t('registrations.admin.empty')}</p>
      ) : (
        <DataTable
          caption={t('registrations.admin.caption')}
          columns={[
            t('registrations.admin.col.sequence'),
            t('registrations.admin.col.name'),
            t('registrations.admin.col.email'),
            t('registrations.admin.col.locale'),
            t('registrations.admin.col.organisation'),
            t('registrations.admin.col.status'),
            ...(props.hasWorkshops ? [t('registrations.admin.col.workshops')] : []),
            t('registrations.admin.col.registeredAt'),
            t('registrations.admin.col.actions'),
          ]}
          class={props.hasWorkshops ? 'table-stack reg-participants reg-workshops' : 'table-stack reg-participants'}
        >
          {props.rows.map((r, i) => {
            const name = [r.first_name, r.last_name].filter(Boolean).join(' ');
            const statusId = `st-${r.id}`;
            const moveId = `mv-${r.id}`;
            return (
              <tr id={`r-${r.id}`}>
                {/* The place in the list as shown (queue order; with a status filter, among those shown:
                    on the waitlist, the waiting position), not the registration's internal sequence. */}
                <td class="num" data-label={t('registrations.admin.col.sequence')} safe>
                  {String(i + 1)}
                </td>
                <td data-label={t('registrations.admin.col.name')} safe>
                  {name}
                </td>
                <td class="email" data-label={t('registrations.admin.col.email')}>
                  <EmailAddress email={r.email} />
                </td>
                {/* The language the person registered in: their emails are written in it. */}
                <td data-label={t('registrations.admin.col.locale')} safe>
                  {t(`registrations.locale.${registrationLocale(r)}`)}
                </td>
                <td data-label={t('registrations.admin.col.organisation')} safe>
                  {organisationOf(t, r) ?? ''}
                </td>
                <td data-label={t('registrations.admin.col.status')}>
                  <span class={`badge badge-${r.status}`} safe>
                    {t(`registrations.status.${r.status}`)}
                  </span>
                </td>
                {props.hasWorkshops ? (
                  <td data-label={t('registrations.admin.col.workshops')} safe>
                    {r.workshops}
                  </td>
                ) : (
                  ''
                )}
                <td class="nowrap" data-label={t('registrations.admin.col.registeredAt')} safe>
                  {formatDateTime(registeredAt(r), ctx.locale)}
                </td>
                <td class="reg-actions" data-label={t('registrations.admin.col.actions')}>
                  <Form ctx={ctx} action={`${url}/${r.id}/statut`} class="inline-actions">
                    <label for={statusId} class="visually-hidden" safe>
                      {t('registrations.admin.setStatus', { name })}
                    </label>
                    <select id={statusId} name="status">
                      {STATUSES.map((s) => (
                        <option value={s} selected={s === r.status} safe>
                          {t(`registrations.status.${s}`)}
                        </option>
                      ))}
                    </select>
                    <SubmitButton label={t('registrations.admin.apply.status')} variant="secondary" />
                  </Form>
                  {props.targets.length && r.status !== 'cancelled' ? (
                    <Form ctx={ctx} action={`${url}/${r.id}/deplacer`} class="inline-actions">
                      <label for={moveId} class="visually-hidden" safe>
                        {t('registrations.admin.moveTo', { name })}
                      </label>
                      <select id={moveId} name="target">
                        <option value="" safe>
                          {t('registrations.admin.noTarget')}
                        </option>
                        {props.targets.map((e) => (
                          <option value={e.id} safe>
                            {e.label}
                          </option>
                        ))}
                      </select>
                      <SubmitButton label={t('registrations.admin.move')} variant="secondary" />
                    </Form>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
      <section aria-labelledby="counts-title">
        <h2 id="counts-title" safe>
          {t('registrations.admin.counts')}
        </h2>
        {props.participation.byKind.length + props.participation.byCollege.length + props.participation.byDepartment.length === 0 ? (
          <p safe>{t('registrations.admin.countsNone')}</p>
        ) : (
          <div class="reg-counts">
            <CountTable ctx={ctx} id="counts-kind" caption={t('registrations.admin.byKind')} column={t('registrations.admin.kindCol')} rows={props.participation.byKind} />
            <CountTable ctx={ctx} id="counts-college" caption={t('registrations.admin.byCollege')} column={t('registrations.admin.collegeCol')} rows={props.participation.byCollege} />
            <CountTable ctx={ctx} id="counts-department" caption={t('registrations.admin.byDepartment')} column={t('registrations.admin.departmentCol')} rows={props.participation.byDepartment} />
          </div>
        )}
      </section>
      <section aria-labelledby="add-title" class="panel">
        <h2 id="add-title" safe>
          {t('registrations.admin.add')}
        </h2>
        <p class="hint" safe>
          {t('registrations.form.requiredHint')}
        </p>
        <ErrorSummary ctx={ctx} errors={props.add.errors} />
        <Form ctx={ctx} action={url}>
          <ParticipantFields ctx={ctx} {...props.add} staff />
          <SubmitButton label={t('registrations.admin.addSubmit')} />
        </Form>
      </section>
      <section aria-labelledby="erase-title" class="panel">
        <h2 id="erase-title" safe>
          {t('registrations.admin.erase')}
        </h2>
        <p class="hint" safe>
          {t('registrations.admin.eraseHint')}
        </p>
        <ErrorSummary ctx={ctx} errors={props.erase ? { email: props.erase.error } : {}} prefix="erase" />
        <Form ctx={ctx} action="/admin/inscriptions/effacer" class="inline-actions">
          <input type="hidden" name="event" value={props.event.id} />
          <Field name="email" prefix="erase" type="email" label={t('registrations.admin.eraseEmail')} value={props.erase?.email} error={props.erase?.error} required />
          <SubmitButton label={t('registrations.admin.eraseSubmit')} variant="danger" />
        </Form>
      </section>
    </Frame>
  );
}

/**
 * The RGPD erasure asked from the participants page, confirmed before anything is deleted: how many
 * registrations, at which events, then « Effacer définitivement » or back to the list.
 */
export function EraseConfirmPage(props: { ctx: ViewContext; email: string; eventId: string | null; back: string; rows: { event_title: string; starts_at: string; status: RegistrationStatus }[] }) {
  const { ctx, email, rows } = props;
  const { t } = ctx;
  const title = t('registrations.admin.eraseConfirmTitle');
  return (
    <Layout ctx={ctx} title={title} area="admin">
      {CSS}
      <Breadcrumb href={props.back} label={t('registrations.admin.breadcrumb')} />
      <h1 safe>{title}</h1>
      <p safe>{t('registrations.admin.eraseConfirmText', { count: rows.length, email })}</p>
      <ul class="reg-erase-list">
        {rows.map((r) => (
          <li safe>{t('registrations.admin.eraseConfirmRow', { title: r.event_title, date: formatDateTime(r.starts_at, ctx.locale), status: t(`registrations.status.${r.status}`) })}</li>
        ))}
      </ul>
      <p safe>{t('registrations.admin.eraseConfirmWarning')}</p>
      <Form ctx={ctx} action="/admin/inscriptions/effacer" class="inline-actions">
        <input type="hidden" name="email" value={email} />
        {props.eventId ? <input type="hidden" name="event" value={props.eventId} /> : ''}
        <input type="hidden" name="confirmer" value="1" />
        <SubmitButton label={t('registrations.admin.eraseConfirmSubmit', { count: rows.length })} variant="danger" />
        <a href={props.back} safe>
          {t('registrations.admin.eraseCancel')}
        </a>
      </Form>
    </Layout>
  );
}

export interface SettingsPageProps {
  ctx: ViewContext;
  event: AdminEvent;
  values: Record<string, string>;
  /** The question editor's rows, in order (the last usually empty, for a new question). */
  rows: QuestionRow[];
  errors: FieldErrors;
  /** What « Ajouter », « Monter », « Descendre » or « Supprimer » just changed (not saved yet). */
  notice?: string;
  /** The id of the field or button the keyboard lands on once the form is shown again. */
  focus?: string;
}

const ROW_PLACEHOLDER = '__i__';

/**
 * One question of the editor: its type, label, « required » box and choices, then buttons that move
 * or remove it (they post the whole form: nothing typed is lost). `i` is its place, from 0; the
 * template copied by registrations-settings.js uses ROW_PLACEHOLDER instead.
 */
function QuestionFieldset({ ctx, i, row, errors, focus }: { ctx: ViewContext; i: number | typeof ROW_PLACEHOLDER; row: QuestionRow; errors: FieldErrors; focus?: string }) {
  const { t } = ctx;
  const n = typeof i === 'number' ? i + 1 : '__n__';
  const name = (field: string) => `q${i}_${field}`;
  const ref = t('registrations.settings.questionRef', { n });
  const button = (action: 'up' | 'down' | 'remove', label: string, variant: string) => (
    <button type="submit" id={`q${i}-${action}`} name="question_action" value={`${action}:${i}`} class={`button ${variant} reg-question-${action}`} autofocus={focus === `q${i}-${action}`}>
      <span safe>{label}</span>
      <span class="visually-hidden" safe>{` ${ref}`}</span>
    </button>
  );
  const labelId = `f-${name('label')}`;
  return (
    <fieldset class="reg-question">
      <legend safe>{t('registrations.settings.question', { n })}</legend>
      <input type="hidden" name={name('id')} value={row.id} />
      <div class="reg-question-main">
        <Select
          name={name('kind')}
          label={t('registrations.settings.questionKind')}
          value={row.kind}
          error={errors[name('kind')]}
          options={(['text', 'choice', 'checkbox'] as const).map((kind) => ({ value: kind, label: t(`registrations.settings.kind.${kind}`) }))}
        />
        <FieldFrame id={labelId} label={t('registrations.settings.questionLabel')} error={errors[name('label')]}>
          <input
            id={labelId}
            name={name('label')}
            type="text"
            value={row.label}
            maxlength="200"
            aria-invalid={errors[name('label')] ? 'true' : undefined}
            aria-describedby={describedBy(labelId, undefined, errors[name('label')])}
            autofocus={focus === labelId}
          />
        </FieldFrame>
      </div>
      <CheckboxField name={name('required')} label={t('registrations.settings.questionRequired')} checked={row.required} />
      <div class="reg-question-options">
        <TextArea name={name('options')} label={t('registrations.settings.questionOptions')} value={row.options} error={errors[name('options')]} hint={t('registrations.settings.questionOptionsHint')} rows={3} />
      </div>
      <div class="reg-question-actions">
        {button('up', t('registrations.settings.moveUp'), 'button-secondary')}
        {button('down', t('registrations.settings.moveDown'), 'button-secondary')}
        {button('remove', t('registrations.settings.remove'), 'button-danger')}
      </div>
    </fieldset>
  );
}

export function SettingsPage({ ctx, event, values, rows, errors, notice, focus }: SettingsPageProps) {
  const { t } = ctx;
  const check = (name: string, label: string) => <CheckboxField name={name} label={label} checked={values[name] === '1'} />;
  const full = rows.length >= MAX_QUESTIONS;
  return (
    <Frame ctx={ctx} event={event} title={t('registrations.settings.title', { title: event.title })}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={`${base(event)}/inscriptions/reglages`} class="stack-form reg-settings">
        {/* Enter in a field saves the form: the first submit button is the one a browser then uses, not « Monter ». */}
        <button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true" safe>
          {t('form.save')}
        </button>
        {check('registration_open', t('registrations.settings.open'))}
        <Field name="deadline_date" type="date" label={t('registrations.settings.deadlineDate')} value={values['deadline_date']} error={errors['deadline_date']} hint={t('registrations.settings.deadlineHint')} />
        <Field name="deadline_time" label={t('registrations.settings.deadlineTime')} value={values['deadline_time']} error={errors['deadline_time']} />
        <Field name="capacity" type="number" label={t('registrations.settings.capacity')} value={values['capacity']} error={errors['capacity']} hint={t('registrations.settings.capacityHint')} />
        {check('waitlist_enabled', t('registrations.settings.waitlist'))}
        {check('account_required', t('registrations.settings.accountRequired'))}
        <CheckboxField name="organisation_required" label={t('registrations.settings.organisationRequired')} checked={values['organisation_required'] === '1'} hint={t('registrations.settings.organisationRequiredHint')} />
        <fieldset class="reg-questions" aria-describedby="questions-hint">
          <legend safe>{t('registrations.settings.questions')}</legend>
          <p class="hint" id="questions-hint" safe>
            {t('registrations.settings.questionsHint')}
          </p>
          <p class="reg-questions-status" role="status" data-added={t('registrations.settings.added', { n: '{n}' })} safe>
            {notice ?? ''}
          </p>
          <div class="reg-question-list" data-question-list>
            {rows.map((row, i) => (
              <QuestionFieldset ctx={ctx} i={i} row={row} errors={errors} focus={focus} />
            ))}
          </div>
          {full ? (
            <p class="hint" safe>
              {t('registrations.settings.questionsFull')}
            </p>
          ) : (
            ''
          )}
          <p class="reg-questions-add" hidden={full}>
            <button type="submit" id="add-question" name="question_action" value="add" class="button button-secondary" data-add-question data-max={String(MAX_QUESTIONS)} autofocus={focus === 'add-question'} safe>
              {t('registrations.settings.add')}
            </button>
          </p>
          <template id="question-template">
            <QuestionFieldset ctx={ctx} i={ROW_PLACEHOLDER} row={EMPTY_ROW} errors={{}} />
          </template>
        </fieldset>
        <SubmitButton label={t('form.save')} />
      </Form>
      <script src="/assets/registrations-settings.js" defer></script>
    </Frame>
  );
}

export function WorkshopsPage(props: {
  ctx: ViewContext;
  event: AdminEvent;
  sessions: (SessionRow & { registered: number; waitlisted: number })[];
  values: Record<string, string>;
  errors: FieldErrors;
}) {
  const { ctx, event, values, errors } = props;
  const { t } = ctx;
  const url = `${base(event)}/ateliers`;
  return (
    <Frame ctx={ctx} event={event} title={t('registrations.workshops.title', { title: event.title })}>
      <p class="lead" safe>
        {t('registrations.workshops.intro')}
      </p>
      {props.sessions.length === 0 ? (
        <p safe>{t('registrations.workshops.empty')}</p>
      ) : (
        <DataTable
          caption={t('registrations.workshops.caption')}
          columns={[
            t('registrations.workshops.col.slot'),
            t('registrations.workshops.col.title'),
            t('registrations.workshops.col.room'),
            t('registrations.workshops.col.capacity'),
            t('registrations.workshops.col.registered'),
            t('registrations.workshops.col.waitlisted'),
            t('registrations.workshops.col.actions'),
          ]}
        >
          {props.sessions.map((s) => (
            <tr>
              <td safe>{formatMomentRange(s.starts_at, s.ends_at, ctx.locale)}</td>
              <td safe>{s.title}</td>
              <td safe>{s.room ?? ''}</td>
              <td class="num" safe>
                {s.capacity === null ? t('registrations.admin.unlimited') : String(s.capacity)}
              </td>
              <td class="num" safe>{String(s.registered)}</td>
              <td class="num" safe>{String(s.waitlisted)}</td>
              <td>
                <Form ctx={ctx} action={`${url}/${s.id}/supprimer`} class="inline-actions">
                  <button type="submit" class="button button-danger" aria-label={t('registrations.workshops.delete', { title: s.title })} safe>
                    {t('registrations.workshops.deleteShort')}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <section aria-labelledby="ws-add" class="panel">
        <h2 id="ws-add" safe>
          {t('registrations.workshops.add')}
        </h2>
        <ErrorSummary ctx={ctx} errors={errors} />
        <Form ctx={ctx} action={url}>
          <Field name="title" label={t('registrations.workshops.name')} value={values['title']} error={errors['title']} required />
          <Field name="room" label={t('registrations.workshops.room')} value={values['room']} error={errors['room']} />
          <Field name="date" type="date" label={t('registrations.workshops.date')} value={values['date']} error={errors['date']} required />
          <Field name="start" label={t('registrations.workshops.start')} value={values['start']} error={errors['start']} required hint={t('registrations.workshops.timeHint')} />
          <Field name="end" label={t('registrations.workshops.end')} value={values['end']} error={errors['end']} required hint={t('registrations.workshops.timeHint')} />
          <Field name="capacity" type="number" label={t('registrations.workshops.capacity')} value={values['capacity']} error={errors['capacity']} hint={t('registrations.settings.capacityHint')} />
          <SubmitButton label={t('registrations.workshops.add')} />
        </Form>
      </section>
    </Frame>
  );
}

/** The printable sign-in sheet: print CSS hides the site's frame; one line per seated participant. */
export function SignInSheetPage({ ctx, event, place, rows }: { ctx: ViewContext; event: AdminEvent; place: string; rows: RegistrationRow[] }) {
  const { t } = ctx;
  const title = t('registrations.sheet.title', { title: event.title });
  return (
    <Layout ctx={ctx} title={title} area="admin">
      {CSS}
      <div class="reg-sheet">
        <Breadcrumb href={`${base(event)}/inscriptions`} label={t('registrations.admin.breadcrumb')} />
        <h1 safe>{title}</h1>
        <p safe>{[event.when, place].filter(Boolean).join(' — ')}</p>
        <p class="reg-noprint">
          <button type="button" class="button" data-print="1" safe>
            {t('registrations.sheet.print')}
          </button>
        </p>
        <DataTable
          caption={t('registrations.sheet.caption')}
          wrap={false}
          columns={[t('registrations.admin.col.sequence'), t('registrations.admin.col.name'), t('registrations.admin.col.organisation'), t('registrations.sheet.signature')]}
        >
          {rows.map((r, i) => (
            <tr>
              <td class="num" safe>{String(i + 1)}</td>
              <td safe>{`${r.last_name.toUpperCase()} ${r.first_name ?? ''}`.trim()}</td>
              <td safe>{organisationOf(t, r) ?? ''}</td>
              <td class="reg-signature"></td>
            </tr>
          ))}
        </DataTable>
      </div>
      <script src="/assets/registrations-print.js" defer></script>
    </Layout>
  );
}
