import type { PropsWithChildren } from '@kitajs/html';
import type { ViewContext } from './context.js';

/** Field errors of a form, keyed by field name; messages are already translated. */
export type FieldErrors = Partial<Record<string, string>>;

export function CsrfInput({ ctx }: { ctx: ViewContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

interface FormProps {
  ctx: ViewContext;
  action: string;
  multipart?: boolean;
  class?: string;
  id?: string;
  /**
   * For an action that keeps the server busy (seconds, not milliseconds): said, once the form is
   * sent, in a status line that screen readers announce; a second click does not send it again.
   */
  busy?: string;
}

export function Form({ ctx, action, multipart, children, class: className, id, busy }: PropsWithChildren<FormProps>) {
  return (
    <form
      method="post"
      id={id}
      action={action}
      enctype={multipart ? 'multipart/form-data' : undefined}
      class={className ?? 'stack-form'}
      data-busy={busy}
      novalidate
    >
      <CsrfInput ctx={ctx} />
      {children}
      {busy ? <p class="form-busy" role="status"></p> : ''}
    </form>
  );
}

/**
 * Lists the errors at the top of a form, each linking to its field (RGAA 11.10). With an `id`, a
 * form of a long page may post to `#id`: the refused page then opens at its summary, and the
 * browser's jump to it keeps the focus site.js gives it (a jump to a section would take it away).
 * `targets` names the element a link leads to when it is not the field's own (a list of boxes to tick).
 */
export function ErrorSummary({ ctx, errors, prefix, id, targets = {} }: { ctx: ViewContext; errors: FieldErrors; prefix?: string; id?: string; targets?: Partial<Record<string, string>> }) {
  const entries = Object.entries(errors).filter((e): e is [string, string] => Boolean(e[1]));
  if (entries.length === 0) return '';
  return (
    <div class="error-summary" id={id} role="alert" tabindex="-1">
      <h2 safe>{ctx.t('form.errorSummary', { count: entries.length })}</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            <a href={`#${targets[name] ?? fieldId(name, prefix)}`} safe>
              {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Ids of fields; a prefix keeps them unique when a page holds several forms. */
export function fieldId(name: string, prefix?: string): string {
  return prefix ? `f-${prefix}-${name}` : `f-${name}`;
}

interface FieldProps {
  name: string;
  prefix?: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'url' | 'tel' | 'number' | 'file' | 'date';
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  accept?: string;
  /** The language of what is typed, when not the page's (an English name on a French page). */
  lang?: string;
  /** The id of the form the field belongs to, when it stands inside another form (a search within a form). */
  form?: string;
}

interface FrameProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  required?: boolean;
}

/** Label, hint and error of a field, tied to the control by ids (RGAA 11.1, 11.10). */
export function FieldFrame({ id, label, hint, error, required, children }: PropsWithChildren<FrameProps>) {
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        <span safe>{label}</span>
        {required ? (
          <span class="required" aria-hidden="true">
            {' *'}
          </span>
        ) : (
          ''
        )}
      </label>
      <FieldNotes id={id} hint={hint} error={error} />
      {children}
    </div>
  );
}

/** A field's hint and error paragraphs, with the ids `describedBy` names. */
export function FieldNotes({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint ? (
        <p class="hint" id={`${id}-hint`} safe>
          {hint}
        </p>
      ) : (
        ''
      )}
      {error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

/** The `aria-describedby` of a control: its hint and its error, when present. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

export function Field(props: FieldProps) {
  const id = fieldId(props.name, props.prefix);
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error} required={props.required}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' || props.type === 'file' ? undefined : props.value}
        required={props.required}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        autocomplete={props.autocomplete}
        accept={props.accept}
        lang={props.lang}
        form={props.form}
      />
    </FieldFrame>
  );
}

/** A checkbox sending `1` when ticked, its label after it, with the same hint and error wiring as `Field`. */
export function CheckboxField(props: { name: string; prefix?: string; label: string; checked: boolean; hint?: string; error?: string }) {
  const id = fieldId(props.name, props.prefix);
  return (
    <div class={props.error ? 'field field-check field-invalid' : 'field field-check'}>
      <input type="checkbox" id={id} name={props.name} value="1" checked={props.checked} aria-invalid={props.error ? 'true' : undefined} aria-describedby={describedBy(id, props.hint, props.error)} />
      <label for={id} safe>
        {props.label}
      </label>
      <FieldNotes id={id} hint={props.hint} error={props.error} />
    </div>
  );
}

/** A multi-line text field with the same label, hint and error wiring as `Field`. */
export function TextArea(props: { name: string; label: string; value?: string; error?: string; hint?: string; prefix?: string; rows?: number; required?: boolean; class?: string; lang?: string }) {
  const id = fieldId(props.name, props.prefix);
  return (
    <FieldFrame id={id} label={props.label} hint={props.hint} error={props.error} required={props.required}>
      <textarea
        id={id}
        name={props.name}
        rows={String(props.rows ?? 4)}
        class={props.class}
        required={props.required}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props.hint, props.error)}
        lang={props.lang}
        safe
      >
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

interface SelectProps {
  name: string;
  prefix?: string;
  label: string;
  options: readonly { value: string; label: string }[];
  value?: string;
  error?: string;
  required?: boolean;
}

export function Select(props: SelectProps) {
  const id = fieldId(props.name, props.prefix);
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={id}>
        <span safe>{props.label}</span>
        {props.required ? (
          <span class="required" aria-hidden="true">
            {' *'}
          </span>
        ) : (
          ''
        )}
      </label>
      {props.error ? (
        <p class="field-error" id={`${id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      <select
        id={id}
        name={props.name}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value} safe>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function SubmitButton({ label, variant, form }: { label: string; variant?: 'primary' | 'secondary' | 'danger'; form?: string }) {
  return (
    <button type="submit" class={`button button-${variant ?? 'primary'}`} form={form} safe>
      {label}
    </button>
  );
}
