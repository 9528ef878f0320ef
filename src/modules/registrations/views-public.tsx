import type { RegistrationStatus } from '../../db/schema.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Breadcrumb } from '../../kernel/ui/breadcrumb.js';
import { ErrorSummary, Field, type FieldErrors, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import type { ClosedReason } from '../events/index.js';
import type { RecapLine } from './recap.js';
import { ParticipantFields, type ParticipantFieldsProps } from './views-form.js';
import { RecapSection } from './views-recap.js';

interface EventSummary {
  title: string;
  slug: string;
  when: string;
  place: string;
}

function EventFacts({ ctx, event, online }: { ctx: ViewContext; event: EventSummary; online?: string | null }) {
  const { t } = ctx;
  return (
    <dl class="facts">
      <dt safe>{t('registrations.personal.when')}</dt>
      <dd safe>{event.when}</dd>
      {event.place ? (
        <>
          <dt safe>{t('registrations.personal.where')}</dt>
          <dd safe>{event.place}</dd>
        </>
      ) : (
        ''
      )}
      {online ? (
        <>
          <dt safe>{t('registrations.personal.online')}</dt>
          <dd>
            <a href={online} rel="noopener noreferrer" safe>
              {online}
            </a>
          </dd>
        </>
      ) : (
        ''
      )}
    </dl>
  );
}

const CSS = <link rel="stylesheet" href="/assets/registrations-public.css" />;
const SEARCH_FORM = 'registration-search';

/** « Rechercher votre structure dans l'annuaire »: a GET of the same page, what was typed kept by keep-typed.js. */
function OrganisationSearch({ ctx, q, found }: { ctx: ViewContext; q: string; found: number }) {
  const { t } = ctx;
  return (
    <div class="reg-search" role="search" aria-label={t('registrations.form.organisationSearch')}>
      <div class="inline-actions">
        <Field name="q" prefix="find" label={t('registrations.form.organisationSearch')} value={q} form={SEARCH_FORM} />
        <SubmitButton label={t('registrations.form.organisationSearchButton')} variant="secondary" form={SEARCH_FORM} />
      </div>
      {q && found === 0 ? (
        <p class="flash flash-info" role="status" safe>
          {t('registrations.form.organisationNoMatch', { q })}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

function back(ctx: ViewContext, event: EventSummary) {
  return <Breadcrumb href={`/agenda/${encodeURIComponent(event.slug)}`} label={ctx.t('registrations.backToEvent')} />;
}

export function RegistrationFormPage(
  props: { ctx: ViewContext; event: EventSummary; seatsLeft: number | null; q: string; values: Record<string, string>; errors: FieldErrors } & Omit<ParticipantFieldsProps, 'ctx' | 'values' | 'errors'>,
) {
  const { ctx, event, errors } = props;
  const { t } = ctx;
  const title = t('registrations.form.title', { title: event.title });
  const action = `/agenda/${encodeURIComponent(event.slug)}/inscription`;
  return (
    <Layout ctx={ctx} title={title}>
      {CSS}
      {back(ctx, event)}
      <h1 safe>{title}</h1>
      <EventFacts ctx={ctx} event={event} />
      <p class="lead" safe>
        {t('registrations.form.intro')}
      </p>
      <p class="hint" safe>
        {t('registrations.form.requiredHint')}
      </p>
      {props.seatsLeft === null ? (
        ''
      ) : props.seatsLeft > 0 ? (
        <p safe>{t('registrations.form.seatsLeft', { count: props.seatsLeft })}</p>
      ) : (
        <p class="flash flash-info" safe>
          {t('registrations.form.full')}
        </p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      {/* The search's own form is empty: its field and button stand in the organisation's group of
          the registration form (`form` attribute), where the hint says to search. */}
      <form method="get" action={action} id={SEARCH_FORM} data-keeps="registration-form"></form>
      <Form ctx={ctx} action={action} id="registration-form">
        <ParticipantFields {...props} search={<OrganisationSearch ctx={ctx} q={props.q} found={props.organisations.length} />} />
        <div class={errors['consent'] ? 'field field-check field-invalid' : 'field field-check'}>
          {errors['consent'] ? (
            <p class="field-error" id="f-consent-error" safe>
              {errors['consent']}
            </p>
          ) : (
            ''
          )}
          <input
            type="checkbox"
            id="f-consent"
            name="consent"
            value="1"
            checked={props.values['consent'] === '1'}
            required
            aria-invalid={errors['consent'] ? 'true' : undefined}
            aria-describedby={errors['consent'] ? 'f-consent-error' : undefined}
          />
          <label for="f-consent">
            <span safe>{t('registrations.form.consent')}</span>
            <span class="required" aria-hidden="true">
              {' *'}
            </span>
          </label>
        </div>
        <SubmitButton label={t('registrations.form.submit')} />
      </Form>
      <script src="/assets/keep-typed.js" defer></script>
    </Layout>
  );
}

export function ClosedPage({ ctx, event, reason }: { ctx: ViewContext; event: EventSummary | null; reason: ClosedReason | 'full' | 'account' | 'unknown_link' }) {
  const { t } = ctx;
  // The tab's title and the page's heading say the same thing: open to members only, or closed.
  const title = event
    ? t(reason === 'account' ? 'registrations.form.title' : 'registrations.closed.heading', { title: event.title })
    : t(reason === 'unknown_link' ? 'registrations.personal.unknownTitle' : 'registrations.closed.notFoundTitle');
  return (
    <Layout ctx={ctx} title={title}>
      {event ? back(ctx, event) : ''}
      <h1 safe>{title}</h1>
      {reason === 'account' ? (
        <>
          <p class="lead" safe>
            {t('registrations.form.accountRequired')}
          </p>
          <p>
            <a class="button" href={`/connexion?suite=${encodeURIComponent(`/agenda/${event?.slug ?? ''}/inscription`)}`} safe>
              {t('registrations.form.signIn')}
            </a>
          </p>
        </>
      ) : (
        <p class="lead" role="alert" safe>
          {reason === 'unknown_link' ? t('registrations.personal.unknown') : t(`registrations.closed.${reason}`)}
        </p>
      )}
    </Layout>
  );
}

/**
 * The answer to the form, at its own address (POST-redirect-GET): the heading names the event and
 * what happened — a seat, the waiting list, or an address already registered (nothing new kept) —
 * then, for a registration this browser made, what the person gave (`recap`; none otherwise).
 */
export function DonePage({ ctx, event, outcome, position, recap }: { ctx: ViewContext; event: EventSummary; outcome: 'registered' | 'waitlisted' | 'existing'; position: number | null; recap: RecapLine[] | null }) {
  const { t } = ctx;
  const title = t(`registrations.done.heading.${outcome}`, { title: event.title });
  return (
    <Layout ctx={ctx} title={title}>
      {CSS}
      {back(ctx, event)}
      <h1 safe>{title}</h1>
      <div class={outcome === 'existing' ? 'flash flash-info' : 'flash flash-success'} role="status">
        <p safe>{t(`registrations.done.${outcome}`, { position: position ?? '' })}</p>
      </div>
      <EventFacts ctx={ctx} event={event} />
      <RecapSection ctx={ctx} recap={recap} />
    </Layout>
  );
}

export function PersonalPage(
  props: {
    ctx: ViewContext;
    event: EventSummary;
    token: string;
    status: RegistrationStatus;
    position: number | null;
    online: string | null;
    workshops: { title: string; status: string }[];
    editable: boolean;
    values: Record<string, string>;
    errors: FieldErrors;
  } & Omit<ParticipantFieldsProps, 'ctx' | 'values' | 'errors'>,
) {
  const { ctx, event, token, errors } = props;
  const { t } = ctx;
  const title = t('registrations.personal.title', { title: event.title });
  const base = `/inscriptions/${encodeURIComponent(token)}`;
  return (
    <Layout ctx={ctx} title={title}>
      {CSS}
      {back(ctx, event)}
      <h1 safe>{title}</h1>
      <p>
        <strong safe>{t('label.colon', { label: t('registrations.personal.status') })}</strong> <span class={`badge badge-${props.status}`} safe>{t(`registrations.status.${props.status}`)}</span>
        {props.position ? <span safe>{` — ${t('registrations.personal.position', { position: props.position })}`}</span> : ''}
      </p>
      <EventFacts ctx={ctx} event={event} online={props.online} />
      {props.workshops.length ? (
        <section aria-labelledby="ws-title">
          <h2 id="ws-title" safe>
            {t('registrations.personal.workshops')}
          </h2>
          <ul>
            {props.workshops.map((w) => (
              <li safe>{`${w.title} (${w.status})`}</li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      {props.status !== 'cancelled' ? (
        <p>
          <a href={`${base}/evenement.ics`} safe>
            {t('registrations.personal.calendar')}
          </a>
        </p>
      ) : (
        <p>
          <a href={`/agenda/${encodeURIComponent(event.slug)}/inscription`} safe>
            {t('registrations.personal.registerAgain')}
          </a>
        </p>
      )}
      {props.editable ? (
        <>
          <section aria-labelledby="modify-title">
            <h2 id="modify-title" safe>
              {t('registrations.personal.modify')}
            </h2>
            <p class="hint" safe>
              {t('registrations.form.requiredHint')}
            </p>
            <ErrorSummary ctx={ctx} errors={errors} />
            <Form ctx={ctx} action={base}>
              <ParticipantFields {...props} emailLocked />
              <SubmitButton label={t('registrations.personal.save')} />
            </Form>
          </section>
          {/* Cancelling asks to confirm on a page of its own (works without JavaScript): one click
              here only leads there. */}
          <section aria-labelledby="cancel-title" class="panel reg-cancel">
            <h2 id="cancel-title" safe>
              {t('registrations.personal.cancel')}
            </h2>
            <p safe>{t('registrations.personal.cancelHint')}</p>
            <p>
              <a class="button button-danger" href={`${base}/annuler`} safe>
                {t('registrations.personal.cancel')}
              </a>
            </p>
          </section>
        </>
      ) : (
        ''
      )}
    </Layout>
  );
}

/**
 * The second step of a cancellation through the personal link: what it will do, then a real POST
 * (with its CSRF token) to confirm, or the way back to the registration, kept as it is.
 */
export function CancelConfirmPage({ ctx, event, token, status }: { ctx: ViewContext; event: EventSummary; token: string; status: RegistrationStatus }) {
  const { t } = ctx;
  const title = t('registrations.cancelConfirm.title', { title: event.title });
  const base = `/inscriptions/${encodeURIComponent(token)}`;
  return (
    <Layout ctx={ctx} title={title}>
      {CSS}
      <Breadcrumb href={base} label={t('registrations.cancelConfirm.back')} />
      <h1 safe>{title}</h1>
      <EventFacts ctx={ctx} event={event} />
      <p class="lead" safe>
        {t(status === 'waitlisted' ? 'registrations.cancelConfirm.waitlisted' : 'registrations.cancelConfirm.seated')}
      </p>
      <Form ctx={ctx} action={`${base}/annuler`} class="inline-actions reg-confirm">
        <input type="hidden" name="confirmer" value="1" />
        <SubmitButton label={t('registrations.cancelConfirm.submit')} variant="danger" />
        <a class="button button-secondary" href={base} safe>
          {t('registrations.cancelConfirm.keep')}
        </a>
      </Form>
    </Layout>
  );
}
