import type { RegistrationQuestion } from '../events/index.js';
import { Field, type FieldErrors, fieldId, Select, TextArea } from '../../kernel/ui/form.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { formatMoment } from '../../kernel/time/clock-words.js';
import type { SessionRow } from './repo.js';
import { ANSWER_PREFIX, WORKSHOP_PREFIX } from './validate.js';

export interface Choice {
  value: string;
  label: string;
}

export interface OrganisationChoice {
  id: string;
  name: string;
  place: string;
}

export interface ParticipantFieldsProps {
  ctx: ViewContext;
  values: Record<string, string>;
  errors: FieldErrors;
  /** Organisations found in the directory (radio list), the chosen one included. */
  organisations: OrganisationChoice[];
  /** « Je viens à titre individuel » is offered: the event does not require an organisation. */
  individualAllowed: boolean;
  kinds: Choice[];
  departments: Choice[];
  questions: RegistrationQuestion[];
  /** Time slots of the workshops, each with its sessions and seats left (null: no limit). */
  slots: { sessions: (SessionRow & { left: number | null })[] }[];
  /** The email cannot be changed from the personal page. */
  emailLocked?: boolean;
  /** Staff adding someone by hand: the legends speak of that person, not to the reader. */
  staff?: boolean;
  /** The directory search, shown in the organisation's group (its fields belong to a form of their own). */
  search?: JSX.Element;
}

