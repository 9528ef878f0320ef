import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, type FieldErrors, fieldId, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { DuplicateWarning, type PossibleDuplicate } from '../organisations/index.js';
import { Message } from './views-admin.js';

const CSS = <link rel="stylesheet" href="/assets/moderation.css" />;

/** The field only robots fill: out of sight, out of the tab order and hidden from assistive technologies. */
export const HONEYPOT = 'site_web_bis';

/** The account request's « Rechercher » button: the page comes back with the structures found and what was typed. */
export const SEARCH_ACTION = 'rechercher';
/** The button that turns the request between « my organisation is listed » and « I propose it », keeping what was typed. */
export const SWITCH_ACTION = 'basculer';

function Honeypot({ ctx }: { ctx: ViewContext }) {
  return (
    <div class="mod-hp" aria-hidden="true">
      <label for="f-hp" safe>
        {ctx.t('moderation.honeypot')}
      </label>
      <input id="f-hp" type="text" name={HONEYPOT} value="" tabindex="-1" autocomplete="off" />
    </div>
  );
}

function ProposerFields({ ctx, values, errors }: { ctx: ViewContext; values: Record<string, string>; errors: FieldErrors }) {
  const { t } = ctx;
  return (
    <fieldset class="org-section">
      <legend safe>{t('moderation.proposer.legend')}</legend>
      <p class="hint" safe>
        {t('moderation.proposer.hint')}
      </p>
      <Field name="proposer_name" label={t('moderation.proposer.name')} value={values['proposer_name']} error={errors['proposer_name']} required autocomplete="name" />
      <Field name="proposer_email" type="email" label={t('moderation.proposer.email')} value={values['proposer_email']} error={errors['proposer_email']} required autocomplete="email" />
    </fieldset>
  );
}

/** Likely duplicates of a proposed organisation, shown at the top of its form (nothing was sent). */
export interface DuplicateWarningProps {
  matches: PossibleDuplicate[];
  confirmMissing: boolean;
}

export function ProposeOrganisationPage(props: {
  ctx: ViewContext;
  fields: JSX.Element;
  values: Record<string, string>;
  errors: FieldErrors;
  limited?: boolean;
  duplicates?: DuplicateWarningProps;
}) {
  const { ctx, fields } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('moderation.propose.title')}>
      {CSS}
      <h1 safe>{t('moderation.propose.title')}</h1>
      <p class="lead" safe>
        {t('moderation.propose.intro')}
      </p>
      <p class="hint" safe>
        {t('moderation.requiredHint')}
      </p>
      {props.limited ? (
        <div class="flash flash-error" role="alert">
          <p safe>{t('moderation.rateLimited')}</p>
        </div>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <Form ctx={ctx} action="/proposer-une-structure" class="stack-form mod-form" multipart>
        {props.duplicates ? <DuplicateWarning ctx={ctx} {...props.duplicates} audience="public" submit={t('duplicateWarning.submit.propose')} /> : ''}
        <Honeypot ctx={ctx} />
        <ProposerFields ctx={ctx} values={props.values} errors={props.errors} />
        {fields}
        <SubmitButton label={t('moderation.propose.submit')} />
      </Form>
    </Layout>
  );
}

export function ThanksPage({ ctx, title, text }: { ctx: ViewContext; title: string; text: string }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1 safe>{title}</h1>
      <p class="lead" safe>
        {text}
      </p>
      <p>
        <a href="/" safe>
          {ctx.t('moderation.backHome')}
        </a>
      </p>
    </Layout>
  );
}

/** /demande-de-compte for someone signed in: no form to fill, their account is already there. */
export function AccountRequestSignedInPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('moderation.request.signedInTitle')}>
      <h1 safe>{t('moderation.request.signedInTitle')}</h1>
      <p class="lead" safe>
        {t('moderation.request.signedIn')}
      </p>
      <ul>
        <li>
          <a href="/mon-espace/structures" safe>
            {t('moderation.mine.title')}
          </a>
        </li>
        <li>
          <a href="/mon-espace" safe>
            {t('nav.memberSpace')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}

export interface OrganisationChoice {
  id: string;
  name: string;
  place: string;
}

