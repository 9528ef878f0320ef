import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, Field, type FieldErrors, Form, SubmitButton } from '../../kernel/ui/form.js';
import { type NewsletterSettings, type NumericSetting, SETTING_BOUNDS } from './settings.js';
import { ADMIN_BASE, AdminFrame, OutboxNote } from './views-admin.js';

const FIELDS: NumericSetting[] = ['ratePerSecond', 'ratePerHour', 'concurrency', 'errorThresholdPercent', 'errorThresholdMinimum', 'maxAttempts', 'retryBaseSeconds', 'claimLeaseSeconds', 'softBounceLimit'];

export function SettingsPage(props: { ctx: ViewContext; values: Record<string, string>; errors: FieldErrors; settings: NewsletterSettings; bounceUrl: string; outbox?: string }) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <AdminFrame ctx={ctx} title={t('newsletter.settings.title')} tab="settings">
      <OutboxNote ctx={ctx} outbox={props.outbox} />
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action={`${ADMIN_BASE}/reglages`}>
        {FIELDS.map((name) => (
          <Field
            name={name}
            type="number"
            label={t(`newsletter.settings.${name}`)}
            hint={t('newsletter.settings.bounds', { min: SETTING_BOUNDS[name][0], max: SETTING_BOUNDS[name][1], hint: t(`newsletter.settings.${name}Hint`) })}
            value={values[name]}
            error={errors[name]}
            required
          />
        ))}
        <Field name="unsubscribeMailto" type="email" label={t('newsletter.settings.unsubscribeMailto')} hint={t('newsletter.settings.unsubscribeMailtoHint')} value={values['unsubscribeMailto']} error={errors['unsubscribeMailto']} />
        <SubmitButton label={t('newsletter.settings.save')} />
      </Form>
      <section aria-labelledby="nl-bounce-title">
        <h2 id="nl-bounce-title" safe>
          {t('newsletter.settings.bounceTitle')}
        </h2>
        <p safe>{t('newsletter.settings.bounceText')}</p>
        <p>
          <code safe>{props.bounceUrl}</code>
        </p>
        <p class="hint" safe>
          {t('newsletter.settings.bounceCli')}
        </p>
        <Form ctx={ctx} action={`${ADMIN_BASE}/reglages/jeton`}>
          <SubmitButton label={t('newsletter.settings.newToken')} variant="secondary" />
        </Form>
      </section>
    </AdminFrame>
  );
}
