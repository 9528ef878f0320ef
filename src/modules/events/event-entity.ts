import { countryName } from '../../kernel/geo/countries.js';
import { htmlToText } from '../../kernel/html.js';
import { localLabel, formatDateTime, type MessageKey } from '../../kernel/i18n/index.js';
import { withClockWords } from '../../kernel/time/clock-words.js';
import { formatDay } from '../../kernel/time/date-only.js';
import { type EntityValues, type ModeratedEntity, ProposalInvalidError, registerModeratedEntity } from '../moderation/index.js';
import { organisationsByIds, taxonomies } from '../organisations/index.js';
import { EventFormFields } from './form.js';
import { findEventImageFile } from './image.js';
import * as repo from './repo.js';
import { changeEventStatus, checkEvent, createEvent, draftOfEvent, eventFormLabels, eventTypes, updateEvent } from './service.js';
import { describeRule, formatRule, parseRule, ruleFormValues, ruleProblems } from './series.js';
import { checkEventWithRepetition, createSeries } from './series-service.js';
import { draftFormValues, list, text } from './validate.js';
import { PUBLIC_EVENT_STATUSES, type AgendaEvent } from './types.js';

export const EVENT_FIELD_LABELS: Record<string, MessageKey> = {
  title: 'events.field.title',
  type_code: 'events.field.type',
  summary: 'events.field.summary',
  description: 'events.field.description',
  all_day: 'events.field.allDay',
  start_date: 'events.field.startDate',
  start_time: 'events.field.startTime',
  end_date: 'events.field.endDate',
  end_time: 'events.field.endTime',
  repeat: 'events.repeat.legend',
  venue: 'events.field.venue',
  address: 'events.field.address',
  postcode: 'events.field.postcode',
  commune: 'events.field.commune',
  latitude: 'events.field.latitude',
  longitude: 'events.field.longitude',
  online_url: 'events.field.onlineUrl',
  online_url_private: 'events.field.onlineUrlPrivate',
  organisers: 'events.field.organisers',
  themes: 'events.field.themes',
  countries: 'events.field.countries',
  sdgs: 'events.field.sdgs',
  audience: 'events.field.audience',
  price_note: 'events.field.priceNote',
  image: 'events.field.image',
  image_alt: 'events.field.imageAlt',
  cancelled: 'events.status.cancelled',
};

/** An event's values as forms and proposals hold them. */
export function eventValues(e: AgendaEvent): EntityValues {
  return { ...draftFormValues(draftOfEvent(e)), cancelled: e.status === 'cancelled' ? '1' : '' };
}

/**
 * The repetition a new proposal carries: `repeat`, an RRULE (series.ts), '' for none. A member's
 * new proposal always has the key (staff may then add, change or remove the repetition when they
 * edit before approving); changes of an existing event and feed items never do.
 */
function proposedRule(values: EntityValues) {
  return parseRule(text(values, 'repeat'));
}

/** Whether the form shows the repetition: the values carry one (as `repeat` or as the form's fields). */
function offersRepetition(values: EntityValues): boolean {
  return 'repeat' in values || typeof values['repeat_freq'] === 'string';
}

