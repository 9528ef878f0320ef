import { Type } from '@sinclair/typebox';
import { TIME_OF_DAY_PATTERN } from '../../kernel/time/zoned.js';

/** A name: empty and too long are two mistakes, each with its own message (the staff page rewords both). */
const name = (required: 'registrations.error.firstName' | 'registrations.error.lastName', tooLong: 'registrations.error.firstNameTooLong' | 'registrations.error.lastNameTooLong') =>
  Type.String({ minLength: 1, maxLength: 100, 'x-message': tooLong, 'x-too-long': tooLong, 'x-required': required });
const uuid = Type.String({ pattern: '^[0-9a-fA-F-]{36}$', 'x-message': 'registrations.error.organisation' });

/** The participant's details (public form, personal page, staff "add"); answers and workshops are read apart. */
export const ParticipantForm = Type.Object({
  first_name: name('registrations.error.firstName', 'registrations.error.firstNameTooLong'),
  last_name: name('registrations.error.lastName', 'registrations.error.lastNameTooLong'),
  email: Type.String({ format: 'email', maxLength: 254, 'x-message': 'validation.email', 'x-required': 'validation.email' }),
  phone: Type.Optional(Type.String({ maxLength: 30, pattern: '^[+0-9 ().-]{6,30}$', 'x-message': 'registrations.error.phone' })),
  organisation_id: Type.Optional(uuid),
  organisation_name: Type.Optional(Type.String({ maxLength: 200, 'x-message': 'validation.tooLong' })),
  organisation_kind: Type.Optional(Type.String({ maxLength: 60, 'x-message': 'registrations.error.organisationKind' })),
  organisation_department: Type.Optional(Type.String({ pattern: '^[0-9][0-9AB][0-9]?$', 'x-message': 'registrations.error.organisationDepartment' })),
});

/** The search of the participant's organisation in the directory (GET, same page). */
export const OrganisationSearchQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) });

/** Registration settings of an event (staff). */
export const SettingsForm = Type.Object({
  registration_open: Type.Optional(Type.Literal('1')),
  deadline_date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-message': 'registrations.error.deadline' })),
  deadline_time: Type.Optional(Type.String({ pattern: TIME_OF_DAY_PATTERN, 'x-message': 'registrations.error.deadlineTime' })),
  capacity: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', 'x-message': 'registrations.error.capacity' })),
  waitlist_enabled: Type.Optional(Type.Literal('1')),
  account_required: Type.Optional(Type.Literal('1')),
  organisation_required: Type.Optional(Type.Literal('1')),
});

/**
 * One question of the settings' question editor, its fields posted as `q<row>_<field>`
 * (`q0_label`, `q0_kind`…). Every message names the question's number (`{n}`); whether a « choix »
 * question has enough choices is checked by `readSettingsForm`, which reads the rows with this schema.
 */
export const QuestionRowForm = Type.Object({
  /** The stored question this row edits (hidden): its answers follow it through a relabelling. */
  id: Type.Optional(Type.String({ maxLength: 60 })),
  kind: Type.Union([Type.Literal('text'), Type.Literal('choice'), Type.Literal('checkbox')], { 'x-message': 'registrations.error.questionKind', 'x-required': 'registrations.error.questionKind' }),
  label: Type.String({ minLength: 1, maxLength: 200, 'x-message': 'registrations.error.questionLabelTooLong', 'x-too-long': 'registrations.error.questionLabelTooLong', 'x-required': 'registrations.error.questionLabel' }),
  required: Type.Optional(Type.Literal('1')),
  /** One choice a line, or separated by « ; ». */
  options: Type.Optional(Type.String({ maxLength: 10_000, 'x-message': 'registrations.error.questionOptionsTooLong', 'x-raw': true })),
});

/** A workshop of a multi-workshop day (staff). */
export const WorkshopForm = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200, 'x-message': 'registrations.error.workshopTitle', 'x-required': 'registrations.error.workshopTitle' }),
  room: Type.Optional(Type.String({ maxLength: 120, 'x-message': 'validation.tooLong' })),
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-message': 'registrations.error.workshopTime', 'x-required': 'registrations.error.workshopDateRequired' }),
  start: Type.String({ pattern: TIME_OF_DAY_PATTERN, 'x-message': 'registrations.error.workshopTime', 'x-required': 'registrations.error.workshopStartRequired' }),
  end: Type.String({ pattern: TIME_OF_DAY_PATTERN, 'x-message': 'registrations.error.workshopTime', 'x-required': 'registrations.error.workshopEndRequired' }),
  capacity: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$', 'x-message': 'registrations.error.capacity' })),
});

export const STATUS_VALUES = ['registered', 'waitlisted', 'cancelled', 'attended', 'no_show'] as const;

/** A staff change of a participant's status. */
export const StatusForm = Type.Object({
  status: Type.Union(
    STATUS_VALUES.map((s) => Type.Literal(s)),
    { 'x-message': 'validation.choice' },
  ),
});

/** Moving a participant to another event (staff). */
export const MoveForm = Type.Object({ target: Type.String({ pattern: '^[0-9a-fA-F-]{36}$', 'x-message': 'validation.choice' }) });

/** Erasing a person's registrations by email (staff, RGPD). */
export const EraseForm = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254, 'x-message': 'validation.email' }),
  /** The event whose page holds the form: a refusal is shown there, next to the field. */
  event: Type.Optional(Type.String()),
  /** Sent by the confirmation page only: without it, the page saying what will be erased is shown. */
  confirmer: Type.Optional(Type.String()),
});

/** The participant list's filter. */
export const ListQuery = Type.Object({ status: Type.Optional(Type.Union(STATUS_VALUES.map((s) => Type.Literal(s)))) });
