import { formatFileSize, type MessageKey } from '../../kernel/i18n/index.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { ErrorSummary, type FieldErrors, Form, Select, SubmitButton } from '../../kernel/ui/form.js';
import { DELIMITERS } from './detect-dialect.js';
import { decodedAs } from './detect-encoding.js';
import { DELIMITER_LABEL } from './read.js';
import type { BatchRow } from './repo.js';
import { type Detection, QUOTE_CHOICES, type TextEncodingName } from './types.js';
import { importedOn, nf, ScrollTable, Steps, WizardPage } from './views-wizard.js';
import { delimiterValue, OFFERED_ENCODINGS, quoteValue } from './wizard-form.js';

// The wizard's file step (/admin/imports/:id/fichier, see routes-reading.ts): what the file is, its
// first rows as the batch reads them, and the form to read it with another encoding, separator or quotes.

function Preview({ ctx, detection }: { ctx: ViewContext; detection: Detection }) {
  const { t } = ctx;
  return (
    <ScrollTable caption={t('importWizard.previewCaption')} columns={[t('imports.field.row'), ...detection.headers]} class="import-preview">
      {detection.preview.map((r) => (
        <tr>
          <td safe>{String(r.row)}</td>
          {r.values.map((v) => (
            <td>
              <div class="import-cell" safe>
                {v}
              </div>
            </td>
          ))}
        </tr>
      ))}
    </ScrollTable>
  );
}

export interface DetectionProps {
  ctx: ViewContext;
  batch: BatchRow;
  /** The file as the batch reads it (its stored reading), headers and first rows. */
  detection: Detection;
  /** Whether the reading may still change (before the commit, not while a validation runs). */
  editable?: boolean;
  errors?: FieldErrors;
  /** The reading form as sent, when refused. */
  values?: Record<string, string>;
  /** An earlier import of the same content, written and not undone (see findCommittedBatchOfFile). */
  earlier?: BatchRow;
}

/**
 * The file uploaded was imported before (same content, whatever its name or source): which import,
 * when and from which source, its page, and what importing it again would do. Staff may go on
 * deliberately (the next step's button says so), or delete this upload.
 */
function AlreadyImported({ ctx, batch, earlier }: { ctx: ViewContext; batch: BatchRow; earlier: BatchRow }) {
  const { t } = ctx;
  const date = importedOn(ctx, earlier);
  return (
    <section class="import-reading-warning import-already" aria-labelledby="deja-importe">
      <h2 id="deja-importe" safe>{t('importWizard.already.title')}</h2>
      <p safe>{t('imports.alreadyImported', { date, batch: earlier.id, source: earlier.source_name })}</p>
      <p>
        <a href={`/admin/imports/${earlier.id}`} safe>{t('importWizard.already.see', { date })}</a>
      </p>
      <p safe>{t('importWizard.already.goOn')}</p>
      <p>
        <a href={`/admin/imports/${batch.id}#supprimer`} safe>{t('importWizard.already.delete')}</a>
      </p>
    </section>
  );
}

/** Whether text holds what a wrong encoding leaves: U+FFFD (bytes it could not decode). */
function unreadable(detection: Detection): boolean {
  return [detection.headers, ...detection.preview.map((r) => r.values)].some((values) => values.some((v) => v.includes('\uFFFD')));
}

/** An encoding as the select offers it: Windows-1252 named with ISO-8859-1, which it also reads. */
function encodingChoice(ctx: ViewContext, encoding: TextEncodingName): string {
  return encoding === 'windows-1252' ? ctx.t('importWizard.reading.encodingLatin') : ctx.t(`imports.encoding.${encoding}` as MessageKey);
}

/**
 * The choice of the encoding, separator and quotes of a CSV file, the detected values marked. Native
 * selects in a form that works without script; the batch then reads the file so (see setBatchReading).
 */
