import type { PropsWithChildren } from '@kitajs/html';
import { countriesFieldText } from '../../kernel/geo/countries.js';
import { localLabel, sizedMessage } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { Field, fieldId, Select, TextArea } from '../../kernel/ui/form.js';
import { FILE_FIELDS, uploadCap } from './file-field.js';
import { kindLabelKey, languageLabelKey, RESOURCE_KINDS, RESOURCE_LANGUAGES } from './kinds.js';
import type { ResourceFile } from './types.js';
import { fileText, staffFileHref } from './views-shared.js';

/** What the resource form shows besides the values: themes, organisations and the file it carries. */
export interface ResourceFormLabels {
  themes: { code: string; label_fr: string; label_en: string }[];
  /** The member's organisations (member form), or the organisation the values name (staff forms). */
  organisations: { id: string; name: string; slug: string }[];
  /** The file the form carries (the `file` value), if any. */
  file: ResourceFile | null;
}

/**
 * - `staff`: the back office (an organisation typed by slug or name, a file to upload);
 * - `member`: a member's proposal (one of their organisations, a file to upload);
 * - `moderation`: staff editing a proposal before approving it (the proposed file is kept or removed).
 */
export type FormMode = 'staff' | 'member' | 'moderation';

/** Accepted uploads, as a hint for the browser's file picker (the server checks the content). */
export const ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.png,.jpg,.jpeg,.webp';

function str(value: unknown): string {
  if (Array.isArray(value)) return value.length ? String(value[0]) : '';
  return value === null || value === undefined ? '' : String(value);
}

function strings(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? value.split(',') : [];
  return [...new Set(list.map((x) => String(x).trim()).filter(Boolean))];
}

function Checks(props: PropsWithChildren<{ id: string; legend: string; error?: string }>) {
  return (
    <fieldset id={props.id} class={props.error ? 'org-checks field-invalid' : 'org-checks'} aria-describedby={props.error ? `${props.id}-error` : undefined} tabindex="-1">
      <legend safe>{props.legend}</legend>
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      {props.children}
    </fieldset>
  );
}

/** The fields of the resource form, shared by the back office, members' proposals and edit-then-approve. */
export function ResourceFormFields({ ctx, values, errors, labels, mode }: { ctx: ViewContext; values: Record<string, unknown>; errors: Record<string, string>; labels: ResourceFormLabels; mode: FormMode }) {
  const k = ctx.t;
  const v = (name: string) => str(values[name]);
  const countries = strings(values['countries']);
  const countriesText = countriesFieldText(countries, ctx.locale);
  const organisation = v('organisation');
  const chosen = labels.organisations.find((o) => o.id === organisation);
  const themesId = fieldId('themes');
  return (
    <>
      <fieldset class="org-section">
        <legend safe>{k('resources.form.about')}</legend>
        <Field name="title" label={k('resources.field.title')} value={v('title')} error={errors['title']} required />
        <Select
          name="kind"
          label={k('resources.field.kind')}
          required
          value={v('kind')}
          error={errors['kind']}
          options={[{ value: '', label: k('resources.form.choose') }, ...RESOURCE_KINDS.map((x) => ({ value: x, label: k(kindLabelKey(x)) }))]}
        />
        <TextArea name="summary" label={k('resources.field.summary')} hint={k('resources.field.summaryHint')} value={v('summary')} error={errors['summary']} rows={6} required />
        <Field name="authors" label={k('resources.field.authors')} hint={k('resources.field.authorsHint')} value={v('authors')} error={errors['authors']} />
        {mode === 'member' ? (
          <Select
            name="organisation"
            label={k('resources.field.organisation')}
            required
            value={organisation}
            error={errors['organisation']}
            options={[...(labels.organisations.length === 1 ? [] : [{ value: '', label: k('resources.form.choose') }]), ...labels.organisations.map((o) => ({ value: o.id, label: o.name }))]}
          />
        ) : (
          <Field
            name="organisation"
            label={k('resources.field.organisation')}
            hint={chosen ? k('resources.field.organisationCurrent', { name: chosen.name }) : k('resources.field.organisationHint')}
            value={chosen ? chosen.slug : organisation}
            error={errors['organisation']}
          />
        )}
        <Field name="year" label={k('resources.field.year')} hint={k('resources.field.yearHint')} value={v('year')} error={errors['year']} />
        <Select
          name="language"
          label={k('resources.field.language')}
          value={v('language')}
          error={errors['language']}
          options={[{ value: '', label: k('resources.form.unspecified') }, ...RESOURCE_LANGUAGES.map((x) => ({ value: x, label: k(languageLabelKey(x)) }))]}
        />
      </fieldset>
      <FileFields ctx={ctx} file={labels.file} kept={v(FILE_FIELDS.kept)} remove={v(FILE_FIELDS.remove) === '1'} errors={errors} mode={mode} />
      <Field name="external_url" type="url" label={k('resources.field.externalUrl')} hint={k('resources.field.externalUrlHint')} value={v('external_url')} error={errors['external_url']} />
      <fieldset class="org-section">
        <legend safe>{k('resources.form.tags')}</legend>
        <Checks id={themesId} legend={k('resources.field.themes')} error={errors['themes']}>
          <ul class="org-check-list">
            {labels.themes.map((x) => (
              <li class="field-check">
                <input type="checkbox" id={`${themesId}-${x.code}`} name="themes" value={x.code} checked={strings(values['themes']).includes(x.code)} />
                <label for={`${themesId}-${x.code}`} safe>
                  {localLabel(x, ctx.locale)}
                </label>
              </li>
            ))}
          </ul>
        </Checks>
        <Field name="countries" label={k('resources.field.countries')} hint={k('resources.field.countriesHint')} value={countriesText} error={errors['countries']} />
      </fieldset>
    </>
  );
}

