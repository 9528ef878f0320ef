import type { PropsWithChildren } from '@kitajs/html';
import { formatDateTime, type MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { fieldId } from '../../kernel/ui/form.js';

/** The area's stylesheet (Layout has no head slot; a body link is valid HTML5 and allowed by the CSP). */
export function AreaStyles() {
  return <link rel="stylesheet" href="/assets/backoffice.css" />;
}

export function Checkbox(props: { name: string; label: string; checked: boolean; value?: string; prefix?: string; error?: string }) {
  const id = fieldId(props.name, props.prefix);
  return (
    <div class={props.error ? 'field field-check field-invalid' : 'field field-check'}>
      <input type="checkbox" id={id} name={props.name} value={props.value ?? '1'} checked={props.checked} aria-describedby={props.error ? `${id}-error` : undefined} />
      <label for={id} safe>
        {props.label}
      </label>
      {props.error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

export function Section({ id, title, children }: PropsWithChildren<{ id: string; title: string }>) {
  return (
    <section class="bo-section" aria-labelledby={`${id}-title`} id={id}>
      <h2 id={`${id}-title`} safe>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function when(ctx: ViewContext, iso: string | null | undefined): string {
  return iso ? formatDateTime(iso, ctx.locale) : '—';
}

/** "2026-03-14" → "14/03/2026" (fr) or "14 Mar 2026" (en). */
export function day(ctx: ViewContext, ymd: string): string {
  const d = new Date(`${ymd}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return ymd;
  return new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** An audit value shown as text. */
function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function parse(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { value: text };
  }
}

export interface HistoryEntry {
  id: string;
  at: string;
  actor_email: string | null;
  action: string;
  before: string | null;
  after: string | null;
}

/** Audit entries of a record: who, when, what, and each changed field before → after. */
export function History({ ctx, entries, labels }: { ctx: ViewContext; entries: HistoryEntry[]; labels: Record<string, MessageKey> }) {
  const { t } = ctx;
  if (!entries.length) return <p safe>{t('backofficeOrganisations.history.empty')}</p>;
  return (
    <ol class="timeline bo-history">
      {entries.map((e) => {
        const before = parse(e.before);
        const after = parse(e.after);
        const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
        return (
          <li>
            <time datetime={e.at} safe>
              {when(ctx, e.at)}
            </time>
            <div>
              <p class="bo-history-head">
                <code safe>{e.action}</code>
                {' · '}
                <span safe>{e.actor_email ?? t('audit.system')}</span>
              </p>
              {fields.length ? (
                <table class="bo-diff">
                  <caption class="visually-hidden" safe>
                    {t('backofficeOrganisations.history.changes')}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col" safe>{t('backofficeOrganisations.history.field')}</th>
                      <th scope="col" safe>{t('audit.before')}</th>
                      <th scope="col" safe>{t('audit.after')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {fields.map((f) => (
                      <tr>
                        <th scope="row" safe>
                          {labels[f] ? t(labels[f]) : f}
                        </th>
                        <td safe>{show(before[f])}</td>
                        <td safe>{show(after[f])}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                ''
              )}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
