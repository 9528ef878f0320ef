// The preferences form, shared by the preference centre (/preferences/:token) and « Mon espace » (/mon-espace/lettres).
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, type FieldErrors, Form, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';
import { SentenceWithLink } from '../../kernel/ui/sentence.js';
import { listText } from './lists.js';
import type { PreferencesView } from './preferences.js';
import type { PreferenceValues } from './schemas.js';
import { Checkboxes, dateOnly, InterestFields, type InterestOptions, NewsletterHead } from './views-shared.js';

type ListOfView = PreferencesView['lists'][number];

/** Where a list stands for the person, in words (the tick alone does not say « waiting » or « unsubscribed »). */
function statusText(ctx: ViewContext, list: ListOfView, suppressed: boolean): string | undefined {
  const { t } = ctx;
  if (suppressed) return list.since ? t('newsletter.preferences.status.unsubscribed', { date: dateOnly(ctx, list.since) }) : t('newsletter.preferences.status.suppressed');
  if (!list.status || !list.since) return undefined;
  return t(`newsletter.preferences.status.${list.status}`, { date: dateOnly(ctx, list.since) });
}

export interface PreferencesFormProps {
  ctx: ViewContext;
  /** Where the form posts. */
  action: string;
  view: PreferencesView;
  values: PreferenceValues;
  errors: FieldErrors;
  interests: InterestOptions;
}

/** The lists (each with where it stands), the name and organisation, the interests, and the button. */
export function PreferencesFields({ ctx, action, view, values, errors, interests }: PreferencesFormProps) {
  const { t } = ctx;
  return (
    <>
      {view.suppressed ? (
        <p class="flash flash-info" safe>
          {t('newsletter.preferences.suppressed')}
        </p>
      ) : (
        ''
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={action}>
        <Checkboxes
          name="lists"
          legend={t('newsletter.preferences.lists')}
          options={view.lists.map((l) => {
            const text = listText(l, ctx.locale);
            return { value: l.id, label: text.name, hint: [text.description, statusText(ctx, l, view.suppressed)].filter(Boolean).join(' — ') || undefined };
          })}
          checked={values.lists}
          error={errors['lists']}
        />
        <Field name="name" label={t('newsletter.form.name')} value={values.name} error={errors['name']} autocomplete="name" />
        <Field name="organisation" label={t('newsletter.form.organisation')} value={values.organisation} error={errors['organisation']} autocomplete="organization" />
        <InterestFields ctx={ctx} options={interests} values={values} />
        <SubmitButton label={t('newsletter.preferences.save')} />
      </Form>
    </>
  );
}

/** « Ne plus rien recevoir »: every list and the directory's mailings. */
export function UnsubscribeAllSection({ ctx, action }: { ctx: ViewContext; action: string }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="nl-all-title" class="nl-danger">
      <h2 id="nl-all-title" safe>
        {t('newsletter.preferences.allTitle')}
      </h2>
      <p safe>{t('newsletter.preferences.allText')}</p>
      <Form ctx={ctx} action={action}>
        <SubmitButton label={t('newsletter.preferences.allButton')} variant="danger" />
      </Form>
    </section>
  );
}

/** The preferences form's values from what is recorded: the lists subscribed or waiting, the interests. */
export function currentValues(view: PreferencesView, fallbackName = ''): PreferenceValues {
  return {
    name: view.subscriber ? (view.subscriber.name ?? '') : fallbackName,
    organisation: view.subscriber?.organisation ?? '',
    lists: view.lists.filter((l) => l.status === 'confirmed' || l.status === 'unconfirmed').map((l) => l.id),
    ...view.interests,
  };
}

/** « Mon espace » › the letters received at the account's address, and the same choices as the preference centre. */
export function MemberLettersPage(props: Omit<PreferencesFormProps, 'action'> & { proven: boolean }) {
  const { ctx, view } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('newsletter.member.title')} area="member">
      <NewsletterHead />
      <p class="breadcrumb">
        <a href="/mon-espace" safe>
          {t('member.title')}
        </a>
      </p>
      <h1 safe>{t('newsletter.member.title')}</h1>
      <p class="lead" safe>
        {t('newsletter.member.lead', { email: view.email })}
      </p>
      <p>
        <SentenceWithLink text={(link) => t('newsletter.member.otherAddress', { link })} href="/mon-espace/compte" label={t('newsletter.member.accountLink')} />
      </p>
      {props.proven ? (
        ''
      ) : (
        <p class="flash flash-info" safe>
          {t('newsletter.member.unproven', { email: view.email })}
        </p>
      )}
      <PreferencesFields {...props} action="/mon-espace/lettres" />
      <UnsubscribeAllSection ctx={ctx} action="/mon-espace/lettres/tout" />
    </Layout>
  );
}
