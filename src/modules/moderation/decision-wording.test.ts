import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client, TestApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { EVENT_FORM, eventsWorld, type EventsWorld } from '../../../test/helpers/events.js';
import { decisionMail } from './mails.js';
import { propose } from './proposals.js';

const NB = '\u00a0';

/** The acceptance email's text for a kind of record, new or changed. */
function accepted(type: string, isNew: boolean): string {
  return decisionMail({ locale: 'fr', networkName: 'Réseau test', name: 'Awa', title: 'Puits de Kaédi', kind: 'Genre', type, isNew, decision: 'approved', message: null, link: 'https://exemple.org/x' }).text;
}

describe('moderation: the acceptance email says what became of the record, in the words of its kind', () => {
  test('a new event, news item or resource is said accepted and published; its button names it', () => {
    for (const [type, sentence, button] of [
      ['event', `Votre proposition d’événement «${NB}Puits de Kaédi${NB}» a été acceptée et publiée.`, 'Voir l’événement'],
      ['news', `Votre proposition d’actualité «${NB}Puits de Kaédi${NB}» a été acceptée et publiée.`, 'Voir l’actualité'],
      ['resource', `Votre proposition de ressource «${NB}Puits de Kaédi${NB}» a été acceptée et publiée.`, 'Voir la ressource'],
      ['organisation', `Votre proposition de structure «${NB}Puits de Kaédi${NB}» a été acceptée${NB}: elle figure désormais dans l’annuaire.`, 'Voir la fiche'],
    ] as const) {
      const text = accepted(type, true);
      assert.ok(text.includes(sentence), `${type}: ${text}`);
      assert.ok(text.includes(`${button}${NB}: https://exemple.org/x`), `${type}: ${text}`);
      assert.doesNotMatch(text, /à jour/, `${type}: a new record is not « à jour »`);
    }
  });

  test('a change says the record is now up to date, with its article and gender', () => {
    for (const [type, sentence, button] of [
      ['event', `de l’événement «${NB}Puits de Kaédi${NB}» a été acceptée${NB}: l’événement est désormais à jour.`, 'Voir l’événement'],
      ['news', `de l’actualité «${NB}Puits de Kaédi${NB}» a été acceptée${NB}: l’actualité est désormais à jour.`, 'Voir l’actualité'],
      ['resource', `de la ressource «${NB}Puits de Kaédi${NB}» a été acceptée${NB}: la ressource est désormais à jour.`, 'Voir la ressource'],
      ['organisation', `de la fiche «${NB}Puits de Kaédi${NB}» a été acceptée${NB}: la fiche est désormais à jour.`, 'Voir la fiche'],
      ['organisation_position', `Votre proposition de déplacer «${NB}Puits de Kaédi${NB}» sur la carte a été acceptée${NB}: la carte est désormais à jour.`, 'Voir la fiche'],
    ] as const) {
      const text = accepted(type, false);
      assert.ok(text.includes(sentence), `${type}: ${text}`);
      assert.ok(text.includes(`${button}${NB}: https://exemple.org/x`), `${type}: ${text}`);
    }
    // A kind without words of its own keeps a neutral sentence naming it, without a capital mid-sentence.
    assert.match(accepted('call', true), /Votre proposition «\u00a0Puits de Kaédi\u00a0» \(genre\) a été acceptée et publiée\./);
  });
});

describe('moderation: the refusal email names the kind of record in the middle of its sentence', () => {
  test('« … concernant « X » (actualité) », in lower case, as French writes it mid-sentence', () => {
    for (const [type, kind, said] of [
      ['news', 'Actualité', 'actualité'],
      ['event', 'Événement', 'événement'],
      ['organisation', 'Structure', 'structure'],
    ] as const) {
      const mail = decisionMail({ locale: 'fr', networkName: 'Réseau test', name: 'Awa', title: 'Puits de Kaédi', kind, type, isNew: true, decision: 'rejected', message: 'Hors sujet.', link: null });
      assert.ok(mail.text.includes(`L’équipe du réseau n’a pas retenu votre proposition concernant «${NB}Puits de Kaédi${NB}» (${said}).`), `${type}: ${mail.text}`);
      assert.doesNotMatch(mail.text, new RegExp(`\\(${kind}\\)`));
    }
  });
});

