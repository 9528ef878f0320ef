import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { searchTokens } from '../../kernel/search/normalise.js';
import { sendPage, viewContext } from '../../kernel/http/view-context.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { duplicateDecision, findOrganisationById, OrganisationFormFields, type OrganisationDraft, searchDirectory, taxonomies } from '../organisations/index.js';
import { submitAccountRequest } from './account-requests.js';
import { type DuplicateOverride, recordDuplicateOverride, visibleDuplicates } from './duplicate-check.js';
import { STAFF_ONLY_FIELDS, validateOrganisationValues } from './organisation-entity.js';
import { propose } from './proposals.js';
import { countPublicProposal, publicProposalAllowed } from './rate-limit.js';
import { AccountRequestPage, AccountRequestSignedInPage, type DuplicateWarningProps, HONEYPOT, type OrganisationChoice, ProposeOrganisationPage, SEARCH_ACTION, SWITCH_ACTION, ThanksPage } from './views-public.js';

function form(request: FastifyRequest): Record<string, unknown> {
  return { ...((request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>) };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Name and email of a person writing to the network (required, with French messages). */
function personErrors(request: FastifyRequest, name: string, email: string, names: { name: string; email: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (name.length < 2 || name.length > 120) errors[names.name] = request.t('moderation.error.name');
  if (!EMAIL_PATTERN.test(email) || email.length > 254) errors[names.email] = request.t('validation.email');
  return errors;
}

type DuplicateCheck = { kind: 'warn'; warning: DuplicateWarningProps } | { kind: 'save'; override: DuplicateOverride | null };

export const publicRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;

  /**
   * "This organisation may already exist": a valid proposal of a new organisation is held while it
   * looks like organisations the person may see and they have not said it is another one.
   */
  async function checkDuplicates(request: FastifyRequest, raw: Record<string, unknown>, draft: OrganisationDraft): Promise<DuplicateCheck> {
    const matches = await visibleDuplicates(k, draft, { role: request.user?.role ?? null, t: request.t, locale: request.locale });
    const decision = duplicateDecision(
      raw,
      matches.map((m) => m.id),
    );
    if (decision.kind === 'warn') return { kind: 'warn', warning: { matches, confirmMissing: decision.confirmMissing } };
    return { kind: 'save', override: decision.kind === 'override' ? { ids: decision.ids, names: matches.map((m) => m.name) } : null };
  }

  const proposePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown>,
    errors: Record<string, string>,
    status = 200,
    limited = false,
    duplicates?: DuplicateWarningProps,
  ) => {
    const ctx = await viewContext(request, reply);
    const fields = OrganisationFormFields({ ctx, values, errors, staff: false, taxonomies: await taxonomies(k.db) }) as string;
    const person = { proposer_name: text(values['proposer_name']), proposer_email: text(values['proposer_email']) };
    return sendPage(reply, ProposeOrganisationPage({ ctx, fields, values: person, errors, limited, duplicates }), status);
  };

  app.get('/proposer-une-structure', { config: { access: 'public' } }, async (request, reply) => proposePage(request, reply, {}, {}));

  app.post('/proposer-une-structure', { config: { access: 'public' } }, async (request, reply) => {
    const raw = form(request);
    // A robot filled the hidden field: it is thanked, and nothing is kept.
    if (text(raw[HONEYPOT])) return reply.redirect('/proposer-une-structure/merci', 303);
    if (!(await publicProposalAllowed(k.db, k.clock, request.ip))) return proposePage(request, reply, raw, {}, 429, true);
    for (const field of STAFF_ONLY_FIELDS) delete raw[field];
    const name = text(raw['proposer_name']);
    const email = text(raw['proposer_email']);
    const errors = personErrors(request, name, email, { name: 'proposer_name', email: 'proposer_email' });
    const result = await validateOrganisationValues(raw, k);
    if (!result.ok) for (const [f, e] of Object.entries(result.errors)) errors[f] = request.t(e.key, e.params);
    if (Object.keys(errors).length || !result.ok) return proposePage(request, reply, raw, errors, 400);
    const duplicates = await checkDuplicates(request, raw, result.draft);
    // Nothing is kept (nor counted against the rate limit) until the person has chosen.
    if (duplicates.kind === 'warn') return proposePage(request, reply, raw, {}, 409, false, duplicates.warning);
    await countPublicProposal(k.db, k.clock, request.ip);
    const proposer = { userId: request.user?.id ?? null, name, email, ip: request.ip };
    const proposal = await propose(k, { type: 'organisation', entityId: null, payload: result.values, proposer });
    if (proposal.ok && duplicates.override) await recordDuplicateOverride(k, { id: proposer.userId, email, ip: request.ip }, proposal.id, duplicates.override);
    return reply.redirect('/proposer-une-structure/merci', 303);
  });

  app.get('/proposer-une-structure/merci', { config: { access: 'public' } }, async (request, reply) =>
    sendPage(reply, ThanksPage({ ctx: await viewContext(request, reply), title: request.t('moderation.propose.thanksTitle'), text: request.t('moderation.propose.thanks') })),
  );

  // ---------- Account requests ----------

  async function choices(q: string, extraId?: string): Promise<OrganisationChoice[]> {
    const list: OrganisationChoice[] = [];
    const tokens = searchTokens(q);
    if (tokens.length) {
      const { rows } = await searchDirectory(
        k.db,
        k.dbHandle.dialect,
        { q, kinds: [], departments: [], themes: [], countries: [], zones: [], sdgs: [], visibility: ['public'], sort: 'relevance', limit: 20, offset: 0 },
        tokens,
      );
      list.push(...rows.map((o) => ({ id: o.id, name: o.acronym ? `${o.name} – ${o.acronym}` : o.name, place: o.commune_name ?? '' })));
    }
    if (extraId && !list.some((c) => c.id === extraId)) {
      const org = await findOrganisationById(k.db, extraId);
      if (org && org.visibility === 'public') list.unshift({ id: org.id, name: org.name, place: org.commune_name ?? '' });
    }
    return list;
  }

  const requestPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    input: { mode: 'existing' | 'new'; q: string; values: Record<string, unknown>; errors: Record<string, string>; limited?: boolean; duplicates?: DuplicateWarningProps },
    status = 200,
  ) => {
    const ctx = await viewContext(request, reply);
    const orgFields =
      input.mode === 'new' ? (OrganisationFormFields({ ctx, values: input.values, errors: input.errors, staff: false, taxonomies: await taxonomies(k.db), prefix: undefined }) as string) : '';
    const values = Object.fromEntries(['person_name', 'person_email', 'message', 'organisation_id'].map((n) => [n, text(input.values[n])]));
    return sendPage(
      reply,
      AccountRequestPage({
        ctx,
        mode: input.mode,
        q: input.q,
        choices: input.mode === 'existing' ? await choices(input.q, values['organisation_id'] || undefined) : [],
        searched: input.q.trim() !== '',
        values,
        errors: input.errors,
        orgFields,
        limited: input.limited,
        duplicates: input.duplicates,
      }),
      status,
    );
  };

  app.get('/demande-de-compte', { config: { access: 'public' } }, async (request, reply) => {
    // Someone signed in has an account already: the page says so and leads to their space.
    if (request.user) return sendPage(reply, AccountRequestSignedInPage({ ctx: await viewContext(request, reply) }));
    const query = request.query as Record<string, string | undefined>;
    const mode = query['nouvelle'] ? 'new' : 'existing';
    // "Request access" from a duplicate warning: the organisation comes chosen (public ones only, see `choices`).
    const structure = mode === 'existing' && typeof query['structure'] === 'string' && /^[0-9a-f-]{36}$/i.test(query['structure']) ? query['structure'] : '';
    return requestPage(request, reply, { mode, q: (query['q'] ?? '').slice(0, 200), values: structure ? { organisation_id: structure } : {}, errors: {} });
  });

  app.post('/demande-de-compte', { config: { access: 'public' } }, async (request, reply) => {
    const raw = form(request);
    if (text(raw[HONEYPOT])) return reply.redirect('/demande-de-compte/merci', 303);
    const mode = raw['mode'] === 'new' ? 'new' : 'existing';
    const q = text(raw['q']).slice(0, 200);
    // « Rechercher »: the same page with the structures found and everything typed, nothing checked or counted.
    if (raw[SEARCH_ACTION] !== undefined && mode === 'existing') return requestPage(request, reply, { mode, q, values: raw, errors: {} });
    // Between « listed » and « I propose it »: what the person typed comes along, and the name searched
    // becomes the name proposed (or the other way round).
    const switchTo = raw[SWITCH_ACTION];
    if (switchTo === 'new') return requestPage(request, reply, { mode: 'new', q, values: { ...raw, name: text(raw['name']) || q }, errors: {} });
    if (switchTo === 'existing') return requestPage(request, reply, { mode: 'existing', q: q || text(raw['name']).slice(0, 200), values: raw, errors: {} });
    if (!(await publicProposalAllowed(k.db, k.clock, request.ip))) return requestPage(request, reply, { mode, q, values: raw, errors: {}, limited: true }, 429);
    const name = text(raw['person_name']);
    const email = text(raw['person_email']);
    const message = text(raw['message']);
    const errors = personErrors(request, name, email, { name: 'person_name', email: 'person_email' });
    if (message.length > 2000) errors['message'] = request.t('moderation.error.messageLength');
    let organisationId: string | null = null;
    let newOrganisation: Record<string, unknown> | null = null;
    let newDraft: OrganisationDraft | null = null;
    if (mode === 'existing') {
      const id = text(raw['organisation_id']);
      const org = id ? await findOrganisationById(k.db, id) : undefined;
      if (!org || org.visibility !== 'public') errors['organisation_id'] = request.t('moderation.error.organisation');
      else organisationId = org.id;
    } else {
      for (const field of STAFF_ONLY_FIELDS) delete raw[field];
      const result = await validateOrganisationValues(raw, k);
      if (!result.ok) for (const [f, e] of Object.entries(result.errors)) errors[f] = request.t(e.key, e.params);
      else {
        newOrganisation = result.values;
        newDraft = result.draft;
      }
    }
    if (Object.keys(errors).length) return requestPage(request, reply, { mode, q, values: raw, errors }, 400);
    const duplicates = newDraft ? await checkDuplicates(request, raw, newDraft) : ({ kind: 'save', override: null } as const);
    if (duplicates.kind === 'warn') return requestPage(request, reply, { mode, q, values: raw, errors: {}, duplicates: duplicates.warning }, 409);
    await countPublicProposal(k.db, k.clock, request.ip);
    await submitAccountRequest(k, { name, email, organisationId, newOrganisation, message: message || null, ip: request.ip, duplicatesOverridden: duplicates.override });
    return reply.redirect('/demande-de-compte/merci', 303);
  });

  app.get('/demande-de-compte/merci', { config: { access: 'public' } }, async (request, reply) =>
    sendPage(reply, ThanksPage({ ctx: await viewContext(request, reply), title: request.t('moderation.request.thanksTitle'), text: request.t('moderation.request.thanks') })),
  );

};