export function AccountRequestPage(props: {
  ctx: ViewContext;
  mode: 'existing' | 'new';
  q: string;
  choices: OrganisationChoice[];
  searched: boolean;
  values: Record<string, string>;
  errors: FieldErrors;
  orgFields: JSX.Element;
  limited?: boolean;
  duplicates?: DuplicateWarningProps;
}) {
  const { ctx, values, errors, orgFields } = props;
  const { t } = ctx;
  const chosen = values['organisation_id'] ?? '';
  const orgId = fieldId('organisation_id');
  return (
    <Layout ctx={ctx} title={t('moderation.request.title')}>
      {CSS}
      <h1 safe>{t('moderation.request.title')}</h1>
      <p class="lead" safe>
        {t('moderation.request.intro')}
      </p>
      {props.limited ? (
        <div class="flash flash-error" role="alert">
          <p safe>{t('moderation.rateLimited')}</p>
        </div>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action="/demande-de-compte" class="stack-form mod-form" multipart>
        {props.mode === 'new' ? (
          <p>
            <button type="submit" name={SWITCH_ACTION} value="existing" class="link-button" safe>
              {t('moderation.request.backToSearch')}
            </button>
          </p>
        ) : (
          ''
        )}
        {props.mode === 'existing' ? (
          // The search is a button of the request's own form (not a form of its own): what the
          // person has already typed goes along and comes back, with or without JavaScript, and
          // never into an address. Its button comes first: Enter in a field searches, it never sends.
          <section aria-labelledby="find-title" class="panel mod-find">
            <h2 id="find-title" safe>
              {t('moderation.request.findTitle')}
            </h2>
            <div class="inline-actions" role="search" aria-labelledby="find-title">
              <Field name="q" prefix="find" label={t('moderation.request.search')} value={props.q} hint={t('moderation.request.searchHint')} />
              <button type="submit" name={SEARCH_ACTION} value="1" class="button button-secondary" safe>
                {t('moderation.request.searchSubmit')}
              </button>
            </div>
            <p>
              <button type="submit" name={SWITCH_ACTION} value="new" class="link-button" safe>
                {t('moderation.request.notListed')}
              </button>
            </p>
          </section>
        ) : (
          ''
        )}
        {props.duplicates ? <DuplicateWarning ctx={ctx} {...props.duplicates} audience="public" submit={t('duplicateWarning.submit.request')} /> : ''}
        <Honeypot ctx={ctx} />
        <input type="hidden" name="mode" value={props.mode} />
        {props.mode === 'existing' ? (
          <fieldset id={orgId} class={errors['organisation_id'] ? 'org-checks field-invalid' : 'org-checks'} aria-describedby={errors['organisation_id'] ? `${orgId}-error` : undefined} tabindex="-1">
            <legend safe>{t('moderation.request.organisation')}</legend>
            {errors['organisation_id'] ? (
              <p class="field-error" id={`${orgId}-error`} safe>
                {errors['organisation_id']}
              </p>
            ) : (
              ''
            )}
            {props.choices.length === 0 ? (
              <p class="hint" safe>
                {props.searched ? t('moderation.request.noResult') : t('moderation.request.searchFirst')}
              </p>
            ) : (
              <ul class="org-check-list">
                {props.choices.map((c) => (
                  <li class="field-check">
                    <input type="radio" id={`${orgId}-${c.id}`} name="organisation_id" value={c.id} checked={chosen === c.id} />
                    <label for={`${orgId}-${c.id}`} safe>
                      {c.place ? `${c.name} (${c.place})` : c.name}
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </fieldset>
        ) : (
          ''
        )}
        <fieldset class="org-section">
          <legend safe>{t('moderation.request.you')}</legend>
          <Field name="person_name" label={t('moderation.request.name')} value={values['person_name']} error={errors['person_name']} required autocomplete="name" />
          <Field name="person_email" type="email" label={t('moderation.request.email')} value={values['person_email']} error={errors['person_email']} required autocomplete="email" />
          <Message ctx={ctx} name="message" label={t('moderation.request.message')} value={values['message']} error={errors['message']} />
        </fieldset>
        {props.mode === 'new' ? (
          <>
            <h2 safe>{t('moderation.request.newOrganisation')}</h2>
            {orgFields}
          </>
        ) : (
          ''
        )}
        <SubmitButton label={t('moderation.request.submit')} />
      </Form>
    </Layout>
  );
}
