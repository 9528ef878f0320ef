import { regionName } from '../../kernel/geo/regions.js';
import { type MessageKey, numberFormat } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Layout } from '../../kernel/ui/layout.js';

const PILLARS: { title: MessageKey; text: MessageKey; icon: string }[] = [
  { title: 'home.pillar.identify.title', text: 'home.pillar.identify.text', icon: '◎' },
  { title: 'home.pillar.inform.title', text: 'home.pillar.inform.text', icon: '✉' },
  { title: 'home.pillar.support.title', text: 'home.pillar.support.text', icon: '⇡' },
  { title: 'home.pillar.connect.title', text: 'home.pillar.connect.text', icon: '⚭' },
  { title: 'home.pillar.evaluate.title', text: 'home.pillar.evaluate.text', icon: '▤' },
];

interface HomeActors {
  total: number;
  rows: { slug: string; name: string; acronym: string | null; commune_name: string | null }[];
}

function LatestActors({ ctx, actors }: { ctx: ViewContext; actors: HomeActors }) {
  const { t } = ctx;
  if (actors.total === 0) return '';
  return (
    <section aria-labelledby="actors-title" class="section">
      <h2 id="actors-title" safe>
        {t('home.actors.title')}
      </h2>
      <p safe>{t('home.actors.count', { count: numberFormat(ctx.locale).format(actors.total) })}</p>
      <ul class="card-grid">
        {actors.rows.map((o) => (
          <li class="card">
            <h3>
              <a href={`/acteurs/${encodeURIComponent(o.slug)}`} safe>
                {o.acronym ? `${o.name} (${o.acronym})` : o.name}
              </a>
            </h3>
            {o.commune_name ? <p safe>{o.commune_name}</p> : ''}
          </li>
        ))}
      </ul>
      <p>
        <a class="button button-secondary" href="/annuaire" safe>
          {t('home.actors.all')}
        </a>
      </p>
    </section>
  );
}

/** `blocks`: the HTML of other modules' home blocks (upcoming events, calls closing soon…), in order. */
export function HomePage({ ctx, actors, blocks }: { ctx: ViewContext; actors: HomeActors; blocks: string[] }) {
  const { t, site } = ctx;
  const region = regionName(site.regionCode);
  // Each block was rendered (and escaped) by its own module's view.
  const safeBlocks = blocks.join('');
  return (
    <Layout ctx={ctx} title={t('home.title')} description={t('home.lead', { region })}>
      <section class="hero">
        <p class="eyebrow" safe>
          {t('home.eyebrow', { region })}
        </p>
        <h1 safe>{site.networkName}</h1>
        <p class="lead" safe>
          {t('home.lead', { region })}
        </p>
        <p class="hero-actions">
          <a class="button button-primary" href={`mailto:${site.contactEmail}`} safe>
            {t('home.contactUs')}
          </a>
          {ctx.user ? (
            ''
          ) : (
            <a class="button button-secondary" href="/connexion" safe>
              {t('home.memberSignIn')}
            </a>
          )}
        </p>
      </section>
      {safeBlocks}
      <section aria-labelledby="missions-title" class="section">
        <h2 id="missions-title" safe>
          {t('home.missions')}
        </h2>
        <ul class="card-grid">
          {PILLARS.map((p) => (
            <li class="card">
              <span class="card-icon" aria-hidden="true" safe>
                {p.icon}
              </span>
              <h3 safe>{t(p.title)}</h3>
              <p safe>{t(p.text)}</p>
            </li>
          ))}
        </ul>
      </section>
      <LatestActors ctx={ctx} actors={actors} />
      <section aria-labelledby="publics-title" class="section section-band">
        <h2 id="publics-title" safe>
          {t('home.publics.title')}
        </h2>
        <p safe>{t('home.publics.text')}</p>
      </section>
    </Layout>
  );
}

/** A page of prose from the catalogue: one title key and paragraphs keyed `<prefix>.pN`. */
export function ProsePage({
  ctx,
  title,
  sections,
}: {
  ctx: ViewContext;
  title: MessageKey;
  sections: { heading: MessageKey; paragraphs: MessageKey[] }[];
}) {
  const { t, site } = ctx;
  const params = { network: site.networkName, email: site.contactEmail, region: regionName(site.regionCode) };
  return (
    <Layout ctx={ctx} title={t(title)}>
      <article class="prose">
        <h1 safe>{t(title)}</h1>
        {sections.map((section) => (
          <section>
            <h2 safe>{t(section.heading, params)}</h2>
            {section.paragraphs.map((p) => (
              <p safe>{t(p, params)}</p>
            ))}
          </section>
        ))}
      </article>
    </Layout>
  );
}
