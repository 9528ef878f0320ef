import { REGIONS } from '../../kernel/geo/regions.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Field, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { Layout } from '../../kernel/ui/layout.js';

export function SettingsPage({ ctx, values, errors = {} }: { ctx: ViewContext; values: Record<string, string>; errors?: FieldErrors }) {
  const { t } = ctx;
  const regions = Object.entries(REGIONS)
    .map(([code, name]) => ({ value: code, label: `${name} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'fr'));
  return (
    <Layout ctx={ctx} title={t('settings.title')} area="admin">
      <h1 safe>{t('settings.title')}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Form ctx={ctx} action="/admin/parametres" multipart>
        <Field name="network_name" label={t('settings.networkName')} value={values['network_name']} error={errors['network_name']} required />
        <Select name="region_code" label={t('settings.region')} options={regions} value={values['region_code']} error={errors['region_code']} required />
        <Field name="contact_email" type="email" label={t('settings.contactEmail')} value={values['contact_email']} error={errors['contact_email']} required />
        <Field name="logo" type="file" label={t('settings.logo')} hint={t('settings.logoHint')} error={errors['logo']} accept="image/png,image/jpeg,image/webp,image/gif" />
        {ctx.site.hasLogo ? (
          <div class="field field-check">
            <input type="checkbox" id="f-remove_logo" name="remove_logo" value="1" />
            <label for="f-remove_logo" safe>
              {t('settings.removeLogo')}
            </label>
          </div>
        ) : (
          ''
        )}
        <SubmitButton label={t('form.save')} />
      </Form>
    </Layout>
  );
}
