import type { ViewContext } from '../../kernel/ui/context.js';
import { Layout } from '../../kernel/ui/layout.js';
import type { ParameterDoc } from './openapi.js';

interface Operation {
  summary: string;
  parameters?: ParameterDoc[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}

const EXAMPLES: Record<string, string> = {
  '/api/v1/organisations': '/api/v1/organisations?theme=water_sanitation&pays=SN&par_page=10',
  '/annuaire.csv': '/annuaire.csv?departement=33',
  '/annuaire.xlsx': '/annuaire.xlsx?famille=association',
  '/annuaire.geojson': '/annuaire.geojson?zone=west_africa',
  '/annuaire/barometre.csv': '/annuaire/barometre.csv',
  '/api/openapi.json': '/api/openapi.json',
};

function typeOf(ctx: ViewContext, p: ParameterDoc): string {
  const s = p.schema as { type?: string; enum?: unknown[]; items?: { type?: string; enum?: unknown[] }; minimum?: number; maximum?: number };
  const describe = (x: { type?: string; enum?: unknown[]; minimum?: number; maximum?: number }) => {
    if (x.enum) return x.enum.join(' | ');
    if (x.type === 'integer' && x.minimum !== undefined && x.maximum !== undefined) return `integer (${x.minimum}–${x.maximum})`;
    return x.type ?? 'string';
  };
  if (s.type === 'array' && s.items) return `${describe(s.items)}, ${ctx.t('directory.api.repeatable')}`;
  return describe(s);
}

export function ApiDocsPage({ ctx, doc }: { ctx: ViewContext; doc: { paths: Record<string, { get: Operation }> } }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('directory.api.title')} description={t('directory.api.lead')}>
      <link rel="stylesheet" href="/assets/directory.css" />
      <article class="api-docs">
        <h1 safe>{t('directory.api.title')}</h1>
        <p class="lead" safe>
          {t('directory.api.lead')}
        </p>
        <p>
          <a href="/api/openapi.json" safe>
            {t('directory.api.openapi')}
          </a>
        </p>
        <p safe>{t('directory.api.errors')}</p>
        <p class="muted" safe>
          {t('directory.api.licence')}
        </p>
        {Object.entries(doc.paths).map(([path, { get }], i) => {
          const formats = Object.keys(get.responses['200']?.content ?? {});
          const example = EXAMPLES[path];
          return (
            <section class="api-endpoint" aria-labelledby={`endpoint-${i}`}>
              <h2 id={`endpoint-${i}`}>
                <code safe>{`GET ${path}`}</code>
              </h2>
              <p safe>{get.summary}</p>
              {formats.length ? (
                <p>
                  <span safe>{`${t('label.colon', { label: t('directory.api.format') })} `}</span>
                  <code safe>{formats.join(', ')}</code>
                </p>
              ) : (
                ''
              )}
              {example ? (
                <p>
                  <span safe>{`${t('label.colon', { label: t('directory.api.example') })} `}</span>
                  <a href={example}>
                    <code safe>{example}</code>
                  </a>
                </p>
              ) : (
                ''
              )}
              {get.parameters?.length ? (
                <div class="table-wrap">
                  <table class="table-stack">
                    <caption class="visually-hidden" safe>
                      {`${t('directory.api.parameters')} — GET ${path}`}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col" safe>
                          {t('directory.api.parameter')}
                        </th>
                        <th scope="col" safe>
                          {t('directory.api.type')}
                        </th>
                        <th scope="col" safe>
                          {t('directory.api.description')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {get.parameters.map((p) => (
                        <tr>
                          <td>
                            <code safe>{p.name}</code>
                          </td>
                          <td data-label={t('directory.api.type')} safe>
                            {typeOf(ctx, p)}
                          </td>
                          <td data-label={t('directory.api.description')} safe>
                            {p.description}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <p class="muted" safe>
                  {t('directory.api.noParameters')}
                </p>
              )}
            </section>
          );
        })}
      </article>
    </Layout>
  );
}