/** `disables`: the id of a group whose other fields are greyed out while the box is ticked (site.js). */
function CheckField({ id, name, label, checked, error, required, disables }: { id: string; name: string; label: string; checked: boolean; error?: string; required?: boolean; disables?: string }) {
  return (
    <div class={error ? 'field field-check field-invalid' : 'field field-check'}>
      {error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <input
        type="checkbox"
        id={id}
        name={name}
        value="1"
        checked={checked}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        data-disables={disables}
      />
      <label for={id} safe>
        {label}
      </label>
    </div>
  );
}

function QuestionField({ ctx, q, values, errors }: { ctx: ViewContext; q: RegistrationQuestion; values: Record<string, string>; errors: FieldErrors }) {
  const name = `${ANSWER_PREFIX}${q.id}`;
  if (q.kind === 'checkbox') return <CheckField id={fieldId(name)} name={name} label={q.label} checked={values[name] === '1'} error={errors[name]} required={q.required} />;
  if (q.kind === 'choice') {
    return (
      <Select
        name={name}
        label={q.label}
        value={values[name]}
        error={errors[name]}
        required={q.required}
        options={[{ value: '', label: ctx.t('registrations.form.choose') }, ...(q.options ?? []).map((o) => ({ value: o, label: o }))]}
      />
    );
  }
  return <TextArea name={name} label={q.label} value={values[name]} error={errors[name]} required={q.required} rows={3} />;
}

/** The participant's details, organisation, answers and workshops (public form, personal page, staff). */
export function ParticipantFields(props: ParticipantFieldsProps) {
  const { ctx, values, errors, search } = props;
  const { t } = ctx;
  const orgId = fieldId('organisation_id');
  const chosen = values['organisation_id'] ?? '';
  return (
    <>
      <fieldset class="form-section">
        <legend safe>{t(props.staff ? 'registrations.form.staffPerson' : 'registrations.form.person')}</legend>
        <Field name="first_name" label={t('registrations.form.firstName')} value={values['first_name']} error={errors['first_name']} required autocomplete="given-name" />
        <Field name="last_name" label={t('registrations.form.lastName')} value={values['last_name']} error={errors['last_name']} required autocomplete="family-name" />
        {props.emailLocked ? (
          <input type="hidden" name="email" value={values['email']} />
        ) : (
          <Field name="email" type="email" label={t('registrations.form.email')} value={values['email']} error={errors['email']} required autocomplete="email" />
        )}
        <Field name="phone" type="tel" label={t('registrations.form.phone')} value={values['phone']} error={errors['phone']} autocomplete="tel" />
      </fieldset>
      {/* Required, and said so before sending: the asterisk of the other required fields (its
          meaning given at the top of the form), and in words in the hint the group is described by —
          what to give, and, when the event allows it, how to come without an organisation. */}
      <fieldset id={orgId} class="form-section" tabindex="-1" aria-describedby={errors['organisation_id'] ? `${orgId}-hint ${orgId}-error` : `${orgId}-hint`}>
        <legend>
          <span safe>{t(props.staff ? 'registrations.form.staffOrganisation' : 'registrations.form.organisation')}</span>
          <span class="required" aria-hidden="true">
            {' *'}
          </span>
        </legend>
        <p class="hint" id={`${orgId}-hint`} safe>
          {t(
            props.individualAllowed
              ? props.staff
                ? 'registrations.form.staffOrganisationRequired'
                : 'registrations.form.organisationRequired'
              : props.staff
                ? 'registrations.form.staffOrganisationOnlyRequired'
                : 'registrations.form.organisationOnlyRequired',
          )}
        </p>
        {errors['organisation_id'] ? (
          <p class="field-error" id={`${orgId}-error`} safe>
            {errors['organisation_id']}
          </p>
        ) : (
          ''
        )}
        {search ? search : ''}
        {props.individualAllowed ? (
          <CheckField id={fieldId('individual')} name="individual" label={t(props.staff ? 'registrations.form.staffIndividual' : 'registrations.form.individual')} checked={values['individual'] === '1'} disables={orgId} />
        ) : (
          ''
        )}
        {props.organisations.length ? (
          <ul class="org-check-list">
            {props.organisations.map((o) => (
              <li class="field-check">
                <input type="radio" id={`${orgId}-${o.id}`} name="organisation_id" value={o.id} checked={chosen === o.id} />
                <label for={`${orgId}-${o.id}`} safe>
                  {o.place ? `${o.name} (${o.place})` : o.name}
                </label>
              </li>
            ))}
            <li class="field-check">
              <input type="radio" id={`${orgId}-none`} name="organisation_id" value="" checked={chosen === ''} />
              <label for={`${orgId}-none`} safe>
                {t('registrations.form.organisationNone')}
              </label>
            </li>
          </ul>
        ) : (
          ''
        )}
        <Field name="organisation_name" label={t('registrations.form.organisationName')} value={values['organisation_name']} error={errors['organisation_name']} autocomplete="organization" />
        <Select
          name="organisation_kind"
          label={t('registrations.form.organisationKind')}
          value={values['organisation_kind']}
          error={errors['organisation_kind']}
          options={[{ value: '', label: t('registrations.form.choose') }, ...props.kinds]}
        />
        <Select
          name="organisation_department"
          label={t('registrations.form.organisationDepartment')}
          value={values['organisation_department']}
          error={errors['organisation_department']}
          options={[{ value: '', label: t('registrations.form.noDepartment') }, ...props.departments]}
        />
      </fieldset>
      {props.questions.length ? (
        <fieldset class="form-section">
          <legend safe>{t('registrations.form.questions')}</legend>
          {props.questions.map((q) => (
            <QuestionField ctx={ctx} q={q} values={values} errors={errors} />
          ))}
        </fieldset>
      ) : (
        ''
      )}
      {props.slots.length ? (
        <fieldset class="form-section">
          <legend safe>{t('registrations.form.workshops')}</legend>
          <p class="hint" safe>
            {t('registrations.form.workshopsHint')}
          </p>
          {props.slots.map((slot, i) => {
            const name = `${WORKSHOP_PREFIX}${i}`;
            const id = fieldId(name);
            const first = slot.sessions[0]!;
            const error = errors[name];
            return (
              <fieldset id={id} tabindex="-1" class={error ? 'field-invalid' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
                <legend safe>{t('registrations.form.slot', { when: formatMoment(first.starts_at, ctx.locale) })}</legend>
                {error ? (
                  <p class="field-error" id={`${id}-error`} safe>
                    {error}
                  </p>
                ) : (
                  ''
                )}
                <div class="field-check">
                  <input type="radio" id={`${id}-none`} name={name} value="" checked={!slot.sessions.some((s) => values[name] === s.id)} />
                  <label for={`${id}-none`} safe>
                    {t('registrations.form.noWorkshop')}
                  </label>
                </div>
                {slot.sessions.map((s) => (
                  <div class="field-check">
                    <input type="radio" id={`${id}-${s.id}`} name={name} value={s.id} checked={values[name] === s.id} />
                    <label for={`${id}-${s.id}`} safe>
                      {s.left === null
                        ? s.title
                        : s.left > 0
                          ? t('registrations.form.workshopSeats', { title: s.title, count: s.left })
                          : t('registrations.form.workshopFull', { title: s.title })}
                    </label>
                  </div>
                ))}
              </fieldset>
            );
          })}
        </fieldset>
      ) : (
        ''
      )}
    </>
  );
}
