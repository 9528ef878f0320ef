import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { listAudit } from '../../kernel/audit/index.js';
import { AppError } from '../../kernel/errors.js';
import { sendJsonDownload } from '../../kernel/http/json-download.js';
import { actorOf, formBody } from '../../kernel/http/request.js';
import { flash, sendPage, viewContext } from '../../kernel/http/view-context.js';
import { redirectPastLastPage } from '../../kernel/http/past-last-page.js';
import { isId } from '../../kernel/ids.js';
import { pageNumber } from '../../kernel/ui/pager.js';
import { recordOrigins } from '../merge/index.js';
import { findOrganisationById, taxonomies } from '../organisations/index.js';
import { type ContactDetail, contactValues, type ContactValues, loadContact, recordConsent, saveContact } from './contacts.js';
import * as repo from './contacts-repo.js';
import { type Body, firstOf, type IdParams, isoDay, type Query, strings, text, translate } from './routes-common.js';
import { eraseContactData, exportContact } from './rgpd.js';
import { CONTACT_PAGE_SIZE, ContactCreatePage, ContactEditPage, ContactListPage, RgpdConfirmPage } from './views-contacts.js';
import { redirectNewFormAliases } from '../../kernel/http/new-form-aliases.js';

/** Contacts in the back office: list, creation, the record's page with consents, RGPD export and erasure. */
export const contactRoutes: FastifyPluginAsync = async (app) => {
  const k = app.kernel;
  const staff = { config: { access: 'staff' as const } };

  async function requireContact(id: string): Promise<ContactDetail> {
    const contact = await loadContact(k, id);
    if (!contact) throw new AppError('not_found');
    return contact;
  }

  /** A contact that may still change: an erased one is kept only as statistics. */
  async function requireEditableContact(id: string): Promise<void> {
    if ((await requireContact(id)).erased_at) throw new AppError('conflict');
  }

  app.get('/admin/contacts', staff, async (request, reply) => {
    const query = request.query as Query;
    const shown: Record<string, string> = {};
    for (const name of ['q', 'structure', 'theme', 'pays', 'famille', 'departement']) shown[name] = firstOf(query, name).slice(0, 200);
    const page = pageNumber(firstOf(query, 'page') || undefined);
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
    const beyond = redirectPastLastPage(request, reply, page, result.total, CONTACT_PAGE_SIZE);
    if (beyond) return beyond;
    const links = await repo.contactLinks(
      k.db,
      result.rows.map((r) => r.id),
    );
    const rows = result.rows.map((r) => ({ ...r, ...links.get(r.id)! }));
    const canonical = new URLSearchParams(Object.entries(shown).filter(([, v]) => v !== '')).toString();
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ContactListPage({ ctx, rows, total: result.total, page, query: canonical, shown, t: await taxonomies(k.db) }));
  });

  redirectNewFormAliases(app, '/admin/contacts', 'nouveau', 'staff');

  app.get('/admin/contacts/nouveau', staff, async (request, reply) => {
    const structure = firstOf(request.query as Query, 'structure');
    const values: ContactValues = {};
    if (isId(structure)) {
      const org = await findOrganisationById(k.db, structure);
      if (org) values['role_org_0'] = org.name;
    }
    const ctx = await viewContext(request, reply);
    return sendPage(reply, ContactCreatePage({ ctx, t: await taxonomies(k.db), values, errors: {} }));
  });

  app.post('/admin/contacts/nouveau', staff, async (request, reply) => {
    const b = formBody(request);
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
    const contact = await requireContact(id);
    const [labels, consents, history, origins] = await Promise.all([
      taxonomies(k.db),
      repo.consentsOf(k.db, id),
      listAudit(k.db, { entityType: 'contact', entityId: id, limit: 100, offset: 0 }),
      recordOrigins(k.db, 'contact', id),
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
        origins,
        consentValues: extra.consentValues,
        consentErrors: extra.consentErrors,
        today: isoDay(k.clock.now()),
      }),
      status,
    );
  }

  app.get<IdParams>('/admin/contacts/:id', staff, async (request, reply) => contactPage(request, reply, request.params.id));

  app.post<IdParams>('/admin/contacts/:id', staff, async (request, reply) => {
    const { id } = request.params;
    await requireEditableContact(id);
    const b = formBody(request);
    const result = await saveContact(k, actorOf(request), b, id);
    if (!result.ok) return contactPage(request, reply, id, { values: formValues(b), errors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t('backofficeOrganisations.contacts.saved'));
    return reply.redirect(`/admin/contacts/${id}#contenu`, 303);
  });

  app.post<IdParams>('/admin/contacts/:id/consentements', staff, async (request, reply) => {
    const { id } = request.params;
    await requireEditableContact(id);
    const b = formBody(request);
    const result = await recordConsent(k, actorOf(request), id, b);
    if (!result.ok) return contactPage(request, reply, id, { consentValues: strings(b), consentErrors: translate(result.errors, request.t) }, 400);
    flash(request, 'success', request.t('backofficeOrganisations.consent.recorded'));
    return reply.redirect(`/admin/contacts/${id}#consentements`, 303);
  });

  app.get<IdParams>('/admin/contacts/:id/export', staff, async (request, reply) => {
    const contact = await requireContact(request.params.id);
    return sendPage(reply, RgpdConfirmPage({ ctx: await viewContext(request, reply), contact, kind: 'export' }));
  });

  app.post<IdParams>('/admin/contacts/:id/export', staff, async (request, reply) => {
    const document = await exportContact(k, actorOf(request), request.params.id);
    if (!document) throw new AppError('not_found');
    return sendJsonDownload(reply, `contact-${request.params.id}.json`, document);
  });

  app.get<IdParams>('/admin/contacts/:id/effacer', staff, async (request, reply) => {
    const contact = await requireContact(request.params.id);
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
