import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import type { Translate } from '../../kernel/i18n/index.js';
import { EMAIL_PATTERN } from '../../kernel/validation.js';
import { findOrganisationById, taxonomies, usersOfOrganisation } from '../organisations/index.js';
import { runBulkAction } from './bulk.js';
import { contactValues, type ContactValues, loadContact, recordConsent, saveContact } from './contacts.js';
import type { Problems, StaffActor } from './deps.js';
import { addInteraction, invitePerson, markReviewed, saveOrganisation } from './organisation-edit.js';
import { parseStaffQuery, queryFromString, STAFF_PAGE_SIZE } from './query.js';
import * as repo from './repo.js';
import { eraseContactData, exportContact } from './rgpd.js';
import { deleteSegment, findSegment, listSegments, saveSegment } from './segments.js';
import { CONTACT_PAGE_SIZE, ContactCreatePage, ContactEditPage, ContactListPage, RgpdConfirmPage } from './views-contacts.js';
import { membershipRows, OrganisationCreatePage, OrganisationEditPage, OrganisationListPage, submittedMembershipRows } from './views-organisations.js';

type IdParams = { Params: { id: string } };
type Body = Record<string, unknown>;
type Query = Record<string, string | string[] | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actorOf(request: FastifyRequest): StaffActor {
  if (!request.user) throw new AppError('forbidden');
  return { ...request.user, ip: request.ip };
}

function body(request: FastifyRequest): Body {
  return typeof request.body === 'object' && request.body !== null ? (request.body as Body) : {};
}

function translate(problems: Problems, t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, t(p.key, p.params)]));
}

const text = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const strings = (values: Body): Record<string, string> => Object.fromEntries(Object.entries(values).filter(([k]) => k !== '_csrf').map(([k, v]) => [k, text(v)]));

function firstOf(query: Query, name: string): string {
  const v = query[name];
  return (Array.isArray(v) ? v[0] : v)?.toString().trim() ?? '';
}