export const eventEntity: ModeratedEntity = {
  type: 'event',
  labelKey: 'moderation.type.event',
  fieldLabels: EVENT_FIELD_LABELS,
  async load(id, deps) {
    const e = await repo.findEventById(deps.db, id);
    return e ? eventValues(e) : undefined;
  },
  async apply(values, actor, proposal, deps) {
    const checked = await checkEvent(deps, values);
    if (!checked.ok) throw new ProposalInvalidError(checked.errors);
    const cancelled = text(values, 'cancelled') === '1';
    if (proposal.entityId) {
      const updated = await updateEvent(deps, actor, proposal.entityId, checked.draft, 'event.updated_by_proposal');
      if (!updated) throw new ProposalInvalidError({});
      if (cancelled && updated.status !== 'cancelled') await changeEventStatus(deps, actor, updated.id, 'cancel');
      return updated.id;
    }
    // Where the proposal came from is the proposal's, whatever staff edited.
    const meta = proposal.payload;
    const feed = text(meta, 'source') === 'feed' && text(meta, 'feed_id') && text(meta, 'feed_uid') ? { id: text(meta, 'feed_id'), uid: text(meta, 'feed_uid') } : null;
    const status = cancelled ? 'cancelled' : 'published';
    // A recurring proposal: the whole series, each date published as a single event would be.
    const rule = proposedRule(values);
    if (rule) {
      const problems = ruleProblems(rule, checked.draft.starts_at, checked.draft.time_zone);
      if (problems) throw new ProposalInvalidError(problems);
    }
    // The series (its dates and their log lines) or the single event is written in the approval's
    // transaction: when the database refuses any of it, nothing stays, and staff may try again.
    if (rule) {
      const series = await createSeries(deps, actor, checked.draft, rule, status, { source: feed ? 'feed' : 'member', action: 'event.created_from_proposal' });
      return series.eventIds[0]!;
    }
    const created = await createEvent(deps, actor, checked.draft, {
      status,
      source: feed ? 'feed' : 'member',
      feed,
      action: 'event.created_from_proposal',
    });
    return created.id;
  },
  async validate(raw, deps) {
    const withRepetition = offersRepetition(raw);
    const checked = await checkEventWithRepetition(deps, raw, { repetition: withRepetition });
    if (!checked.ok) return checked;
    const repeat = withRepetition ? { repeat: checked.rule ? formatRule(checked.rule) : '' } : {};
    return { ok: true, values: { ...draftFormValues(checked.draft), ...repeat, cancelled: text(raw, 'cancelled') === '1' ? '1' : '' } };
  },
  async renderForm({ ctx, values, errors, deps }) {
    const labels = await eventFormLabels(deps.db, list(values, 'organisers'));
    const repetition = offersRepetition(values);
    // The proposal's rule shown as the fields that give it back; a form sent back keeps what was typed.
    const shown = repetition && typeof values['repeat_freq'] !== 'string' ? { ...values, ...ruleFormValues(proposedRule(values)) } : values;
    return (
      // The edit-then-approve form keeps or removes the proposed image; a new one is uploaded in the back office.
      ((await EventFormFields({ ctx, values: shown, errors, labels, repetition, imageUpload: false })) as string) +
      (text(values, 'cancelled') === '1' ? `<input type="hidden" name="cancelled" value="1">` : '')
    );
  },
  async display(field, value, ctx, deps) {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '';
    const locale = ctx.locale;
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    switch (field) {
      case 'type_code': {
        const type = (await eventTypes(deps.db)).find((x) => x.code === value);
        return type ? localLabel(type, locale) : String(value);
      }
      case 'themes': {
        const t = await taxonomies(deps.db);
        return values.map((c) => t.themes.find((x) => x.code === c)).map((x, i) => (x ? localLabel(x, locale) : values[i])).join(', ');
      }
      case 'sdgs':
        return values.join(', ');
      case 'countries':
        return values.map((c) => countryName(c, locale)).join(', ');
      case 'organisers': {
        const orgs = await organisationsByIds(deps.db, values);
        return values.map((id) => orgs.find((o) => o.id === id)?.name ?? id).join(', ');
      }
      // Dates and times as the rest of the site writes them, not as the form holds them (« 2027-03-10 », « 09:30 »).
      case 'start_date':
      case 'end_date':
        return formatDay(String(value), locale);
      case 'start_time':
      case 'end_time':
        return withClockWords(String(value), locale);
      case 'all_day':
      case 'online_url_private':
      case 'cancelled':
        return value === '1' ? ctx.t('events.yes') : '';
      case 'repeat': {
        const rule = parseRule(String(value));
        return rule ? describeRule(rule, ctx.t, locale) : String(value);
      }
      case 'description':
        return String(value).includes('<') ? htmlToText(String(value)) : String(value);
      case 'image': {
        const file = await findEventImageFile(deps.db, String(value));
        return file ? ctx.t('events.image.diffValue', { name: file.original_name, date: formatDateTime(file.created_at, ctx.locale) }) : ctx.t('events.image.unknown', { id: String(value) });
      }
      default:
        return values.join(', ');
    }
  },
  title: (values) => String(values['title'] ?? ''),
  summary(values, ctx) {
    const rule = proposedRule(values);
    return rule ? ctx.t('events.series.queueNote', { rule: describeRule(rule, ctx.t, ctx.locale) }) : '';
  },
  async publicHref(entityId, deps) {
    const e = await repo.findEventById(deps.db, entityId);
    return e && PUBLIC_EVENT_STATUSES.includes(e.status) ? `/agenda/${e.slug}` : null;
  },
};

let registered = false;

/** Events proposed by members and by their iCal feeds go through the shared moderation queue. */
export function registerEventModeration(): void {
  if (registered) return;
  registerModeratedEntity(eventEntity);
  registered = true;
}
