import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { migrations } from '../../db/migrations/index.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { contactSortNameOf, usersOfOrganisation } from '../organisations/index.js';
import { spreadsheetSafe } from '../../kernel/spreadsheet.js';
import { euroToCents } from './organisation-edit.js';
import { resolveSegment } from './segments.js';

const YEAR = new Date().getUTCFullYear();

/** Posts a form whose fields may repeat (checkbox lists, selected rows). */
async function postForm(client: Client, url: string, fields: [string, string][]) {
  const body = new URLSearchParams(fields);
  body.set('_csrf', await client.csrf());
  return client.request('POST', url, { payload: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** The error summary's lines as « field: message », in order (what a screen reader lists). */
function summaryOf(html: string): string[] {
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<li><a href="#f-([\w-]+)">([^<]*)<\/a><\/li>/g)].map((m) => `${m[1]}: ${m[2]}`);
}

function idFrom(location: unknown): string {
  return String(location).split('/').pop()!.split('#')[0]!;
}

/** What the « no restriction » choice of a filter says (its first option). */
function anyLabel(html: string, name: string): string | undefined {
  return new RegExp(`<select id="[^"]*" name="${name}"[^>]*><option value=""[^>]*>([^<]*)</option>`).exec(html)?.[1];
}

/** The names listed in the organisations table of a list page. */
function listedNames(html: string): string[] {
  return [...html.matchAll(/<a href="\/admin\/organisations\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]!).sort();
}

describe('money and spreadsheet helpers', () => {
  test('fees typed in euros become cents; nonsense is refused', () => {
    assert.equal(euroToCents('120'), 12000);
    assert.equal(euroToCents('120,50'), 12050);
    assert.equal(euroToCents('1 200,5 €'), 120050);
    assert.equal(euroToCents(''), null);
    assert.equal(euroToCents('douze'), undefined);
    assert.equal(euroToCents('12,345'), undefined);
  });

  test('a cell starting like a formula is neutralised, numbers stay numbers', () => {
    assert.equal(spreadsheetSafe('=HYPERLINK("http://x")'), `'=HYPERLINK("http://x")`);
    assert.equal(spreadsheetSafe('+33 5'), `'+33 5`);
    assert.equal(spreadsheetSafe(-0.57), '-0.57');
    assert.equal(spreadsheetSafe('Eau Vive'), 'Eau Vive');
  });
});

forEachDialect('back office: organisations', (dialect) => {
  let t: TestApp;
  let staff: Client;
  const ids: Record<string, string> = {};

  async function create(fields: [string, string][]): Promise<string> {
    const res = await postForm(staff, '/admin/organisations/nouvelle', fields);
    assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
    return idFrom(res.headers.location);
  }

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff', 'equipe@example.org');
    await staff.get('/admin/organisations');
    ids['eau'] = await create([
      ['name', 'Eau Vive Gironde'], ['kind_code', 'association'], ['commune', '33063'], ['postcode', '33000'], ['email', 'contact@eauvive.org'],
      ['themes', 'water_sanitation'], ['countries', 'SN'], ['visibility', 'public'], ['is_member', '1'],
      ['membership_year_0', String(YEAR)], ['membership_status_0', 'paid'], ['membership_fee_0', '120,50'],
    ]);
    ids['mairie'] = await create([
      ['name', 'Mairie de Pessac'], ['kind_code', 'local_authority'], ['commune', 'Pessac'], ['postcode', '33600'], ['themes', 'local_governance'],
      ['visibility', 'staff'], ['membership_year_0', String(YEAR)], ['membership_status_0', 'pending'],
    ]);
    ids['mali'] = await create([['name', 'Collectif Limousin Mali'], ['kind_code', 'association'], ['email', 'collectif@example.org'], ['visibility', 'members']]);
    const reviewed = await staff.post(`/admin/organisations/${ids['mali']}/revue`);
    assert.equal(reviewed.statusCode, 303);
  });
  after(() => t.close());

  const list = async (query: string) => {
    const res = await staff.get(`/admin/organisations?${query}`);
    assert.equal(res.statusCode, 200);
    return res.body;
  };

  test('the new organisation and new contact forms answer at the other genders of « nouveau », the query kept', async () => {
    for (const [guessed, form] of [
      ['/admin/organisations/nouveau', '/admin/organisations/nouvelle'],
      ['/admin/organisations/nouvel', '/admin/organisations/nouvelle'],
      ['/admin/contacts/nouvelle', '/admin/contacts/nouveau'],
      ['/admin/contacts/nouvel', '/admin/contacts/nouveau'],
    ]) {
      const res = await staff.get(`${guessed}?organisation=abc`);
      assert.equal(res.statusCode, 301, guessed);
      assert.equal(res.headers.location, `${form}?organisation=abc`);
    }
  });

  test('directory filters and staff-only filters narrow the list, with the count', async () => {
    assert.deepEqual(listedNames(await list('')), ['Collectif Limousin Mali', 'Eau Vive Gironde', 'Mairie de Pessac']);
    const eau = await list('q=eau');
    assert.deepEqual(listedNames(eau), ['Eau Vive Gironde']);
    assert.match(eau, /1 structure\b/);
    assert.deepEqual(listedNames(await list('famille=association&theme=water_sanitation')), ['Eau Vive Gironde']);
    assert.deepEqual(listedNames(await list('departement=33')), ['Eau Vive Gironde', 'Mairie de Pessac']);
    assert.deepEqual(listedNames(await list('visibilite=staff')), ['Mairie de Pessac']);
    assert.deepEqual(listedNames(await list('manque=email')), ['Mairie de Pessac']);
    assert.deepEqual(listedNames(await list('manque=commune')), ['Collectif Limousin Mali']);
    assert.deepEqual(listedNames(await list('manque=themes')), ['Collectif Limousin Mali']);
    assert.deepEqual(listedNames(await list('manque=coordonnees')).length, 3, 'no geocoder in tests: no coordinates yet');
    assert.deepEqual(listedNames(await list(`adhesion_annee=${YEAR}&adhesion_statut=payee`)), ['Eau Vive Gironde']);
    assert.deepEqual(listedNames(await list(`adhesion_annee=${YEAR}&adhesion_statut=attente`)), ['Mairie de Pessac']);
    assert.deepEqual(listedNames(await list(`adhesion_annee=${YEAR}&adhesion_statut=aucune`)), ['Collectif Limousin Mali']);
    assert.deepEqual(listedNames(await list('non_revue=1')), ['Eau Vive Gironde', 'Mairie de Pessac']);
    assert.deepEqual(listedNames(await list('adherent=oui')), ['Eau Vive Gironde']);
  });

  test('each filter’s « all » choice agrees with what it filters: « Toutes les familles », « Tous les pays »', async () => {
    const body = await list('');
    assert.equal(anyLabel(body, 'famille'), 'Toutes les familles');
    assert.equal(anyLabel(body, 'departement'), 'Tous les départements');
    assert.equal(anyLabel(body, 'theme'), 'Toutes les thématiques');
    assert.equal(anyLabel(body, 'pays'), 'Tous les pays');
    assert.equal(anyLabel(body, 'zone'), 'Toutes les zones');
    assert.equal(anyLabel(body, 'odd'), 'Tous les ODD');
    assert.equal(anyLabel(body, 'visibilite'), 'Toutes les visibilités');
    assert.equal(anyLabel(body, 'etiquette'), 'Toutes les étiquettes');
    assert.equal(anyLabel(body, 'non_revue'), 'Toutes les fiches');
    assert.equal(anyLabel(body, 'adherent'), 'Tous', 'a masculine label keeps « Tous »');
    const contacts = (await staff.get('/admin/contacts')).body;
    assert.equal(anyLabel(contacts, 'famille'), 'Toutes les familles');
    assert.equal(anyLabel(contacts, 'theme'), 'Toutes les thématiques');
  });

  test('the list paginates 50 per page and keeps the filters in the page links', async () => {
    const beyond = await staff.get('/admin/organisations?famille=association&page=2');
    assert.equal(beyond.statusCode, 302, 'two results make one page: page 2 leads to it');
    assert.equal(beyond.headers.location, '/admin/organisations?famille=association');
    assert.match(await list('q=mairie'), /value="mairie"/, 'the search box shows the query');
  });

  test('a saved filter is listed, applied, resolved to its organisations, then deleted', async () => {
    const saved = await staff.post('/admin/organisations/filtres', { name: 'Gironde', query: 'departement=33&manque=email' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/admin/organisations?departement=33&manque=email');
    const row = await t.kernel.db.selectFrom('saved_filters').selectAll().where('name', '=', 'Gironde').executeTakeFirstOrThrow();
    assert.equal(row.scope, 'organisations');
    const page = await list('');
    assert.match(page, /href="\/admin\/organisations\?departement=33&(amp;)?manque=email">Gironde<\/a>/);
    const applied = await staff.get(`/admin/organisations/filtres/${row.id}`);
    assert.equal(applied.statusCode, 303);
    assert.deepEqual(listedNames(await list(String(applied.headers.location).split('?')[1]!)), ['Mairie de Pessac']);
    assert.deepEqual(await resolveSegment(t.kernel.db, row.id), [ids['mairie']]);

    const tooShort = await staff.post('/admin/organisations/filtres', { name: 'x', query: 'q=eau' });
    assert.equal(tooShort.statusCode, 400);
    assert.match(tooShort.body, /Le nom du filtre doit contenir entre 2 et 100 caractères/);

    const deleted = await staff.post(`/admin/organisations/filtres/${row.id}/supprimer`);
    assert.equal(deleted.statusCode, 303);
    await assert.rejects(resolveSegment(t.kernel.db, row.id), /not_found/);
    const actions = await t.kernel.db.selectFrom('audit_log').select('action').where('entity_id', '=', row.id).orderBy('at').execute();
    assert.deepEqual(actions.map((a) => a.action), ['saved_filter.created', 'saved_filter.deleted']);
  });

  test('bulk actions tag the selection or the whole filtered set, set a college, and are audit-logged', async () => {
    const tagged = await postForm(staff, '/admin/organisations/actions', [
      ['action', 'add_tag'], ['tag', 'Forum 2026'], ['scope', 'selection'], ['ids', ids['eau']!], ['ids', ids['mali']!], ['filter', ''],
    ]);
    assert.equal(tagged.statusCode, 303);
    assert.deepEqual(listedNames(await list('etiquette=Forum 2026')), ['Collectif Limousin Mali', 'Eau Vive Gironde']);

    const all = await postForm(staff, '/admin/organisations/actions', [['action', 'add_tag'], ['tag', 'Gironde'], ['scope', 'all'], ['filter', 'departement=33']]);
    assert.equal(all.statusCode, 303);
    assert.equal(all.headers.location, '/admin/organisations?departement=33');
    assert.deepEqual(listedNames(await list('etiquette=Gironde')), ['Eau Vive Gironde', 'Mairie de Pessac']);

    const removed = await postForm(staff, '/admin/organisations/actions', [['action', 'remove_tag'], ['tag', 'Gironde'], ['scope', 'selection'], ['ids', ids['mairie']!]]);
    assert.equal(removed.statusCode, 303);
    assert.deepEqual(listedNames(await list('etiquette=Gironde')), ['Eau Vive Gironde']);

    const college = await postForm(staff, '/admin/organisations/actions', [['action', 'set_college'], ['college', 'local_authorities'], ['scope', 'selection'], ['ids', ids['mairie']!]]);
    assert.equal(college.statusCode, 303);
    const colleges = await t.kernel.db.selectFrom('organisation_colleges').select('college_code').where('organisation_id', '=', ids['mairie']!).execute();
    assert.deepEqual(colleges.map((c) => c.college_code), ['local_authorities']);

    const nothing = await postForm(staff, '/admin/organisations/actions', [['action', 'add_tag'], ['tag', 'x'], ['scope', 'selection']]);
    assert.equal(nothing.statusCode, 400);
    assert.match(nothing.body, /Cochez au moins une structure/);

    const audit = await t.kernel.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('entity_id', '=', ids['mairie']!).execute();
    const actions = audit.map((a) => a.action);
    assert.ok(actions.includes('organisation.tag_added') && actions.includes('organisation.tag_removed') && actions.includes('organisation.college_set'), actions.join());
    const collegeEntry = audit.find((a) => a.action === 'organisation.college_set')!;
    assert.deepEqual(JSON.parse(collegeEntry.after!), { colleges: ['local_authorities'] });
  });

  test('the CSV export of a selection carries the staff fields, opens in French Excel and is logged', async () => {
    const res = await postForm(staff, '/admin/organisations/actions', [['action', 'export'], ['scope', 'selection'], ['ids', ids['eau']!], ['ids', ids['mairie']!]]);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="structures-\d{4}-\d{2}-\d{2}\.csv"/);
    assert.ok(res.body.startsWith('\uFEFF'), 'UTF-8 BOM');
    const lines = res.body.slice(1).trim().split('\r\n');
    assert.equal(lines.length, 3);
    const header = lines[0]!.split(';');
    const row = (name: string) => {
      const line = lines.find((l) => l.includes(name))!;
      return Object.fromEntries(line.split(';').map((v, i) => [header[i]!, v]));
    };
    const eau = row('Eau Vive Gironde');
    assert.equal(eau['email'], 'contact@eauvive.org');
    assert.equal(eau[`adhésion ${YEAR}`], 'payée');
    assert.equal(eau[`cotisation ${YEAR} (€)`], '120,50');
    assert.equal(eau['adhérent'], 'oui');
    assert.match(eau['étiquettes']!, /Forum 2026/);
    assert.equal(eau['visibilité'], 'public');
    assert.equal(row('Mairie de Pessac')['visibilité'], 'staff');
    const logged = await t.kernel.db.selectFrom('audit_log').select('after').where('action', '=', 'organisations.exported').executeTakeFirstOrThrow();
    assert.equal(JSON.parse(logged.after!).count, 2);
  });

  test('a form with errors comes back in French next to each field, with everything typed', async () => {
    const fields: [string, string][] = [
      ['name', 'Association Solidarité Sahel'], ['kind_code', 'association'], ['siret', '12345678901234'], ['rna', 'W123'], ['email', 'pas-une-adresse'],
      ['website', 'pas une adresse'], ['commune', '33063'], ['postcode', '75001'], ['address', '12 rue des Faures'], ['themes', 'health'],
      ['membership_year_0', String(YEAR)], ['membership_status_0', 'paid'], ['membership_fee_0', 'douze euros'],
    ];
    const res = await postForm(staff, '/admin/organisations/nouvelle', fields);
    assert.equal(res.statusCode, 400);
    for (const message of [
      /Le SIRET compte 14 chiffres et sa clé de contrôle doit être juste/,
      /Le numéro RNA commence par W suivi de 9 caractères/,
      /Saisissez une adresse email valide/,
      /Saisissez une adresse de site valide/,
      /Ce code postal n’appartient pas à la commune Bordeaux/,
      /Saisissez un montant en euros/,
    ]) {
      assert.match(res.body, message);
    }
    for (const typed of ['Association Solidarité Sahel', '12345678901234', 'W123', 'pas-une-adresse', '12 rue des Faures', 'douze euros', '75001']) {
      assert.ok(res.body.includes(`value="${typed}"`), `the page keeps ${typed}`);
    }
    assert.match(res.body, /aria-describedby="f-siret-hint f-siret-error"|aria-describedby="f-siret-error"/);
    // Each public contact field says what to give there.
    assert.match(res.body, /id="f-email-hint"[^>]*>Publié sur la fiche publique : indiquez les coordonnées de la structure \(contact@…\)/);
    assert.match(res.body, /id="f-phone-hint"[^>]*>Publié sur la fiche publique : indiquez le numéro de la structure \(standard, accueil\)/);
    assert.equal((await t.kernel.db.selectFrom('organisations').select('id').where('name', '=', 'Association Solidarité Sahel').execute()).length, 0);
  });

  test('an empty organisation name asks for the structure’s name; a name too short gives the length', async () => {
    const empty = await postForm(staff, '/admin/organisations/nouvelle', [['name', '   '], ['kind_code', 'association']]);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Indiquez le nom de la structure\./);
    assert.doesNotMatch(empty.body, /entre 2 et 200 caractères/);
    const short = await postForm(staff, '/admin/organisations/nouvelle', [['name', 'A'], ['kind_code', 'association']]);
    assert.match(short.body, /Le nom de la structure doit contenir entre 2 et 200 caractères\./);
    // On the public form, beside the proposer’s own name.
    const visitor = t.client();
    await visitor.get('/proposer-une-structure');
    const proposed = await visitor.post('/proposer-une-structure', { proposer_name: '', proposer_email: 'awa@example.org', name: '', kind_code: 'association' });
    assert.equal(proposed.statusCode, 400);
    assert.match(proposed.body, /Indiquez votre nom \(2 à 120 caractères\)\./);
    assert.match(proposed.body, /Indiquez le nom de la structure\./);
  });

  test('bad staff and volunteer counts and social links are each named in the error summary', async () => {
    const fields: [string, string][] = [
      ['name', 'Association des comptes faux'], ['kind_code', 'association'], ['staff_count', '-3'], ['volunteer_count', 'douze'],
      ['social_facebook', 'pas une adresse'], ['social_mastodon', 'javascript:alert(1)'], ['social_other', 'ftp://exemple.org'],
    ];
    const res = await postForm(staff, '/admin/organisations/nouvelle', fields);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summaryOf(res.body), [
      'staff_count: Saisissez le nombre de salariés en chiffres, de 0 à 1 000 000.',
      'volunteer_count: Saisissez le nombre de bénévoles en chiffres, de 0 à 1 000 000.',
      'social_facebook: Saisissez une adresse Facebook valide, par exemple https://www.facebook.com/ma-structure (500 caractères au plus).',
      'social_mastodon: Saisissez une adresse Mastodon valide, par exemple https://mastodon.social/@ma-structure ou @ma-structure@mastodon.social (500 caractères au plus).',
      'social_other: Saisissez une adresse web valide dans «\u00a0Autre lien\u00a0», par exemple https://www.exemple.org/ma-structure (500 caractères au plus).',
    ]);
    const inEnglish = await staff.request('POST', '/admin/organisations/nouvelle', {
      payload: new URLSearchParams([...fields, ['_csrf', await staff.csrf()]]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    });
    assert.deepEqual(summaryOf(inEnglish.body), [
      'staff_count: Enter the number of employees in figures, from 0 to 1,000,000.',
      'volunteer_count: Enter the number of volunteers in figures, from 0 to 1,000,000.',
      'social_facebook: Enter a valid Facebook address, for example https://www.facebook.com/my-organisation (500 characters at most).',
      'social_mastodon: Enter a valid Mastodon address, for example https://mastodon.social/@my-organisation or @my-organisation@mastodon.social (500 characters at most).',
      'social_other: Enter a valid web address in “Other link”, for example https://www.example.org/my-organisation (500 characters at most).',
    ]);
  });

  test('a website on a local or private address is refused, saying why', async () => {
    const res = await postForm(staff, '/admin/organisations/nouvelle', [['name', 'Association du réseau local'], ['kind_code', 'association'], ['website', 'http://192.168.1.10/']]);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /Cette adresse mène à une machine locale ou à un réseau privé : indiquez l’adresse publique de la page/);
    assert.ok(res.body.includes('value="http://192.168.1.10/"'), 'the address typed stays in the field');
    assert.equal((await t.kernel.db.selectFrom('organisations').select('id').where('name', '=', 'Association du réseau local').execute()).length, 0);
  });

  test('an edit is saved and audit-logged, and the history shows each field before and after', async () => {
    const created = await t.kernel.db.selectFrom('audit_log').select(['action', 'actor_email', 'after']).where('entity_id', '=', ids['mali']!).where('action', '=', 'organisation.created').executeTakeFirstOrThrow();
    assert.equal(created.actor_email, 'equipe@example.org');
    assert.equal(JSON.parse(created.after!).name, 'Collectif Limousin Mali');
    const page = await staff.get(`/admin/organisations/${ids['mali']}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /value="Collectif Limousin Mali"/);
    const bad = await postForm(staff, `/admin/organisations/${ids['mali']}`, [['name', 'Collectif Limousin Mali'], ['kind_code', 'association'], ['rna', 'X12'], ['visibility', 'members']]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="X12"/);
    const ok = await postForm(staff, `/admin/organisations/${ids['mali']}`, [
      ['name', 'Collectif Limousin Mali'], ['kind_code', 'association'], ['rna', 'W332012345'], ['siret', '73282932000074'], ['visibility', 'public'], ['email', 'collectif@example.org'],
      ['description', 'Essai <script>alert(1)</script>& « é »'], ['membership_year_0', String(YEAR - 1)], ['membership_status_0', 'exempt'],
    ]);
    assert.equal(ok.statusCode, 303);
    const after = await staff.get(`/admin/organisations/${ids['mali']}`);
    assert.match(after.body, /<span data-action="organisation\.updated">Structure modifiée<\/span>/);
    assert.match(after.body, /<th scope="row">Numéro RNA<\/th><td>—<\/td><td>W332012345<\/td>/);
    // Values as people read them: rich text as its text, escaped once; codes as their labels.
    const history = /<ol class="timeline bo-history">[\s\S]*?<\/ol>/.exec(after.body)?.[0] ?? '';
    assert.match(history, /<th scope="row">Présentation<\/th><td>—<\/td><td>Essai &amp; « é »<\/td>/);
    assert.match(history, /<th scope="row">Visibilité<\/th><td>Membres du réseau<\/td><td>Publique<\/td>/);
    assert.doesNotMatch(history, /&amp;amp;|alert\(1\)/);
    assert.match(after.body, /<span data-action="organisation\.memberships_updated">Adhésions de la structure modifiées<\/span>/);
    const org = await t.kernel.db.selectFrom('organisations').select(['rna', 'siret', 'visibility', 'reviewed_at']).where('id', '=', ids['mali']!).executeTakeFirstOrThrow();
    assert.deepEqual({ rna: org.rna, siret: org.siret, visibility: org.visibility }, { rna: 'W332012345', siret: '73282932000074', visibility: 'public' });
    assert.ok(org.reviewed_at, 'marked reviewed earlier');
    const memberships = await t.kernel.db.selectFrom('memberships').select(['year', 'status', 'fee_cents']).where('organisation_id', '=', ids['mali']!).execute();
    assert.deepEqual(memberships, [{ year: YEAR - 1, status: 'exempt', fee_cents: null }]);
  });

  test('the map position is written as numbers are in the page’s language: decimal comma in French, point in English', async () => {
    await t.kernel.db.updateTable('organisations').set({ latitude: 45.648, longitude: -0.15625, geo_precision: 'manual' }).where('id', '=', ids['eau']!).execute();
    const position = (body: string) => {
      const dd = /<dt>(?:Position sur la carte|Position on the map)<\/dt>\s*<dd>\s*<span>([^<]*)<\/span>/.exec(body);
      assert.ok(dd, 'the position line');
      return dd[1]!;
    };
    const french = await staff.get(`/admin/organisations/${ids['eau']}`);
    assert.equal(position(french.body), '45,648, -0,15625 — placée à la main', 'worded as on the position page');
    const english = await staff.get(`/admin/organisations/${ids['eau']}`, { 'accept-language': 'en' });
    assert.equal(position(english.body), '45.648, -0.15625 — placed by hand');
  });

  test('interactions are logged with their staff author; a bad date is refused', async () => {
    const bad = await staff.post(`/admin/organisations/${ids['eau']}/interactions`, { kind: 'call', occurred_on: '2026-02-30', text: 'Appel' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /value="Appel"|>Appel<\/textarea>/);
    // An empty or too long report says which field it is and, for the length, the limit.
    const empty = await staff.post(`/admin/organisations/${ids['eau']}/interactions`, { kind: 'call', occurred_on: '2026-03-14', text: '  ' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summaryOf(empty.body), ['interaction-text: Rédigez le compte rendu de l’échange.']);
    const long = await staff.post(`/admin/organisations/${ids['eau']}/interactions`, { kind: 'call', occurred_on: '2026-03-14', text: 'x'.repeat(5001) });
    assert.equal(long.statusCode, 400);
    assert.deepEqual(summaryOf(long.body), ['interaction-text: Le compte rendu est trop long (5 000 caractères au plus).']);
    const ok = await staff.post(`/admin/organisations/${ids['eau']}/interactions`, { kind: 'meeting', occurred_on: '2026-03-14', text: 'Rendez-vous <b>projet</b> puits' });
    assert.equal(ok.statusCode, 303);
    const page = await staff.get(`/admin/organisations/${ids['eau']}`);
    assert.match(page.body, /Rendez-vous &lt;b(&gt;|>)projet&lt;\/b(&gt;|>) puits/, 'markup typed in the text stays text');
    assert.match(page.body, /staff \d+/, 'the author is named');
  });

  test('inviting a person creates a member account tied to the organisation and emails it', async () => {
    const res = await staff.post(`/admin/organisations/${ids['eau']}/inviter`, { display_name: 'Awa Diallo', email: 'Awa.Diallo@example.org' });
    assert.equal(res.statusCode, 303);
    const user = await findUserByEmail(t.kernel.db, 'awa.diallo@example.org');
    assert.equal(user?.role, 'member');
    assert.equal(user?.status, 'invited');
    assert.deepEqual((await usersOfOrganisation(t.kernel.db, ids['eau']!)).map((u) => u.id), [user!.id]);
    // The invitation email leaves through the job queue (decision 0029): the worker sends it.
    await t.kernel.jobs.runDue();
    await t.smtp.waitFor(1);
    const mail = t.smtp.lastTo('Awa.Diallo@example.org') ?? t.smtp.lastTo('awa.diallo@example.org');
    assert.ok(mail, 'an invitation mail was sent');
    // It says who invites the person and for which structure, and what ignoring it means.
    const text = mail.parsed.text ?? '';
    assert.match(text, /^staff \d+, de l’équipe de .+, vous invite à rejoindre le site du réseau pour la structure Eau Vive Gironde\./m);
    assert.match(text, /Si vous ne vous attendiez pas à cette invitation, ignorez ce message\u00a0: aucun compte ne sera activé\./);
    assert.doesNotMatch(text, /à l’origine de cette demande/);
    assert.match(mail.parsed.html || '', /pour la structure Eau Vive Gironde/);
    // The same account can be tied to a second organisation.
    const again = await staff.post(`/admin/organisations/${ids['mali']}/inviter`, { display_name: 'Awa Diallo', email: 'awa.diallo@EXAMPLE.org' });
    assert.equal(again.statusCode, 303);
    assert.deepEqual((await usersOfOrganisation(t.kernel.db, ids['mali']!)).map((u) => u.id), [user!.id]);
    const page = await staff.get(`/admin/organisations/${ids['eau']}`);
    assert.match(page.body, /Awa Diallo/);
    const staffAddress = await staff.post(`/admin/organisations/${ids['eau']}/inviter`, { display_name: 'Moi', email: 'equipe@example.org' });
    assert.equal(staffAddress.statusCode, 400);
  });

  test('an invitation without a name nor a valid address says what to type, in the order of the fields, and invites nobody', async () => {
    const res = await staff.post(`/admin/organisations/${ids['eau']}/inviter`, { display_name: '  ', email: 'jules.ndiaye' });
    assert.equal(res.statusCode, 400);
    const name = res.body.indexOf('Saisissez le nom de la personne.');
    const address = res.body.indexOf('Saisissez une adresse email valide');
    assert.ok(name > 0 && address > 0, 'both fields say what is wrong');
    assert.ok(name < address, 'the name, first on the form, is said first');
    assert.match(res.body, /value="jules\.ndiaye"/, 'what was typed stays');
    assert.equal(await findUserByEmail(t.kernel.db, 'jules.ndiaye'), undefined);
  });
});

forEachDialect('back office: contacts and RGPD', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId = '';
  let contactId = '';

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    await staff.get('/admin/contacts');
    const org = await staff.post('/admin/organisations/nouvelle', { name: 'Terre Solidaire Landes', kind_code: 'association', commune: '40192', visibility: 'public' });
    assert.equal(org.statusCode, 303);
    orgId = idFrom(org.headers.location);
    await staff.post('/admin/organisations/nouvelle', { name: 'Autre Structure', kind_code: 'company', visibility: 'public' });
  });
  after(() => t.close());

  test('a contact is created with emails, E.164 phone, roles and interests; errors keep what was typed', async () => {
    const bad = await postForm(staff, '/admin/contacts/nouveau', [
      ['first_name', 'Mariama'], ['last_name', ''], ['emails', 'mariama@@x'], ['phone', '12'], ['role_org_0', 'Structure Inconnue'], ['countries', 'Atlantide'],
    ]);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Indiquez le nom de famille\./);
    assert.match(bad.body, /Adresse email invalide : mariama@@x/);
    assert.match(bad.body, /Aucune structure ne s’appelle « Structure Inconnue »/);
    assert.match(bad.body, /Pays inconnu : Atlantide/);
    assert.match(bad.body, /value="Mariama"/);
    assert.match(bad.body, /value="Structure Inconnue"/);

    const ok = await postForm(staff, '/admin/contacts/nouveau', [
      ['civility', 'Mme'], ['first_name', 'Mariama'], ['last_name', 'Sow'], ['emails', 'Mariama.Sow@Example.org\nm.sow@terre-solidaire.org'], ['phone', '05 58 00 00 00'],
      ['role_org_0', 'terre solidaire landes'], ['role_function_0', 'Présidente'], ['role_main_0', '1'], ['themes', 'health'], ['themes', 'water_sanitation'], ['countries', 'Sénégal, ML'],
      ['notes', 'Rencontrée au forum'],
    ]);
    assert.equal(ok.statusCode, 303);
    contactId = idFrom(ok.headers.location);
    const row = await t.kernel.db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow();
    assert.equal(row.phone, '+33558000000');
    assert.equal(row.public_profile, 0);
    const emails = await t.kernel.db.selectFrom('contact_emails').selectAll().where('contact_id', '=', contactId).orderBy('is_primary', 'desc').execute();
    assert.deepEqual(emails.map((e) => [e.email, e.email_lower, e.is_primary]), [
      ['Mariama.Sow@Example.org', 'mariama.sow@example.org', 1],
      ['m.sow@terre-solidaire.org', 'm.sow@terre-solidaire.org', 0],
    ]);
    const roles = await t.kernel.db.selectFrom('contact_roles').selectAll().where('contact_id', '=', contactId).execute();
    assert.deepEqual(roles.map((r) => [r.organisation_id, r.function, r.is_main]), [[orgId, 'Présidente', 1]]);
    const countries = await t.kernel.db.selectFrom('contact_countries').select('country_code').where('contact_id', '=', contactId).orderBy('country_code').execute();
    assert.deepEqual(countries.map((c) => c.country_code), ['ML', 'SN']);
    const page = await staff.get(`/admin/contacts/${contactId}`);
    assert.match(page.body, /value="05 58 00 00 00"/);
    assert.match(page.body, /<span data-action="contact\.created">Contact créé<\/span>/);
    const orgPage = await staff.get(`/admin/organisations/${orgId}`);
    assert.match(orgPage.body, /Mariama Sow/);
  });

  test('an empty contact form asks for the last name by name; a text too long says which one and its limit', async () => {
    const empty = await postForm(staff, '/admin/contacts/nouveau', [
      ['civility', ''], ['first_name', ''], ['last_name', ''], ['emails', ''], ['phone', ''], ['role_org_0', ''], ['role_function_0', ''], ['countries', ''], ['notes', ''],
    ]);
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(summaryOf(empty.body), ['last_name: Indiquez le nom de famille.']);
    assert.doesNotMatch(empty.body, /Ce champ est obligatoire/);

    const long = await postForm(staff, '/admin/contacts/nouveau', [
      ['first_name', 'P'.repeat(101)], ['last_name', 'N'.repeat(101)], ['role_org_0', 'Terre Solidaire Landes'], ['role_function_0', 'F'.repeat(121)], ['notes', 'n'.repeat(20_000)],
    ]);
    assert.equal(long.statusCode, 400);
    assert.deepEqual(summaryOf(long.body), [
      'last_name: Le nom de famille est trop long (100 caractères au plus).',
      'first_name: Le prénom est trop long (100 caractères au plus).',
      'role_function_0: La fonction 1 est trop longue (120 caractères au plus).',
      'notes: Les notes internes sont trop longues (10 000 caractères au plus).',
    ]);
    assert.doesNotMatch(long.body, /Ce texte est trop long/);
  });

  test('the contact list searches names and emails case-insensitively and filters by organisation, theme, country, kind, département', async () => {
    await staff.post('/admin/contacts/nouveau', { first_name: 'Jean', last_name: 'Dupont', emails: 'jean.dupont@example.org', role_org_0: 'Autre Structure' });
    const names = async (query: string) => {
      const res = await staff.get(`/admin/contacts?${query}`);
      assert.equal(res.statusCode, 200);
      return [...res.body.matchAll(/<a href="\/admin\/contacts\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]).sort();
    };
    assert.deepEqual(await names(''), ['Jean Dupont', 'Mariama Sow']);
    assert.deepEqual(await names('q=MARIAMA.SOW%40EXAMPLE.ORG'), ['Mariama Sow']);
    assert.deepEqual(await names('q=dupont'), ['Jean Dupont']);
    assert.deepEqual(await names('q=mariama%20sow'), ['Mariama Sow']);
    assert.deepEqual(await names(`structure=${orgId}`), ['Mariama Sow']);
    assert.deepEqual(await names('structure=autre'), ['Jean Dupont']);
    assert.deepEqual(await names('theme=health'), ['Mariama Sow']);
    assert.deepEqual(await names('pays=ML'), ['Mariama Sow']);
    assert.deepEqual(await names('famille=company'), ['Jean Dupont']);
    assert.deepEqual(await names('departement=40'), ['Mariama Sow']);
    const count = await staff.get('/admin/contacts?q=sow');
    assert.match(count.body, /1 contact\b/);
  });

  test('an edit is audit-logged; public-profile consent and recorded events form the consent history', async () => {
    const edit = await postForm(staff, `/admin/contacts/${contactId}`, [
      ['civility', 'Mme'], ['first_name', 'Mariama'], ['last_name', 'Sow'], ['emails', 'Mariama.Sow@Example.org'], ['phone', '+221 77 000 00 00'],
      ['role_org_0', orgId], ['role_function_0', 'Présidente'], ['themes', 'health'], ['countries', 'SN'], ['public_profile', '1'],
    ]);
    assert.equal(edit.statusCode, 303);
    const row = await t.kernel.db.selectFrom('contacts').select(['phone', 'public_profile']).where('id', '=', contactId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { phone: '+221770000000', public_profile: 1 });

    const bad = await staff.post(`/admin/contacts/${contactId}/consentements`, { purpose: 'newsletter', basis: 'consent', event: 'peut-être', source: 'web_form', detail: 'Formulaire' });
    assert.equal(bad.statusCode, 400);
    const withdrawn = await staff.post(`/admin/contacts/${contactId}/consentements`, { purpose: 'newsletter', basis: 'consent', event: 'given', source: 'web_form', detail: 'Inscription au forum', at: '2026-01-15' });
    assert.equal(withdrawn.statusCode, 303);
    const noProfile = await staff.post(`/admin/contacts/${contactId}/consentements`, { purpose: 'public_profile', basis: 'consent', event: 'withdrawn', source: 'email', at: '' });
    assert.equal(noProfile.statusCode, 303);
    const consents = await t.kernel.db.selectFrom('consents').selectAll().where('contact_id', '=', contactId).orderBy('at').execute();
    assert.deepEqual(
      consents.map((c) => [c.purpose, c.event, c.source]).sort(),
      [['newsletter', 'given', 'web_form'], ['public_profile', 'given', 'staff'], ['public_profile', 'withdrawn', 'email']].sort(),
    );
    assert.equal((await t.kernel.db.selectFrom('contacts').select('public_profile').where('id', '=', contactId).executeTakeFirstOrThrow()).public_profile, 0);
    const page = await staff.get(`/admin/contacts/${contactId}`);
    assert.match(page.body, /Inscription au forum/);
    assert.match(page.body, /Formulaire en ligne/);
    assert.match(page.body, /Retiré/);
    assert.match(page.body, /<span data-action="contact\.updated">Contact modifié<\/span>/);
  });

  test('the RGPD export holds everything about the person, after a confirmation step', async () => {
    await staff.post(`/admin/organisations/${orgId}/interactions`, { kind: 'call', occurred_on: '2026-03-01', text: 'Appel avec Mariama Sow sur le projet santé' });
    // She also subscribed to the newsletter from the public form, with another case.
    assert.equal((await staff.post('/admin/lettres/listes', { name: 'Lettre des adhérents', description: 'Chaque mois', is_public: '1' })).statusCode, 303);
    const list = await t.kernel.db.selectFrom('newsletter_lists').select('id').where('name', '=', 'Lettre des adhérents').executeTakeFirstOrThrow();
    assert.equal((await t.client().post('/lettre', { email: 'mariama.sow@example.ORG', lists: list.id })).statusCode, 200);
    // And asked for a member account for her organisation, again with another case.
    const request = await t.client().post('/demande-de-compte', { mode: 'existing', organisation_id: orgId, person_name: 'Mariama S.', person_email: 'MARIAMA.SOW@example.org', message: 'Je préside l’association.' });
    assert.equal(request.statusCode, 303);
    const confirm = await staff.get(`/admin/contacts/${contactId}/export`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /<form method="post" action="\/admin\/contacts\/[0-9a-f-]+\/export"/);
    const res = await staff.post(`/admin/contacts/${contactId}/export`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="contact-.+\.json"/);
    const doc = JSON.parse(res.body);
    assert.equal(doc.contact.last_name, 'Sow');
    assert.deepEqual(doc.emails, [{ email: 'Mariama.Sow@Example.org', primary: true }]);
    assert.equal(doc.roles[0].organisation, 'Terre Solidaire Landes');
    assert.deepEqual(doc.interests, { themes: ['health'], countries: ['SN'] });
    assert.equal(doc.consents.length, 4, 'three recorded by staff, one by the newsletter form');
    assert.equal(doc.consents.filter((k: { purpose: string }) => k.purpose === 'newsletter').length, 2);
    assert.equal(doc.interactions.length, 1);
    assert.match(doc.interactions[0].text, /Mariama Sow/);
    assert.ok(doc.audit.some((a: { action: string }) => a.action === 'contact.created'));
    assert.equal(doc.newsletter.length, 1, 'the newsletter subscription made with the same address');
    assert.equal(doc.newsletter[0].email, 'mariama.sow@example.ORG');
    assert.deepEqual(doc.call_alerts, [], 'no call alert was sent to her');
    assert.deepEqual(doc.event_registrations, [], 'she registered for no event');
    assert.equal(doc.account_requests.length, 1, 'the account request made with the same address');
    const { id: requestId, created_at: requestedAt, ...requested } = doc.account_requests[0];
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.ok(requestedAt);
    assert.deepEqual(requested, { name: 'Mariama S.', email: 'MARIAMA.SOW@example.org', organisation_id: orgId, message: 'Je préside l’association.', status: 'pending', decided_at: null });
  });

  test('erasure anonymises the person everywhere and keeps the statistics', async () => {
    const confirm = await staff.get(`/admin/contacts/${contactId}/effacer`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Effacer définitivement/);
    const [accountRequest] = await t.kernel.db.selectFrom('account_requests').select('id').execute();
    assert.ok(accountRequest, 'her account request is there before the erasure');
    assert.ok((await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_id', '=', accountRequest.id).execute()).some((a) => a.after?.includes('Mariama S.')));
    const res = await staff.post(`/admin/contacts/${contactId}/effacer`);
    assert.equal(res.statusCode, 303);
    const row = await t.kernel.db.selectFrom('contacts').selectAll().where('id', '=', contactId).executeTakeFirstOrThrow();
    assert.equal(row.last_name, 'Contact effacé');
    assert.equal(row.first_name, null);
    assert.equal(row.phone, null);
    assert.equal(row.notes, null);
    assert.ok(row.erased_at);
    assert.equal((await t.kernel.db.selectFrom('contact_emails').select('email').where('contact_id', '=', contactId).execute()).length, 0);

    // Nothing identifying is left anywhere in the database.
    const dump = JSON.stringify(
      await Promise.all([
        t.kernel.db.selectFrom('contacts').selectAll().execute(),
        t.kernel.db.selectFrom('contact_emails').selectAll().execute(),
        t.kernel.db.selectFrom('contact_roles').selectAll().execute(),
        t.kernel.db.selectFrom('consents').selectAll().execute(),
        t.kernel.db.selectFrom('interactions').selectAll().execute(),
        t.kernel.db.selectFrom('audit_log').selectAll().execute(),
        t.kernel.db.selectFrom('newsletter_subscribers').selectAll().execute(),
        t.kernel.db.selectFrom('account_requests').selectAll().execute(),
      ]),
    ).toLowerCase();
    for (const needle of ['mariama', 'sow@', 'mariama.sow', '+221770000000', '0558000000', 'rencontrée au forum', 'inscription au forum', 'présidente']) {
      assert.ok(!dump.includes(needle), `"${needle}" is gone: ${dump.slice(Math.max(0, dump.indexOf(needle) - 300), dump.indexOf(needle) + 100)}`);
    }
    // Statistics stay: the consent events, the interests, the tie to the organisation.
    const consents = await t.kernel.db.selectFrom('consents').select(['purpose', 'event']).where('contact_id', '=', contactId).execute();
    assert.ok(consents.length >= 4, 'the consent events stay as statistics');
    assert.equal((await t.kernel.db.selectFrom('contact_themes').select('theme_code').where('contact_id', '=', contactId).execute()).length, 1);
    assert.equal((await t.kernel.db.selectFrom('contact_roles').select('organisation_id').where('contact_id', '=', contactId).execute()).length, 1);
    // Her account request is gone, and its journal entries keep what happened without her name nor address.
    assert.equal(await t.kernel.db.selectFrom('account_requests').select('id').where('id', '=', accountRequest.id).executeTakeFirst(), undefined);
    const requestEntries = await t.kernel.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'account_request').where('entity_id', '=', accountRequest.id).execute();
    assert.deepEqual(requestEntries.map((a) => [a.action, a.before, a.after, a.actor_email]), [['account_request.created', null, null, null]]);
    const logged = await t.kernel.db.selectFrom('audit_log').select(['after']).where('action', '=', 'contact.erased').executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(logged.after!), { erased: true, emails: 1, roles: 1, interactions: 1 });

    const page = await staff.get(`/admin/contacts/${contactId}`);
    assert.match(page.body, /Contact effacé le/);
    // Its history says what went, in words, not a field « erased » going from nothing to true.
    assert.match(page.body, /Nom, téléphone, 1 adresse email et 1 fonction effacés ; 1 échange le mentionnant anonymisé\./);
    assert.doesNotMatch(page.body, /<th scope="row">(erased|interactions)<\/th>/);
    // The erased person no longer appears in the list nor on the organisation's page.
    assert.doesNotMatch((await staff.get('/admin/contacts')).body, /Contact effacé/);
    const orgPage = (await staff.get(`/admin/organisations/${orgId}`)).body;
    assert.doesNotMatch(orgPage, />Contact effacé<\/a>/);
    assert.match(orgPage, /Appel avec \[Contact effacé\] sur le projet santé/, 'the mention in the interactions log is blanked');
    assert.equal((await staff.post(`/admin/contacts/${contactId}`, { last_name: 'Sow' })).statusCode, 409);
  });
});

/** The contact names linked from a page, in the order shown. */
function shownContacts(html: string): string[] {
  return [...html.matchAll(/<a href="\/admin\/contacts\/[0-9a-f-]{36}">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

forEachDialect('back office: contacts in the order a French reader expects', (dialect) => {
  let t: TestApp;
  let staff: Client;
  let orgId = '';
  const ids = new Map<string, string>();

  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
    const org = await staff.post('/admin/organisations/nouvelle', { name: 'Ordre Alphabétique', kind_code: 'association', visibility: 'public' });
    assert.equal(org.statusCode, 303);
    orgId = idFrom(org.headers.location);
    // Created out of order, so that neither insertion nor ids give the expected order.
    const people: [string, string][] = [
      ['Chloé', 'Martin'], ['Kofi', 'Agbodjan'], ['Aurélie', 'ANDRÉ'], ['Denis', 'MARTIN'], ['Deniz', 'Çelik'],
      ['Paul', 'Andréa'], ['Aïssatou', 'André'], ['Céline', 'Martin'], ['Hélène', 'Écoffier'], ['Aurélie', 'André'],
    ];
    for (const [first_name, last_name] of people) {
      const res = await staff.post('/admin/contacts/nouveau', { first_name, last_name, role_org_0: 'Ordre Alphabétique' });
      assert.equal(res.statusCode, 303);
      ids.set(`${first_name} ${last_name}`, idFrom(res.headers.location));
    }
  });
  after(() => t.close());

  test('the list files surnames whatever their case and accents, then first names (« ANDRÉ » with « André », « Céline » before « Chloé »)', async () => {
    // The same name twice (« ANDRÉ » and « André ») keeps one order, page after page: the first created first.
    const aurelies = ['Aurélie ANDRÉ', 'Aurélie André'].sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : 1));
    const expected = ['Kofi Agbodjan', 'Aïssatou André', ...aurelies, 'Paul Andréa', 'Deniz Çelik', 'Hélène Écoffier', 'Céline Martin', 'Chloé Martin', 'Denis MARTIN'];
    const list = await staff.get('/admin/contacts');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(shownContacts(list.body), expected);
    // The organisation's page lists its people in the same order (none of them is its main contact).
    assert.deepEqual(shownContacts((await staff.get(`/admin/organisations/${orgId}`)).body), expected);
    // A search keeps the order.
    assert.deepEqual(shownContacts((await staff.get('/admin/contacts?q=andr')).body), ['Aïssatou André', ...aurelies, 'Paul Andréa']);
  });

  test('an edit of the name moves the person in the list; an erased person’s key holds no trace of their name', async () => {
    const denis = ids.get('Denis MARTIN')!;
    const edit = await staff.post(`/admin/contacts/${denis}`, { first_name: 'Denis', last_name: 'Abadie', role_org_0: orgId });
    assert.equal(edit.statusCode, 303);
    const names = shownContacts((await staff.get('/admin/contacts')).body);
    assert.deepEqual(names.slice(0, 2), ['Denis Abadie', 'Kofi Agbodjan']);
    assert.equal(names.at(-1), 'Chloé Martin');
    const row = await t.kernel.db.selectFrom('contacts').select('sort_name').where('id', '=', denis).executeTakeFirstOrThrow();
    assert.equal(row.sort_name, 'abadie\tdenis');

    const kofi = ids.get('Kofi Agbodjan')!;
    assert.equal((await staff.post(`/admin/contacts/${kofi}/effacer`)).statusCode, 303);
    const erased = await t.kernel.db.selectFrom('contacts').select('sort_name').where('id', '=', kofi).executeTakeFirstOrThrow();
    assert.equal(erased.sort_name, 'contact efface\t');
    assert.ok(!shownContacts((await staff.get('/admin/contacts')).body).includes('Kofi Agbodjan'));
  });

  test('the migration backfills the sort key of existing contacts, and rolls back cleanly', async () => {
    const db = t.kernel.db;
    // Its own down and up, around a row written without the column (later migrations stay as they are).
    const migration = migrations['2026-11-30T1580_contact_sort_name']!;
    await migration.down!(db);
    const columns = (await db.introspection.getTables()).find((table) => table.name === 'contacts')!.columns.map((c) => c.name);
    assert.ok(!columns.includes('sort_name'), 'down removes the column');
    const now = new Date().toISOString();
    const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await raw.insertInto('contacts').values({ id: '0190f0f0-0000-7000-8000-0000000000c1', first_name: 'Œdipe', last_name: 'LE GOFF-ÉLOI', created_at: now, updated_at: now }).execute();
    await migration.up(db);
    const rows = await db.selectFrom('contacts').select(['first_name', 'last_name', 'sort_name']).orderBy('sort_name').orderBy('id').execute();
    assert.equal(rows.length, 11);
    for (const row of rows) assert.equal(row.sort_name, contactSortNameOf(row), `backfilled like the application for ${row.first_name} ${row.last_name}`);
    assert.ok(rows.some((r) => r.sort_name === 'le goff eloi\toedipe'));
    // Byte order on both dialects (PostgreSQL: the column's "C" collation, whatever the database's).
    const keys = rows.map((r) => r.sort_name);
    assert.deepEqual(keys, [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    if (dialect === 'postgres') {
      const collation = await sql<{ collation_name: string }>`select collation_name from information_schema.columns where table_name = 'contacts' and column_name = 'sort_name'`.execute(db);
      assert.equal(collation.rows[0]?.collation_name, 'C');
    }
  });
});