export const organisationsAdminRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  // ---------- Organisations: list, segments, bulk actions ----------

  async function listPage(request: FastifyRequest, reply: FastifyReply, query: Query, extra: { errors?: Record<string, string>; values?: Record<string, string> } = {}, status = 200) {
    const parsed = parseStaffQuery(query, k.clock.now());
    const [page, labels, allTags, segments] = await Promise.all([
      repo.listOrganisations(k.db, k.dbHandle.dialect, parsed.filter, { limit: STAFF_PAGE_SIZE, offset: (parsed.page - 1) * STAFF_PAGE_SIZE }),
      taxonomies(k.db),
      repo.allTags(k.db),
      listSegments(k.db),
    ]);
    const tags = await repo.tagsOf(
      k.db,
      page.rows.map((r) => r.id),
    );
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      OrganisationListPage({ ctx, rows: page.rows, tags, total: page.total, page: parsed.page, canonical: parsed.canonical, shown: parsed.shown, t: labels, allTags, segments, ...extra }),
      status,
    );
  }

  app.get('/admin/organisations', staff, async (request, reply) => listPage(request, reply, request.query as Query));

  app.post('/admin/organisations/filtres', staff, async (request, reply) => {
    const b = body(request);
    const query = text(b['query']);
    const result = await saveSegment(k, actorOf(request), { name: text(b['name']), query });
    if (!result.ok) {
      return listPage(request, reply, queryFromString(query), { errors: translate(result.errors, request.t), values: strings(b) }, 400);
    }
    flash(request, 'success', request.t('backofficeOrganisations.segments.saved', { name: text(b['name']).trim() }));
    const saved = await findSegment(k.db, result.id);
    return reply.redirect(`/admin/organisations${saved?.query ? `?${saved.query}` : ''}`, 303);
  });

  app.get<IdParams>('/admin/organisations/filtres/:id', staff, async (request, reply) => {
    const saved = await findSegment(k.db, request.params.id);
    if (!saved || saved.scope !== 'organisations') throw new AppError('not_found');
    return reply.redirect(`/admin/organisations${saved.query ? `?${saved.query}` : ''}`, 303);
  });

  app.post<IdParams>('/admin/organisations/filtres/:id/supprimer', staff, async (request, reply) => {
    const done = await deleteSegment(k, actorOf(request), request.params.id);
    if (!done) throw new AppError('not_found');
    flash(request, 'success', request.t('backofficeOrganisations.segments.deleted'));
    return reply.redirect('/admin/organisations', 303);
  });

  app.post('/admin/organisations/actions', staff, async (request, reply) => {
    const b = body(request);
    const ids = (Array.isArray(b['ids']) ? b['ids'] : b['ids'] === undefined ? [] : [b['ids']]).map(String).filter((id) => UUID.test(id));
    const filter = text(b['filter']);
    const result = await runBulkAction(k, actorOf(request), {
      action: text(b['action']),
      scope: text(b['scope']) === 'all' ? 'all' : 'selection',
      ids,
      filter,
      tag: text(b['tag']),
      college: text(b['college']),
    });
    if (!result.ok) {
      return listPage(request, reply, queryFromString(filter), { errors: translate(result.errors, request.t), values: strings(b) }, 400);
    }
    if (result.action === 'export') {
      const day = k.clock.now().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="structures-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(result.csv);
    }
    flash(request, 'success', request.t('backofficeOrganisations.bulk.done', { count: result.count }));
    return reply.redirect(`/admin/organisations${filter ? `?${filter}` : ''}`, 303);
  });

  // ---------- Organisations: create and edit ----------

  app.get('/admin/organisations/nouvelle', staff, async (request, reply) => {
    const ctx = await viewContext(request, reply);
    return sendPage(reply, OrganisationCreatePage({ ctx, t: await taxonomies(k.db), values: { visibility: 'public' }, memberships: [], isMember: false, errors: {} }));
  });

  app.post('/admin/organisations/nouvelle', staff, async (request, reply) => {
    const b = body(request);
    const result = await saveOrganisation(k, actorOf(request), b);
    if (!result.ok) {
      const ctx = await viewContext(request, reply);
      return sendPage(
        reply,
        OrganisationCreatePage({ ctx, t: await taxonomies(k.db), values: b, memberships: submittedMembershipRows(b), isMember: text(b['is_member']) === '1', errors: translate(result.errors, request.t) }),
        400,
      );
    }
    flash(request, 'success', request.t('backofficeOrganisations.create.done', { name: result.organisation.name }));
    return reply.redirect(`/admin/organisations/${result.organisation.id}`, 303);
  });

  interface EditExtra {
    values?: Body;
    errors?: Record<string, string>;
    interactionValues?: Record<string, string>;
    interactionErrors?: Record<string, string>;
    inviteValues?: Record<string, string>;
    inviteErrors?: Record<string, string>;
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, id: string, extra: EditExtra = {}, status = 200) {
    const organisation = await findOrganisationById(k.db, id);
    if (!organisation) throw new AppError('not_found');
    const [labels, memberships, tags, history, interactions, accounts, contacts] = await Promise.all([
      taxonomies(k.db),
      repo.membershipsOf(k.db, [id]),
      repo.tagsOf(k.db, [id]),
      listAudit(k.db, { entityType: 'organisation', entityId: id, limit: 100, offset: 0 }),
      repo.interactionsOf(k.db, id),
      usersOfOrganisation(k.db, id),
      repo.contactsOfOrganisation(k.db, id),
    ]);
    const ctx = await viewContext(request, reply);
    const submitted = extra.values;
    return sendPage(
      reply,
      OrganisationEditPage({
        ctx,
        t: labels,
        organisation,
        values: submitted ?? { ...organisation },
        memberships: submitted ? submittedMembershipRows(submitted) : membershipRows(memberships.get(id) ?? []),
        isMember: submitted ? text(submitted['is_member']) === '1' : organisation.is_member === 1,
        errors: extra.errors ?? {},
        tags: tags.get(id) ?? [],
        history: history.rows,
        interactions,
        accounts,
        contacts,
        interactionValues: extra.interactionValues,
        interactionErrors: extra.interactionErrors,
        inviteValues: extra.inviteValues,
        inviteErrors: extra.inviteErrors,
        today: k.clock.now().toISOString().slice(0, 10),
      }),
      status,
    );
  }

  app.get<IdParams>('/admin/organisations/:id', staff, async (request, reply) => editPage(request, reply, request.params.id));

  app.post<IdParams>('/admin/organisations/:id', staff, async (request, reply) => {
    const { id } = request.params;
    if (!(await findOrganisationById(k.db, id))) throw new AppError('not_found');
    const b = body(request);
    const result = await saveOrganisation(k, actorOf(request), b, id);
    if (!result.ok) return editPage(request, reply, id, { values: b, errors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t('backofficeOrganisations.edit.saved'));
    // The form was posted to "#fiche": land at the top, where the message is.
    return reply.redirect(`/admin/organisations/${id}#contenu`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/revue', staff, async (request, reply) => {
    if (!(await markReviewed(k, actorOf(request), request.params.id))) throw new AppError('not_found');
    flash(request, 'success', request.t('backofficeOrganisations.edit.reviewed'));
    return reply.redirect(`/admin/organisations/${request.params.id}`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/interactions', staff, async (request, reply) => {
    const { id } = request.params;
    if (!(await findOrganisationById(k.db, id))) throw new AppError('not_found');
    const b = body(request);
    const result = await addInteraction(k, actorOf(request), id, b);
    if (!result.ok) return editPage(request, reply, id, { interactionValues: strings(b), interactionErrors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t('backofficeOrganisations.interaction.added'));
    return reply.redirect(`/admin/organisations/${id}#interactions`, 303);
  });

  app.post<IdParams>('/admin/organisations/:id/inviter', staff, async (request, reply) => {
    const { id } = request.params;
    if (!(await findOrganisationById(k.db, id))) throw new AppError('not_found');
    const b = body(request);
    const email = text(b['email']).trim();
    const displayName = text(b['display_name']).trim();
    const errors: Problems = {};
    if (!displayName) errors['display_name'] = { key: 'validation.required' };
    else if (displayName.length > 120) errors['display_name'] = { key: 'validation.tooLong' };
    if (!email) errors['email'] = { key: 'validation.required' };
    else if (email.length > 254 || !EMAIL_PATTERN.test(email)) errors['email'] = { key: 'validation.email' };
    const result = Object.keys(errors).length ? { ok: false as const, errors } : await invitePerson(k, actorOf(request), id, { email, displayName, locale: request.locale });
    if (!result.ok) return editPage(request, reply, id, { inviteValues: strings(b), inviteErrors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t(result.existing ? 'backofficeOrganisations.invite.linked' : 'backofficeOrganisations.invite.sent', { email }));
    return reply.redirect(`/admin/organisations/${id}#comptes`, 303);
  });

  // ---------- Contacts ----------

  app.get('/admin/contacts', staff, async (request, reply) => {
    const query = request.query as Query;
    const shown: Record<string, string> = {};
    for (const name of ['q', 'structure', 'theme', 'pays', 'famille', 'departement']) shown[name] = firstOf(query, name).slice(0, 200);
    const page = Math.max(1, Math.min(10_000, Number.parseInt(firstOf(query, 'page'), 10) || 1));
    const result = await repo.listContacts(k.db, {
      q: shown['q'] || undefined,
      organisation: shown['structure'] || undefined,
      theme: /^[a-z_]{2,40}$/.test(shown['theme']!) ? shown['theme'] : undefined,
      country: /^[A-Z]{2}$/.test(shown['pays']!) ? shown['pays'] : undefined,
      kind: /^[a-z_]{2,40}$/.test(shown['famille']!) ? shown['famille'] : undefined,
      department: /^(\d{2,3}|2[AB])$/.test(shown['departement']!) ? shown['departement'] : undefined,
      limit: CONTACT_PAGE_SIZE,
      offset: (page - 1) * CONTACT_PAGE_SIZE,
    });
    const links = await repo.contactLinks(
      k.db,
      result.rows.map((r) => r.id),
    );
    const rows = result.rows.map((r) => ({ ...r, ...links.get(r.id)! }));
    const canonical = new URLSearchParams(Object.entries(shown).filter(([, v]) => v !== '')).toString();
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ContactListPage({ ctx, rows, total: result.total, page, query: canonical, shown, t: await taxonomies(k.db) }));
  });

  app.get('/admin/contacts/nouveau', staff, async (request, reply) => {
    const structure = firstOf(request.query as Query, 'structure');
    const values: ContactValues = {};
    if (UUID.test(structure)) {
      const org = await findOrganisationById(k.db, structure);
      if (org) values['role_org_0'] = org.name;
    }
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ContactCreatePage({ ctx, t: await taxonomies(k.db), values, errors: {} }));
  });

  app.post('/admin/contacts/nouveau', staff, async (request, reply) => {
    const b = body(request);
    const result = await saveContact(k, actorOf(request), b);
    if (!result.ok) {
      const ctx = await viewContext(request, reply);
      return sendPage(reply, ContactCreatePage({ ctx, t: await taxonomies(k.db), values: formValues(b), errors: translate(result.errors, request.t) }), 400);
    }
    flash(request, 'success', request.t('backofficeOrganisations.contacts.saved'));
    return reply.redirect(`/admin/contacts/${result.id}`, 303);
  });

  interface ContactExtra {
    values?: ContactValues;
    errors?: Record<string, string>;
    consentValues?: Record<string, string>;
    consentErrors?: Record<string, string>;
  }

  async function contactPage(request: FastifyRequest, reply: FastifyReply, id: string, extra: ContactExtra = {}, status = 200) {
    const contact = await loadContact(k, id);
    if (!contact) throw new AppError('not_found');
    const [labels, consents, history] = await Promise.all([
      taxonomies(k.db),
      repo.consentsOf(k.db, id),
      listAudit(k.db, { entityType: 'contact', entityId: id, limit: 100, offset: 0 }),
    ]);
    const ctx = await viewContext(request, reply);
    return sendPage(
      reply,
      ContactEditPage({
        ctx,
        t: labels,
        contact,
        values: extra.values ?? contactValues(contact, request.locale),
        errors: extra.errors ?? {},
        consents,
        history: history.rows,
        consentValues: extra.consentValues,
        consentErrors: extra.consentErrors,
        today: k.clock.now().toISOString().slice(0, 10),
      }),
      status,
    );
  }

  app.get<IdParams>('/admin/contacts/:id', staff, async (request, reply) => contactPage(request, reply, request.params.id));

  app.post<IdParams>('/admin/contacts/:id', staff, async (request, reply) => {
    const { id } = request.params;
    const existing = await loadContact(k, id);
    if (!existing) throw new AppError('not_found');
    if (existing.erased_at) throw new AppError('conflict');
    const b = body(request);
    const result = await saveContact(k, actorOf(request), b, id);
    if (!result.ok) return contactPage(request, reply, id, { values: formValues(b), errors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t('backofficeOrganisations.contacts.saved'));
    return reply.redirect(`/admin/contacts/${id}#contenu`, 303);
  });

  app.post<IdParams>('/admin/contacts/:id/consentements', staff, async (request, reply) => {
    const { id } = request.params;
    const existing = await loadContact(k, id);
    if (!existing) throw new AppError('not_found');
    if (existing.erased_at) throw new AppError('conflict');
    const b = body(request);
    const result = await recordConsent(k, actorOf(request), id, b);
    if (!result.ok) return contactPage(request, reply, id, { consentValues: strings(b), consentErrors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t('backofficeOrganisations.consent.recorded'));
    return reply.redirect(`/admin/contacts/${id}#consentements`, 303);
  });

  app.get<IdParams>('/admin/contacts/:id/export', staff, async (request, reply) => {
    const contact = await loadContact(k, request.params.id);
    if (!contact) throw new AppError('not_found');
    return sendPage(reply, RgpdConfirmPage({ ctx: await viewContext(request, reply), contact, kind: 'export' }));
  });

  app.post<IdParams>('/admin/contacts/:id/export', staff, async (request, reply) => {
    const document = await exportContact(k, actorOf(request), request.params.id);
    if (!document) throw new AppError('not_found');
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="contact-${request.params.id}.json"`)
      .header('cache-control', 'no-store')
      .send(JSON.stringify(document, null, 2));
  });

  app.get<IdParams>('/admin/contacts/:id/effacer', staff, async (request, reply) => {
    const contact = await loadContact(k, request.params.id);
    if (!contact) throw new AppError('not_found');
    if (contact.erased_at) return reply.redirect(`/admin/contacts/${contact.id}`, 303);
    return sendPage(reply, RgpdConfirmPage({ ctx: await viewContext(request, reply), contact, kind: 'erase' }));
  });

  app.post<IdParams>('/admin/contacts/:id/effacer', staff, async (request, reply) => {
    if (!(await eraseContactData(k, actorOf(request), request.params.id))) throw new AppError('not_found');
    flash(request, 'success', request.t('backofficeOrganisations.rgpd.erased'));
    return reply.redirect(`/admin/contacts/${request.params.id}`, 303);
  });
};

/** A submitted contact form as values to show again (checkbox lists stay lists). */
function formValues(b: Body): ContactValues {
  const out: ContactValues = {};
  for (const [key, v] of Object.entries(b)) {
    if (key === '_csrf') continue;
    out[key] = key === 'themes' ? (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]) : text(v);
  }
  return out;
}
