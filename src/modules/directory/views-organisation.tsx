import { htmlToText } from '../../kernel/html.js';
import { formatPhone } from '../../kernel/identifiers.js';
import { dateTimeFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Layout } from '../../kernel/ui/layout.js';
import { isSocialNetwork, type Organisation } from '../organisations/index.js';
import type { Labels } from './labels.js';
import { isApproximate, jsonLd, logoPath, safeHttpUrl, scriptJson, socialLinks } from './public-record.js';

function formatDate(value: string, locale: ViewContext['locale']): string {
  return dateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(value));
}

function TagLinks({ label, items }: { label: string; items: { href: string; text: string }[] }) {
  if (items.length === 0) return '';
  return (
    <ul class="tag-list tag-links" aria-label={label}>
      {items.map((i) => (
        <li>
          <a href={i.href} safe>
            {i.text}
          </a>
        </li>
      ))}
    </ul>
  );
}

function Fact({ term, children }: { term: string; children: JSX.Element }) {
  return (
    <>
      <dt safe>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

interface OrganisationPageProps {
  ctx: ViewContext;
  o: Organisation;
  labels: Labels;
  baseUrl: string;
  /** TILE_URL: the mini map's background tiles (markers show without them). */
  tileUrl: string;
  /** Where the reader may change this record: staff in the back office, a member of it by a proposal. */
  edit?: 'staff' | 'member';
}

export function OrganisationPage({ ctx, o, labels, baseUrl, tileUrl, edit }: OrganisationPageProps) {
  const { t } = ctx;
  const filterLink = (name: string, value: string | number, path = '/annuaire') => `${path}?${new URLSearchParams({ [name]: String(value) }).toString()}`;
  const website = safeHttpUrl(o.website);
  const social = Object.entries(socialLinks(o)).map(([name, url]) => [isSocialNetwork(name) ? t(`org.social.${name}`) : name, url] as const);
  const logo = logoPath(o);
  const department = o.department_code ? labels.department(o.department_code) : null;
  const locality = [o.postcode, o.commune_name].filter(Boolean).join(' ');
  const hasPoint = o.latitude !== null && o.longitude !== null;
  const mapHref = o.department_code ? filterLink('departement', o.department_code, '/carte') : '/carte';
  const description = o.description_html ? htmlToText(o.description_html).slice(0, 160) : t('directory.lead');
  // The description is rich text sanitised by sanitiseRichText() when it was saved (organisations
  // module): it is the one HTML string this page renders as it is, hence the `safe` prefix.
  const safeDescriptionHtml = o.description_html ?? '';
  // JSON-LD is data, not script: escaped by scriptJson() (no `<` can close the element), and it
  // must not be HTML-escaped, which would break the JSON.
  const safeJsonLd = scriptJson(jsonLd(o, baseUrl));
  const identifiers = [
    o.siren ? `SIREN ${o.siren}` : '',
    o.siret ? `SIRET ${o.siret}` : '',
    o.rna ? `RNA ${o.rna}` : '',
  ].filter(Boolean);
  return (
    <Layout ctx={ctx} title={o.acronym ? `${o.name} (${o.acronym})` : o.name} description={description} share={{ image: logo ?? undefined }}>
      <link rel="stylesheet" href="/assets/directory.css" />
      {hasPoint ? (
        <>
          <link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css" />
          <link rel="stylesheet" href="/assets/map.css" />
        </>
      ) : (
        ''
      )}
      <p class="breadcrumb">
        <a href="/annuaire" safe>
          {t('directory.org.breadcrumb')}
        </a>
      </p>
      <article class="org-page">
        <header class={logo ? 'org-head org-head-logo' : 'org-head'}>
          {/* Decorative next to the name it shows: empty alt. */}
          {logo ? <img class="org-logo" src={logo} alt="" width="120" height="120" /> : ''}
          <div class="org-head-text">
            <h1>
              <span safe>{o.name}</span>
              {o.acronym ? (
                <span class="org-acronym" safe>
                  {` (${o.acronym})`}
                </span>
              ) : (
                ''
              )}
            </h1>
            <p class="org-kind">
              <a href={filterLink('famille', o.kind_code)} safe>
                {labels.kind(o.kind_code)}
              </a>
              {Number(o.is_member) === 1 ? (
                <span class="badge badge-member" safe>
                  {t('directory.org.member')}
                </span>
              ) : (
                ''
              )}
            </p>
            {edit ? (
              <p class="org-edit">
                <a class="button button-secondary button-small" href={edit === 'staff' ? `/admin/organisations/${o.id}` : `/mon-espace/structures/${o.id}/modifier`} safe>
                  {t(edit === 'staff' ? 'directory.org.editStaff' : 'directory.org.editMember')}
                </a>
              </p>
            ) : (
              ''
            )}
            {o.visibility !== 'public' ? (
              <p class="flash flash-info" safe>
                {t(o.visibility === 'members' ? 'directory.org.visibility.members' : 'directory.org.visibility.staff')}
              </p>
            ) : (
              ''
            )}
          </div>
        </header>
        <div class="org-layout">
          <div class="org-main">
            <section aria-labelledby="org-about">
              <h2 id="org-about" safe>
                {t('directory.org.about')}
              </h2>
              {safeDescriptionHtml ? (
                <div class="prose org-description">{safeDescriptionHtml}</div>
              ) : (
                <p class="muted" safe>
                  {t('directory.org.noDescription')}
                </p>
              )}
            </section>
            {o.themes.length ? (
              <section aria-labelledby="org-themes">
                <h2 id="org-themes" safe>
                  {t('directory.org.themes')}
                </h2>
                <TagLinks
                  label={t('directory.org.themes')}
                  items={[...o.themes]
                    .sort((a, b) => labels.order.themes.indexOf(a) - labels.order.themes.indexOf(b))
                    .map((c) => ({ href: filterLink('theme', c), text: labels.theme(c) }))}
                />
              </section>
            ) : (
              ''
            )}
            {o.countries.length || o.zones.length ? (
              <section aria-labelledby="org-where">
                <h2 id="org-where" safe>
                  {t('directory.org.where')}
                </h2>
                <TagLinks
                  label={t('directory.org.where')}
                  items={[
                    ...o.zones.map((c) => ({ href: filterLink('zone', c), text: labels.zone(c) })),
                    ...o.countries
                      .map((c) => ({ href: filterLink('pays', c), text: labels.country(c) }))
                      .sort((a, b) => a.text.localeCompare(b.text, ctx.locale)),
                  ]}
                />
              </section>
            ) : (
              ''
            )}
            {o.sdgs.length ? (
              <section aria-labelledby="org-sdgs">
                <h2 id="org-sdgs" safe>
                  {t('directory.org.sdgs')}
                </h2>
                <TagLinks label={t('directory.org.sdgs')} items={o.sdgs.map((c) => ({ href: filterLink('odd', c), text: labels.sdg(c) }))} />
              </section>
            ) : (
              ''
            )}
          </div>
          <aside class="org-side" aria-labelledby="org-contact">
            <h2 id="org-contact" safe>
              {t('directory.org.contact')}
            </h2>
            <dl class="facts org-facts">
              {o.address || locality ? (
                <Fact term={t('directory.org.address')}>
                  <address>
                    {o.address ? (
                      <>
                        <span safe>{o.address}</span>
                        <br />
                      </>
                    ) : (
                      ''
                    )}
                    <span safe>{locality}</span>
                  </address>
                </Fact>
              ) : (
                ''
              )}
              {department && o.department_code ? (
                <Fact term={t('directory.org.department')}>
                  <a href={filterLink('departement', o.department_code)} safe>
                    {department}
                  </a>
                </Fact>
              ) : (
                ''
              )}
              {o.phone ? (
                <Fact term={t('directory.org.phone')}>
                  <a href={`tel:${o.phone}`} safe>
                    {formatPhone(o.phone)}
                  </a>
                </Fact>
              ) : (
                ''
              )}
              {o.email ? (
                <Fact term={t('directory.org.email')}>
                  <a href={`mailto:${o.email}`} safe>
                    {o.email}
                  </a>
                </Fact>
              ) : (
                ''
              )}
              {website ? (
                <Fact term={t('directory.org.website')}>
                  <a href={website} rel="noopener" safe>
                    {website.replace(/^https?:\/\//, '')}
                  </a>
                </Fact>
              ) : (
                ''
              )}
              {social.length ? (
                <Fact term={t('directory.org.social')}>
                  <ul class="plain-list">
                    {social.map(([name, url]) => (
                      <li>
                        <a href={url} rel="noopener" safe>
                          {name}
                        </a>
                      </li>
                    ))}
                  </ul>
                </Fact>
              ) : (
                ''
              )}
              {o.founded_year ? (
                <Fact term={t('directory.org.founded')}>
                  <span safe>{String(o.founded_year)}</span>
                </Fact>
              ) : (
                ''
              )}
              {o.staff_count !== null ? (
                <Fact term={t('directory.org.staff')}>
                  <span safe>{String(o.staff_count)}</span>
                </Fact>
              ) : (
                ''
              )}
              {o.volunteer_count !== null ? (
                <Fact term={t('directory.org.volunteers')}>
                  <span safe>{String(o.volunteer_count)}</span>
                </Fact>
              ) : (
                ''
              )}
              {identifiers.length ? (
                <Fact term={t('directory.org.identifiers')}>
                  <span safe>{identifiers.join(' · ')}</span>
                </Fact>
              ) : (
                ''
              )}
            </dl>
            {hasPoint ? (
              <section aria-labelledby="org-location" class="org-location">
                <h2 id="org-location" safe>
                  {t('directory.org.location')}
                </h2>
                <div
                  class="mini-map"
                  data-mini-map
                  data-lat={String(o.latitude)}
                  data-lng={String(o.longitude)}
                  data-label={o.name}
                  data-approximate={isApproximate(o) ? 'true' : 'false'}
                  data-tile-url={tileUrl}
                  data-labels={JSON.stringify({
                    activate: t('map.js.activate'),
                    zoomIn: t('map.js.zoomIn'),
                    zoomOut: t('map.js.zoomOut'),
                  })}
                ></div>
                {isApproximate(o) ? (
                  <p class="hint" safe>
                    {t('directory.org.approximate')}
                  </p>
                ) : (
                  ''
                )}
              </section>
            ) : (
              ''
            )}
            <p>
              <a href={mapHref} safe>
                {t('directory.org.onMap')}
              </a>
            </p>
          </aside>
        </div>
        <p class="muted org-updated" safe>
          {t('directory.org.updated', { date: formatDate(o.updated_at, ctx.locale) })}
        </p>
      </article>
      <script type="application/ld+json">{safeJsonLd}</script>
      {hasPoint ? <script src="/assets/js/map.js" defer></script> : ''}
    </Layout>
  );
}