/**
 * The document: the file the form carries (an id in a hidden field, so that a form shown again
 * after an error keeps it), a file to add or replace it, and a box to remove it. Staff may open
 * the file (including one waiting in a proposal) through the back office.
 */
function FileFields(props: { ctx: ViewContext; file: ResourceFile | null; kept: string; remove: boolean; errors: Record<string, string>; mode: FormMode }) {
  const { ctx, file } = props;
  const k = ctx.t;
  // A form sent back with errors still carries the file (uploaded once, kept by its id): said, so nobody picks it again.
  const refused = Object.values(props.errors).some(Boolean);
  const removeId = fieldId(FILE_FIELDS.remove);
  const uploadId = fieldId(FILE_FIELDS.upload);
  return (
    <fieldset class="org-section">
      <legend safe>{k('resources.field.file')}</legend>
      <input type="hidden" name={FILE_FIELDS.kept} value={file ? file.id : props.kept} />
      {file ? (
        <p>
          <span safe>{k('resources.form.currentFile', { name: file.original_name, details: fileText(k, ctx.locale, file) })}</span>
          {refused ? (
            <>
              {' '}
              <span safe>{k('resources.form.fileKept')}</span>
            </>
          ) : (
            ''
          )}
          {props.mode !== 'member' ? (
            <>
              {' '}
              <a href={staffFileHref(file.id)} safe>
                {k('resources.form.openFile')}
              </a>
            </>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      {props.mode !== 'moderation' ? (
        <Field
          name={FILE_FIELDS.upload}
          type="file"
          label={k(file ? 'resources.field.fileReplace' : 'resources.field.fileUpload')}
          hint={sizedMessage(ctx.locale, 'resources.field.fileHint', { maxBytes: uploadCap.bytes })}
          error={props.errors[FILE_FIELDS.upload]}
          accept={ACCEPT}
        />
      ) : props.errors[FILE_FIELDS.upload] ? (
        <p class="field-error" id={uploadId} tabindex="-1" safe>
          {props.errors[FILE_FIELDS.upload]}
        </p>
      ) : (
        ''
      )}
      {file ? (
        <div class="field field-check">
          <input type="checkbox" id={removeId} name={FILE_FIELDS.remove} value="1" checked={props.remove} />
          <label for={removeId} safe>
            {k('resources.field.fileRemove')}
          </label>
        </div>
      ) : (
        ''
      )}
    </fieldset>
  );
}
