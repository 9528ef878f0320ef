import type { AuditNameOf, AuditRow } from '../../kernel/audit/index.js';
import { formatDateTime, intlLocale, numberFormat } from '../../kernel/i18n/index.js';
import type { AuditEntityName } from '../../kernel/module.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { Pager } from '../../kernel/ui/pager.js';
import { auditActionLabel, auditActorLabel, auditEntityLabel } from '../../kernel/audit/index.js';
import { labelledOptions } from './labels.js';

interface AuditPageProps {
  ctx: ViewContext;
  rows: AuditRow[];
  /** The current name and page of each entry's record (live tables, never the log). */
  nameOf: AuditNameOf;
  total: number;
  page: number;
  filter: Record<string, string | undefined>;
  actions: string[];
  entityTypes: string[];
  errors: Record<string, string>;
}

function pretty(json: string | null): string {
  if (!json) return '—';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/**
 * A record's current name, linked to its page when it has one; nothing when it no longer exists.
 * It follows the type's label (a space between), unless the name says the type already
 * (« Compte effacé »), when it stands alone: see `showsType`.
 */
export function EntityName({ name }: { name: AuditEntityName | undefined }) {
  if (!name) return '';
  return (
    <>
      {name.saysType ? '' : ' '}
      {name.href ? (
        <a href={name.href} safe>
          {name.name}
        </a>
      ) : (
        <span safe>{name.name}</span>
      )}
    </>
  );
}

/** Whether an entry's record is shown after its type's label: not when its name says the type already (« Compte effacé », not « Compte Compte effacé »). */
export function showsType(name: AuditEntityName | undefined): boolean {
  return !name?.saysType;
}

/** Says the journal shows one record's entries only (from a record's history link), and leads back to all. */
function OneRecordNotice({ ctx, filter, name }: { ctx: ViewContext; filter: Record<string, string | undefined>; name: AuditEntityName | undefined }) {
  const { t } = ctx;
  const type = auditEntityLabel(filter['entite'] ?? '', t);
  const entity = name ? (showsType(name) ? t('audit.recordNamed', { type, name: name.name }) : name.name) : `${type} ${(filter['id'] ?? '').slice(-8)}`;
  const rest = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[0] !== 'id' && e[0] !== 'entite' && e[0] !== 'page' && Boolean(e[1])));
  return (
    <p class="flash flash-info">
      <span safe>{t('audit.oneRecord', { entity })}</span>{' '}
      <a href={`/admin/journal${rest.size ? `?${rest.toString()}` : ''}`} safe>
        {t('audit.allRecords')}
      </a>
    </p>
  );
}

export function AuditPage({ ctx, rows, nameOf, total, page, filter, actions, entityTypes, errors }: AuditPageProps) {
  const { t } = ctx;
  // « Tous » (les objets), « Toutes » (les actions): each empty choice agrees with its noun.
  const allEntities = { value: '', label: t('audit.allEntities') };
  const allActions = { value: '', label: t('audit.allActions') };
  const refused = Object.keys(errors).length > 0;
  const periodWrong = Boolean(errors['du'] || errors['au']);
  return (
    <Layout ctx={ctx} title={t('audit.title')} area="admin">
      <h1 safe>{t('audit.title')}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="get" action="/admin/journal" class="filter-bar" role="search">
        <Field name="acteur" type="email" label={t('audit.actor')} value={filter['acteur']} error={errors['acteur']} />
        <Select name="entite" label={t('audit.entity')} options={[allEntities, ...labelledOptions(entityTypes, (e) => auditEntityLabel(e, t), intlLocale(ctx.locale))]} value={filter['entite'] ?? ''} error={errors['entite']} />
        <Select name="action" label={t('audit.action')} options={[allActions, ...labelledOptions(actions, (a) => auditActionLabel(a, t), intlLocale(ctx.locale))]} value={filter['action'] ?? ''} error={errors['action']} />
        <Field name="du" type="date" label={t('audit.from')} value={filter['du']} error={errors['du']} />
        <Field name="au" type="date" label={t('audit.to')} value={filter['au']} error={errors['au']} />
        {filter['id'] ? <input type="hidden" name="id" value={filter['id']} /> : ''}
        <SubmitButton label={t('filter.apply')} variant="secondary" />
      </form>
      {filter['id'] ? <OneRecordNotice ctx={ctx} filter={filter} name={nameOf({ entity_type: filter['entite'] ?? '', entity_id: filter['id'] })} /> : ''}
      {/* A wrong filter: no list at all, and a line saying why (entries without that filter would look like the answer). */}
      <p class="result-count" role="status" safe>
        {refused ? t(periodWrong ? 'audit.fixPeriod' : 'audit.fixFilters') : t('audit.count', { count: numberFormat(ctx.locale).format(total) })}
      </p>
      {refused ? (
        ''
      ) : rows.length === 0 ? (
        <p safe>{t('audit.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="table-stack">
            <caption class="visually-hidden" safe>
              {t('audit.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col" safe>{t('audit.when')}</th>
                <th scope="col" safe>{t('audit.actor')}</th>
                <th scope="col" safe>{t('audit.action')}</th>
                <th scope="col" safe>{t('audit.entity')}</th>
                <th scope="col" safe>{t('audit.change')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td class="nowrap">
                    <time datetime={row.at} safe>
                      {formatDateTime(row.at, ctx.locale)}
                    </time>
                  </td>
                  <td data-label={t('audit.actor')} safe>
                    {auditActorLabel(row, t)}
                  </td>
                  <td data-label={t('audit.action')}>
                    <span data-action={row.action} safe>
                      {auditActionLabel(row.action, t)}
                    </span>
                  </td>
                  <td data-label={t('audit.entity')}>
                    <span>
                      {showsType(nameOf(row)) ? (
                        <span data-entity={row.entity_type} safe>
                          {auditEntityLabel(row.entity_type, t)}
                        </span>
                      ) : (
                        ''
                      )}
                      <EntityName name={nameOf(row)} />
                      {row.entity_id ? (
                        <>
                          {' '}
                          <a href={`/admin/journal?entite=${encodeURIComponent(row.entity_type)}&id=${encodeURIComponent(row.entity_id)}`} class="muted">
                            <span safe>{row.entity_id.slice(-8)}</span>
                            <span class="visually-hidden" safe>
                              {` (${t('audit.recordEntries')})`}
                            </span>
                          </a>
                        </>
                      ) : (
                        ''
                      )}
                    </span>
                  </td>
                  <td data-label={t('audit.change')}>
                    {row.before || row.after ? (
                      <details>
                        <summary safe>{t('audit.details')}</summary>
                        <div class="diff">
                          <div>
                            <strong safe>{t('audit.before')}</strong>
                            <pre safe>{pretty(row.before)}</pre>
                          </div>
                          <div>
                            <strong safe>{t('audit.after')}</strong>
                            <pre safe>{pretty(row.after)}</pre>
                          </div>
                        </div>
                      </details>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {refused ? '' : <Pager ctx={ctx} page={page} total={total} query={filter} />}
    </Layout>
  );
}