function ReadingForm({ ctx, batch, detection, errors, values = {} }: { ctx: ViewContext; batch: BatchRow; detection: Detection; errors: FieldErrors; values?: Record<string, string> }) {
  const { t } = ctx;
  const text = detection.text!;
  const detected = detection.detectedText ?? text;
  const mark = (label: string, isDetected: boolean) => (isDetected ? t('importWizard.reading.detected', { label }) : label);
  // ISO-8859-1 and Windows-1252 decode alike (see decodedAs): one choice covers both.
  const encodings = [...new Set([...OFFERED_ENCODINGS, decodedAs(detected.encoding), decodedAs(text.encoding)])];
  const quoteLabel: Record<string, MessageKey> = { double: 'importWizard.reading.quoteDouble', simple: 'importWizard.reading.quoteSingle', aucun: 'importWizard.reading.quoteNone' };
  // No quoted field seen: nothing was detected, double quotes are only the default (as the file step's facts say).
  const quoteChoice = (label: string, q: (typeof QUOTE_CHOICES)[number]) =>
    detected.quote === null ? (q === '"' ? t('importWizard.reading.quoteDefault', { label }) : label) : mark(label, q === detected.quote);
  return (
    <section class="panel" aria-labelledby="lecture">
      <h2 id="lecture" safe>{t('importWizard.reading.title')}</h2>
      <p class="hint" safe>{t('importWizard.reading.intro')}</p>
      {unreadable(detection) ? (
        <p class="import-reading-warning" safe>
          {t('importWizard.reading.unreadable', { encoding: t(`imports.encoding.${text.encoding}` as MessageKey) })}
        </p>
      ) : (
        ''
      )}
      <Form ctx={ctx} action={`/admin/imports/${batch.id}/lecture`} class="stack-form import-inline-form">
        <ErrorSummary ctx={ctx} errors={errors} />
        <Select
          name="encodage"
          label={t('importWizard.reading.encoding')}
          options={encodings.map((e) => ({
            value: e,
            label: mark(`${encodingChoice(ctx, e)}${e === detected.encoding && detected.bom ? t('importWizard.detect.bom') : ''}`, e === decodedAs(detected.encoding)),
          }))}
          value={decodedAs((values['encodage'] ?? text.encoding) as TextEncodingName)}
          error={errors['encodage']}
        />
        <Select
          name="separateur"
          label={t('importWizard.reading.delimiter')}
          options={DELIMITERS.map((d) => ({ value: delimiterValue(d), label: mark(t(DELIMITER_LABEL[d]!), d === detected.delimiter) }))}
          value={values['separateur'] ?? delimiterValue(text.delimiter)}
          error={errors['separateur']}
        />
        <Select
          name="guillemets"
          label={t('importWizard.reading.quote')}
          options={QUOTE_CHOICES.map((q) => ({ value: quoteValue(q), label: quoteChoice(t(quoteLabel[quoteValue(q)]!), q) }))}
          value={values['guillemets'] ?? quoteValue(text.quote)}
          error={errors['guillemets']}
        />
        <SubmitButton label={t('importWizard.reading.submit')} variant="secondary" />
      </Form>
    </section>
  );
}

export function DetectionPage({ ctx, batch, detection, editable = false, errors = {}, values, earlier }: DetectionProps) {
  const { t } = ctx;
  const text = detection.text;
  const facts: [string, string][] = [
    [t('importWizard.detect.format'), detection.format === 'xlsx' ? t('importWizard.detect.xlsx', { sheet: detection.sheet ?? '' }) : 'CSV'],
    [t('importWizard.detect.size'), formatFileSize(batch.file_size, ctx.locale)],
  ];
  if (text) {
    const quote = text.quote === 'none' ? t('importWizard.detect.quoteNone') : text.quote ? t('importWizard.detect.quoted', { quote: text.quote }) : t('importWizard.detect.unquoted');
    facts.push(
      [t('importWizard.detect.encoding'), `${t(`imports.encoding.${text.encoding}` as MessageKey)}${text.bom ? t('importWizard.detect.bom') : ''}`],
      [t('importWizard.detect.delimiter'), DELIMITER_LABEL[text.delimiter] ? t(DELIMITER_LABEL[text.delimiter]!) : `« ${text.delimiter} »`],
      [t('importWizard.detect.quote'), quote],
    );
  }
  facts.push([t('importWizard.detect.columns'), nf(ctx, detection.headers.length)]);
  return (
    <WizardPage ctx={ctx} title={t('importWizard.detect.title', { file: batch.file_name })} back={{ href: '/admin/imports', label: t('importWizard.back') }}>
      <Steps ctx={ctx} batch={batch} current="fichier" />
      {earlier ? <AlreadyImported ctx={ctx} batch={batch} earlier={earlier} /> : ''}
      <dl class="facts import-facts">
        {facts.map(([k, v]) => (
          <>
            <dt safe>{k}</dt>
            <dd safe>{v}</dd>
          </>
        ))}
      </dl>
      <h2 safe>{t('importWizard.detect.preview', { count: detection.preview.length })}</h2>
      <Preview ctx={ctx} detection={detection} />
      {text && editable ? <ReadingForm ctx={ctx} batch={batch} detection={detection} errors={errors} values={values} /> : ''}
      <p>
        <a class="button button-primary" href={`/admin/imports/${batch.id}/correspondance`} safe>
          {t(earlier ? 'importWizard.already.next' : 'importWizard.detect.next')}
        </a>
      </p>
    </WizardPage>
  );
}
