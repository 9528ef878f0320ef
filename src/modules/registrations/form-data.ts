import { localLabel, type Locale } from '../../kernel/i18n/index.js';
import { listDepartments } from '../../kernel/geo/communes.js';
import { searchTokens } from '../../kernel/search/normalise.js';
import { findOrganisationById, searchDirectory, taxonomies } from '../organisations/index.js';
import type { RegistrationDeps } from './deps.js';
import * as repo from './repo.js';
import { ANSWER_PREFIX, answersOf, questionsOf, timeSlots, type ValidationContext, WORKSHOP_PREFIX } from './validate.js';
import type { Choice, OrganisationChoice, ParticipantFieldsProps } from './views-form.js';

type EventRow = NonNullable<Awaited<ReturnType<typeof repo.eventRow>>>;

/** Everything the participant form of an event shows and checks. */
export interface FormData {
  fields: Omit<ParticipantFieldsProps, 'ctx' | 'values' | 'errors' | 'emailLocked'>;
  validation: ValidationContext;
}

/** Organisations of the public directory matching a search, and the one already chosen. */
async function organisationChoices(deps: RegistrationDeps, q: string, chosenId: string | undefined): Promise<OrganisationChoice[]> {
  const list: OrganisationChoice[] = [];
  const tokens = searchTokens(q);
  if (tokens.length) {
    const { rows } = await searchDirectory(
      deps.db,
      deps.dbHandle.dialect,
      { q, kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility: ['public'], sort: 'relevance', limit: 15, offset: 0 },
      tokens,
    );
    list.push(...rows.map((o) => ({ id: o.id, name: o.acronym ? `${o.name} – ${o.acronym}` : o.name, place: o.commune_name ?? '' })));
  }
  if (chosenId && /^[0-9a-f-]{36}$/i.test(chosenId) && !list.some((c) => c.id === chosenId)) {
    const org = await findOrganisationById(deps.db, chosenId);
    if (org && org.visibility === 'public') list.unshift({ id: org.id, name: org.name, place: org.commune_name ?? '' });
  }
  return list;
}

/**
 * `keepIndividual`: the registration shown (personal page) was made « à titre individuel »; it may
 * stay so even if the event has required an organisation since.
 */
export async function formData(deps: RegistrationDeps, event: EventRow, locale: Locale, search: { q: string; chosenId?: string }, consent: boolean, keepIndividual = false): Promise<FormData> {
  const [tax, sessions, counts, organisations] = await Promise.all([
    taxonomies(deps.db),
    repo.sessionsOf(deps.db, event.id),
    repo.sessionCounts(deps.db, event.id),
    organisationChoices(deps, search.q, search.chosenId),
  ]);
  const seated = new Map(counts.filter((c) => c.status === 'registered').map((c) => [c.session_id, c.n]));
  const kinds: Choice[] = tax.kinds.map((k) => ({ value: k.code, label: localLabel(k, locale) }));
  const departments: Choice[] = listDepartments().map((d) => ({ value: d.code, label: `${d.code} – ${d.name}` }));
  // Unless the event requires an organisation (its registration settings), one may come without.
  const individualAllowed = event.organisation_required !== 1 || keepIndividual;
  return {
    fields: {
      individualAllowed,
      organisations,
      kinds,
      departments,
      questions: questionsOf(event.questions),
      slots: timeSlots(sessions).map((list) => ({
        sessions: list.map((s) => ({ ...s, left: s.capacity === null ? null : Math.max(0, s.capacity - (seated.get(s.id) ?? 0)) })),
      })),
    },
    validation: {
      questions: questionsOf(event.questions),
      sessions,
      kinds: kinds.map((k) => k.value),
      individualAllowed,
      consent,
      organisation: async (id) => {
        const org = await repo.organisationName(deps.db, id);
        return org && org.visibility === 'public' ? org : null;
      },
    },
  };
}

/** The form's values for a stored registration (personal page, staff). */
export function valuesOfRegistration(r: repo.RegistrationRow, choices: { session_id: string; status: string }[], sessions: repo.SessionRow[]): Record<string, string> {
  const values: Record<string, string> = {
    first_name: r.first_name ?? '',
    last_name: r.last_name,
    email: r.email,
    phone: r.phone ?? '',
    organisation_id: r.organisation_id ?? '',
    organisation_name: r.organisation_id ? '' : (r.organisation_name ?? ''),
    organisation_kind: r.organisation_id ? '' : (r.organisation_kind ?? ''),
    organisation_department: r.organisation_id ? '' : (r.organisation_department ?? ''),
    individual: r.individual === 1 ? '1' : '',
  };
  for (const [k, v] of Object.entries(answersOf(r.answers))) values[`${ANSWER_PREFIX}${k}`] = v;
  timeSlots(sessions).forEach((slot, i) => {
    const c = choices.find((x) => x.status !== 'cancelled' && slot.some((s) => s.id === x.session_id));
    if (c) values[`${WORKSHOP_PREFIX}${i}`] = c.session_id;
  });
  return values;
}