forEachDialect('moderation: a member’s event, accepted then changed: the emails and the lists of Mon espace', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId: string;
  let orgMember: EventsWorld['orgMember'];
  before(async () => ({ t, staff, orgId, orgMember } = await eventsWorld(dialect)));
  after(() => t.close());

  const proposalIdOf = async (title: string) => {
    const queue = await staff.get('/admin/moderation?type=event');
    const id = new RegExp(`href="/admin/moderation/([0-9a-f-]{36})">${title}<`).exec(queue.body)?.[1];
    assert.ok(id, `the queue lists « ${title} »`);
    return id;
  };

  test('a new event: « acceptée et publiée », « Voir l’événement »; a change: « l’événement est désormais à jour »; statuses read « Proposition … »', async () => {
    const email = 'awa.wording@example.org';
    const member = await orgMember(email);
    const fields = { ...EVENT_FORM, type_code: 'member_event', title: 'Troc de graines', organisers: orgId };
    assert.equal((await member.post('/mon-espace/evenements/nouveau', fields)).statusCode, 303);

    const pending = await member.get('/mon-espace/evenements');
    assert.match(pending.body, /<td>Troc de graines<\/td><td[^>]*>[^<]+<\/td><td[^>]*>Proposition en attente<\/td>/);

    const mails = t.smtp.messages.length;
    assert.equal((await staff.post(`/admin/moderation/${await proposalIdOf('Troc de graines')}/approuver`)).statusCode, 303);
    // The email leaves through the job queue.
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(mails + 1);
    const created = t.smtp.lastTo(email)!.parsed.text ?? '';
    assert.match(created, /Votre proposition d’événement «\u00a0Troc de graines\u00a0» a été acceptée et publiée\./);
    assert.match(created, /Voir l’événement\u00a0: http:\/\/localhost:3000\/agenda\/troc-de-graines-2030-06-12/);
    assert.doesNotMatch(created, /à jour|Voir la fiche/);

    // Mon espace: the status agrees with « proposition », in the events’ list and among « Mes propositions ».
    const events = await member.get('/mon-espace/evenements');
    assert.match(events.body, /<td>Troc de graines<\/td><td[^>]*>[^<]+<\/td><td[^>]*>Proposition acceptée<\/td>/);
    assert.doesNotMatch(events.body, /<td[^>]*>Acceptée<\/td>/);
    const structures = await member.get('/mon-espace/structures');
    assert.match(structures.body, /<strong>Troc de graines<\/strong><span class="muted"> · Événement<\/span> <span class="badge mod-status-approved">Proposition acceptée<\/span>/);

    const eventId = (await t.kernel.db.selectFrom('events').select('id').where('title', '=', 'Troc de graines').executeTakeFirstOrThrow()).id;
    assert.equal((await member.post(`/mon-espace/evenements/${eventId}/modifier`, { ...fields, title: 'Troc de graines et de plants' })).statusCode, 303);
    const changes = t.smtp.messages.length;
    assert.equal((await staff.post(`/admin/moderation/${await proposalIdOf('Troc de graines et de plants')}/approuver`)).statusCode, 303);
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(changes + 1);
    const changed = t.smtp.lastTo(email)!.parsed.text ?? '';
    assert.match(changed, /Votre proposition de modification de l’événement «\u00a0Troc de graines et de plants\u00a0» a été acceptée\u00a0: l’événement est désormais à jour\./);
    assert.match(changed, /Voir l’événement\u00a0: /);
  });
});

forEachDialect('moderation: the queue says what each proposal adds, in the words of its kind', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId: string;
  let orgMember: EventsWorld['orgMember'];
  before(async () => ({ t, staff, orgId, orgMember } = await eventsWorld(dialect)));
  after(() => t.close());

  /** The badge under a proposal's title in the queue, and the type column, as staff read them. */
  const queueRow = async (title: string) => {
    const queue = (await staff.get('/admin/moderation')).body;
    const row = new RegExp(`<tr><td><a href="/admin/moderation/([0-9a-f-]{36})">${title}</a><br/?><span class="badge">([^<]*)</span>[\\s\\S]*?</td><td>([^<]*)</td>`).exec(queue);
    assert.ok(row, `the queue lists « ${title} »`);
    return { id: row[1]!, badge: row[2], type: row[3] };
  };

  test('« Nouvel événement », « Nouvelle actualité », « Nouvelle fiche » (a structure), « Modification »; the same on the proposal’s page', async () => {
    const member = await orgMember('awa.file@example.org');
    assert.equal((await member.post('/mon-espace/evenements/nouveau', { ...EVENT_FORM, type_code: 'member_event', title: 'Bourse aux plants', organisers: orgId })).statusCode, 303);
    assert.equal((await member.post('/mon-espace/actualites/nouveau', { title: 'Ciné-débat au Sahel', summary: 'Une soirée avec les réalisateurs.', body: 'Venez nombreux.', organisation: orgId })).statusCode, 303);
    const proposer = { userId: null, name: 'Awa', email: 'awa.visiteuse@example.org' };
    assert.ok((await propose(t.kernel, { type: 'organisation', entityId: null, payload: { name: 'Jardins partagés de Cenon', kind_code: 'association' }, proposer })).ok);
    assert.ok((await propose(t.kernel, { type: 'organisation', entityId: orgId, payload: { name: 'Eau Vive Gironde et Sahel' }, proposer })).ok);

    const event = await queueRow('Bourse aux plants');
    assert.deepEqual([event.badge, event.type], ['Nouvel événement', 'Événement']);
    const news = await queueRow('Ciné-débat au Sahel');
    assert.deepEqual([news.badge, news.type], ['Nouvelle actualité', 'Actualité']);
    assert.deepEqual([(await queueRow('Jardins partagés de Cenon')).badge, (await queueRow('Eau Vive Gironde et Sahel')).badge], ['Nouvelle fiche', 'Modification']);
    assert.doesNotMatch((await staff.get('/admin/moderation?type=event')).body, /Nouvelle fiche/);

    assert.match((await staff.get(`/admin/moderation/${news.id}`)).body, /<dd>Actualité · Nouvelle actualité<\/dd>/);
    assert.match((await staff.get(`/admin/moderation/${event.id}`)).body, /<dd>Événement · Nouvel événement<\/dd>/);
    const english = (await staff.get('/admin/moderation', { 'accept-language': 'en' })).body;
    assert.match(english, /<span class="badge">New event<\/span>/);
    assert.match(english, /<span class="badge">New news article<\/span>/);
  });
});
