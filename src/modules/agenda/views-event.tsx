import { sanitiseRichText } from '../../kernel/html.js';
import { formatMoment } from '../../kernel/time/clock-words.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { Layout } from '../../kernel/ui/layout.js';
import { type AgendaEvent, eventImageHref } from '../events/index.js';
import { addToCalendarLinks, eventJsonLd, scriptJson } from './jsonld.js';
import type { AgendaLabels } from './labels.js';
import { registrationOpen, seatState } from '../events/index.js';
import { eventPlace, eventWhen, isOnline, publicOnlineUrl } from './present.js';
import type { OrganiserRef } from './repo.js';
import { eventHref, StatusBadge } from './views-parts.js';
import { ShareLinks } from '../../kernel/ui/share.js';

export interface EventPageProps {
  ctx: ViewContext;
  event: AgendaEvent;
  organisers: OrganiserRef[];
  labels: AgendaLabels;
  baseUrl: string;
  tileUrl: string;
  now: Date;
  /** Seats taken (counted when the event has a seat limit). */
  seated?: number;
}

function Row({ label, children }: { label: string; children: JSX.Element }) {
  return (
    <>
      <dt safe>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Tags({ items }: { items: string[] }) {
  return (
    <ul class="tag-list">
      {items.map((i) => (
        <li safe>{i}</li>
      ))}
    </ul>
  );
}

function Registration({ ctx, event, seated, now }: { ctx: ViewContext; event: AgendaEvent; seated: number; now: Date }) {
  const { t } = ctx;
  if (Number(event.registration_open) !== 1 || event.status !== 'published') return '';
  if (!registrationOpen(event, now)) {
    return (
      <p class="event-registration" safe>
        {t('agenda.event.registrationClosed')}
      </p>
    );
  }
  const seats = seatState(event, seated);
  const deadline = event.registration_deadline ? (
    <span class="hint" safe>
      {` ${t('agenda.event.deadline', { date: formatMoment(event.registration_deadline, ctx.locale, event.time_zone || undefined) })}`}
    </span>
  ) : (
    ''
  );
  // Full without a waiting list: registering would be refused, so no button, only the word.
  if (seats.kind === 'full') {
    return (
      <p class="event-registration">
        <strong safe>{t('agenda.event.full')}</strong>
      </p>
    );
  }
  // What is left first (« 3 places restantes », « Complet — inscription en liste d’attente »), then the button.
  return (
    <p class="event-registration">
      {seats.kind === 'left' ? (
        <span safe>{t('agenda.event.seatsLeft', { count: seats.left })}</span>
      ) : seats.kind === 'waitlist' ? (
        <strong safe>{t('agenda.event.fullWaitlist')}</strong>
      ) : (
        ''
      )}
      <a class="button button-primary" href={`${eventHref(event.slug)}/inscription`} safe>
        {seats.kind === 'waitlist' ? t('agenda.event.registerWaitlist') : t('agenda.event.register')}
      </a>
      {deadline}
    </p>
  );
}

export function EventPage({ ctx, event: e, organisers, labels, baseUrl, tileUrl, now, seated = 0 }: EventPageProps) {
  const { t } = ctx;
  const place = eventPlace(e);
  const online = publicOnlineUrl(e);
  const past = new Date(e.ends_at).getTime() <= now.getTime();
  const links = addToCalendarLinks(e, baseUrl);
  const safeDescription = e.description_html ? sanitiseRichText(e.description_html) : '';
  const safeJsonLd = scriptJson(eventJsonLd(e, organisers, baseUrl));
  const hasPoint = e.latitude !== null && e.longitude !== null;
  const image = eventImageHref(e);
  return (
    <Layout ctx={ctx} title={e.title} description={e.summary ?? undefined} share={{ image: image ?? undefined, imageAlt: e.image_alt ?? undefined, type: 'article', publishedAt: e.published_at ?? undefined }}>
      <link rel="stylesheet" href="/assets/agenda.css" />
      {hasPoint ? (
        <>
          <link rel="stylesheet" href="/assets/vendor/leaflet/leaflet.css" />
          <link rel="stylesheet" href="/assets/map.css" />
        </>
      ) : (
        ''
      )}
      <Breadcrumb href="/agenda" label={t('agenda.event.back')} />
      <article class={`event-page event-${e.status}`}>
        <h1>
          <span safe>{e.title}</span> <StatusBadge ctx={ctx} status={e.status} />
        </h1>
        {e.status === 'cancelled' ? (
          <p class="notice notice-cancelled" safe>
            {t('agenda.status.cancelledLong')}
          </p>
        ) : e.status === 'postponed' ? (
          <p class="notice notice-postponed" safe>
            {t('agenda.status.postponedLong')}
          </p>
        ) : (
          ''
        )}
        {past ? (
          <p class="notice" safe>
            {t('agenda.event.past')}
          </p>
        ) : (
          ''
        )}
        {e.summary ? (
          <p class="lead" safe>
            {e.summary}
          </p>
        ) : (
          ''
        )}
        {image ? (
          <figure class="event-image">
            <img src={image} alt={e.image_alt ?? ''} />
          </figure>
        ) : (
          ''
        )}
        <div class="event-layout">
          <div class="event-content">
            {past ? '' : <Registration ctx={ctx} event={e} seated={seated} now={now} />}
            {safeDescription ? <div class="rich-text">{safeDescription}</div> : ''}
            {e.series_id ? (
              <p class="hint" safe>
                {t('agenda.event.series')}
              </p>
            ) : (
              ''
            )}
          </div>
          <aside class="event-details" aria-labelledby="event-details-title">
            <h2 id="event-details-title" safe>
              {t('agenda.event.details')}
            </h2>
            <dl>
              <Row label={t('agenda.event.when')}>
                <span safe>{eventWhen(e, ctx.locale)}</span>
              </Row>
              {place ? (
                <Row label={t('agenda.event.where')}>
                  <span safe>{place}</span>
                </Row>
              ) : (
                ''
              )}
              {isOnline(e) ? (
                <Row label={t('agenda.event.online')}>
                  {online ? (
                    <a href={online} rel="noopener noreferrer" safe>
                      {t('agenda.event.onlineJoin')}
                    </a>
                  ) : (
                    <span safe>{t('agenda.event.onlinePrivate')}</span>
                  )}
                </Row>
              ) : (
                ''
              )}
              <Row label={t('agenda.event.type')}>
                <span safe>{labels.type(e.type_code)}</span>
              </Row>
              {organisers.length ? (
                <Row label={t('agenda.event.organisers')}>
                  <ul class="plain-list">
                    {organisers.map((o) => (
                      <li>
                        {o.visibility === 'public' ? (
                          <a href={`/acteurs/${encodeURIComponent(o.slug)}`} safe>
                            {o.name}
                          </a>
                        ) : (
                          <span safe>{o.name}</span>
                        )}
                      </li>
                    ))}
                  </ul>
                </Row>
              ) : (
                ''
              )}
              {e.themes.length ? (
                <Row label={t('agenda.event.themes')}>
                  <Tags items={e.themes.map(labels.theme)} />
                </Row>
              ) : (
                ''
              )}
              {e.countries.length ? (
                <Row label={t('agenda.event.countries')}>
                  <Tags items={e.countries.map(labels.country)} />
                </Row>
              ) : (
                ''
              )}
              {e.sdgs.length ? (
                <Row label={t('agenda.event.sdgs')}>
                  <Tags items={e.sdgs.map(labels.sdg)} />
                </Row>
              ) : (
                ''
              )}
              {e.audience ? (
                <Row label={t('agenda.event.audience')}>
                  <span safe>{e.audience}</span>
                </Row>
              ) : (
                ''
              )}
              {e.price_note ? (
                <Row label={t('agenda.event.price')}>
                  <span safe>{e.price_note}</span>
                </Row>
              ) : (
                ''
              )}
            </dl>
            <h3 safe>{t('agenda.event.addToCalendar')}</h3>
            <ul class="plain-list add-to-calendar">
              <li>
                <a href={`${eventHref(e.slug)}.ics`} type="text/calendar" download="" safe>
                  {t('agenda.event.ics')}
                </a>
              </li>
              <li>
                <a href={links.google} rel="noopener noreferrer" safe>
                  {t('agenda.event.google')}
                </a>
              </li>
              <li>
                <a href={links.outlook} rel="noopener noreferrer" safe>
                  {t('agenda.event.outlook')}
                </a>
              </li>
            </ul>
            {hasPoint ? (
              <section aria-labelledby="event-map-title">
                <h3 id="event-map-title" safe>
                  {t('agenda.event.map')}
                </h3>
                <div
                  class="mini-map"
                  data-mini-map
                  data-lat={String(e.latitude)}
                  data-lng={String(e.longitude)}
                  data-approximate={e.geo_precision === 'department' ? 'true' : undefined}
                  data-label={e.venue ?? e.title}
                  data-tile-url={tileUrl}
                  data-labels={JSON.stringify({ activate: t('map.js.activate'), zoomIn: t('map.js.zoomIn'), zoomOut: t('map.js.zoomOut') })}
                ></div>
              </section>
            ) : (
              ''
            )}
          </aside>
        </div>
        <ShareLinks ctx={ctx} title={e.title} />
      </article>
      <script type="application/ld+json">{safeJsonLd}</script>
      {hasPoint ? <script src="/assets/js/map.js" defer></script> : ''}
    </Layout>
  );
}
