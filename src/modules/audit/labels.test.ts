import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Client, TEST_PASSWORD, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { repoRoot } from '../../../test/helpers/paths.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { newId } from '../../kernel/ids.js';
import { auditEn, auditFr } from '../../kernel/i18n/areas/audit.js';
import { isMessageKey, translator } from '../../kernel/i18n/index.js';
import { auditActionLabel, auditEntityLabel } from '../../kernel/audit/index.js';
import { EVENT_STATUS_ACTIONS } from '../events/index.js';
import { modules } from '../index.js';
import { mergeCandidate } from '../merge/index.js';
import { NEWS_STATUS_ACTIONS } from '../news/index.js';
import { cancelRegistration, registerParticipant } from '../registrations/index.js';

/**
 * Codes built at run time (`call.${action}`…): the values each template takes, read from the code
 * that calls it. A new template family makes the scan below fail until it is listed here.
 */
const TEMPLATE_CODES: Record<string, string[]> = {
  call: ['call.publish', 'call.unpublish'], // calls/service.ts PublicationAction
  event: Object.keys(EVENT_STATUS_ACTIONS).map((action) => `event.${action}`),
  news: Object.keys(NEWS_STATUS_ACTIONS).map((action) => `news.${action}`),
  resource: ['resource.published', 'resource.unpublished'], // resources/service.ts changeResourceStatus
  watch_item: ['watch_item.new', 'watch_item.kept', 'watch_item.ignored'], // watch/categories.ts ITEM_STATUSES
  newsletter_mailing: [
    // bulletin/editor.ts save(…)
    'newsletter_mailing.block_added',
    'newsletter_mailing.block_updated',
    'newsletter_mailing.block_moved',
    'newsletter_mailing.block_removed',
    'newsletter_mailing.blocks_refreshed',
    // newsletter/send-control.ts audit(…)
    'newsletter_mailing.paused',
    'newsletter_mailing.resumed',
    'newsletter_mailing.cancelled',
    'newsletter_mailing.scheduled',
    'newsletter_mailing.unscheduled',
  ],
  newsletter_subscription: ['newsletter_subscription.subscribed', 'newsletter_subscription.unsubscribed'], // newsletter/staff-subscriptions.ts
};

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(repoRoot, full).split(path.sep).join('/');
    if (entry.isDirectory()) {
      if (rel !== 'src/db/migrations' && rel !== 'src/kernel/i18n' && rel !== 'src/modules/audit' && rel !== 'src/kernel/audit') sourceFiles(full, out);
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** The text of each `recordAudit(…)` call of a source, up to its closing parenthesis. */
function auditCalls(source: string): string[] {
  const calls: string[] = [];
  for (const match of source.matchAll(/recordAudit\(/g)) {
    let depth = 0;
    let end = match.index;
    for (; end < source.length; end++) {
      if (source[end] === '(') depth++;
      else if (source[end] === ')' && --depth === 0) break;
    }
    calls.push(source.slice(match.index, end + 1));
  }
  return calls;
}

/** Every entity type the sources record (`entityType: '…'`). */
function recordedEntityTypes(): Set<string> {
  const types = new Set<string>();
  for (const file of sourceFiles(path.join(repoRoot, 'src'))) for (const m of fs.readFileSync(file, 'utf8').matchAll(/entityType: '([a-z_]+)'/g)) types.add(m[1]!);
  return types;
}

/**
 * Recorded entity types that the journal deliberately does not name (no `auditEntities` namer):
 * they are not records with a page, and their label says all there is.
 */
const UNNAMED_TYPES = new Set([
  'settings', // the site's settings, written with no id, or a settings key ('news.mastodon')
  'newsletter_settings', // one set of settings, written with no id
  'call_alert_settings', // one set of settings, written with no id
  'newsletter_import', // a CSV import of subscribers, kept nowhere but in the entry (no id)
]);

const LITERAL = /'([a-z][a-z_]*(?:\.[a-z_]+)+)'/g;

/** Dotted literals of recording files that are not actions: reserved call slugs (calls/service.ts). */
const NOT_ACTIONS = new Set(['flux.rss', 'flux.atom']);

/**
 * Every action code the sources record: every dotted literal given as `action:`, or found in a
 * file that calls `recordAudit` (codes passed to a helper, or chosen by a ternary), that is not a
 * message key, a translated key, an entity id or a job name; and the `prefix.${…}` templates
 * built inside `recordAudit` calls.
 */
function recordedCodes(): { codes: Map<string, string>; templates: Map<string, string> } {
  const codes = new Map<string, string>();
  const templates = new Map<string, string>();
  for (const full of sourceFiles(path.join(repoRoot, 'src'))) {
    const file = path.relative(repoRoot, full);
    const source = fs.readFileSync(full, 'utf8');
    for (const m of source.matchAll(/action: '([a-z][a-z_]*(?:\.[a-z_]+)+)'/g)) codes.set(m[1]!, file);
    if (!source.includes('recordAudit(')) continue;
    for (const call of auditCalls(source)) for (const m of call.matchAll(/`([a-z][a-z_]*)\.\$\{/g)) templates.set(m[1]!, file);
    for (const m of source.matchAll(LITERAL)) {
      const code = m[1]!;
      const before = source.slice(Math.max(0, m.index - 12), m.index);
      if (NOT_ACTIONS.has(code) || isMessageKey(code) || /\bt\($|entityId: $|JOB = $|enqueue\($/.test(before)) continue;
      codes.set(code, file);
    }
  }
  return { codes, templates };
}

describe('every action code recorded in the journal has words, in French and in English', () => {
  const { codes, templates } = recordedCodes();

  test('the scan finds the codes (literal, passed to a helper, chosen by a ternary, built from a template)', () => {
    for (const code of ['user.created', 'import.committed', 'import.undone', 'duplicate.dismissed', 'organisation.merged', 'user.deactivated', 'contact.updated']) {
      assert.ok(codes.has(code), `${code} found`);
    }
    assert.ok(templates.has('call') && templates.has('newsletter_mailing'), [...templates.keys()].join());
  });

  test('each recorded code has a label in both catalogues', () => {
    const all = new Map(codes);
    for (const [prefix, file] of templates) {
      assert.ok(TEMPLATE_CODES[prefix], `${file} builds ${prefix}.… codes: list their values in TEMPLATE_CODES`);
      for (const code of TEMPLATE_CODES[prefix]!) all.set(code, file);
    }
    const fr: Record<string, string> = auditFr;
    const en: Record<string, string> = auditEn;
    const missing = [...all]
      .filter(([code]) => !fr[`audit.actionLabel.${code}`]?.trim() || !en[`audit.actionLabel.${code}`]?.trim())
      .map(([code, file]) => `${code} (${file})`);
    assert.deepEqual(missing, [], 'add these to src/kernel/i18n/areas/audit.ts');
  });

  test('each recorded entity type has a label in both catalogues', () => {
    const types = recordedEntityTypes();
    assert.ok(types.has('import_batch'));
    const fr: Record<string, string> = auditFr;
    const en: Record<string, string> = auditEn;
    assert.deepEqual([...types].filter((type) => !fr[`audit.entityLabel.${type}`]?.trim() || !en[`audit.entityLabel.${type}`]?.trim()), []);
  });

  test('each recorded entity type is named by one module, unless it is listed as deliberately unnamed', () => {
    const namers = modules.flatMap((m) => m.auditEntities ?? []).map((n) => n.type);
    const named = new Set(namers);
    const recorded = recordedEntityTypes();
    assert.ok(recorded.has('newsletter_list') && recorded.has('duplicate_candidate'));
    assert.deepEqual([...recorded].filter((type) => !named.has(type) && !UNNAMED_TYPES.has(type)), [], 'give these a namer in their module (FeatureModule.auditEntities), or list them in UNNAMED_TYPES with the reason');
    assert.deepEqual([...UNNAMED_TYPES].filter((type) => named.has(type) || !recorded.has(type)), [], 'UNNAMED_TYPES lists only recorded types without a namer');
    assert.deepEqual(namers.filter((type, i) => namers.indexOf(type) !== i), [], 'one namer per type');
  });

  test('a code or type without a label shows as itself, never blank', () => {
    const t = translator('fr');
    assert.equal(auditActionLabel('import.committed', t), 'Import écrit');
    assert.equal(auditActionLabel('import.committed', translator('en')), 'Import written');
    assert.equal(auditActionLabel('retired.code', t), 'retired.code');
    assert.equal(auditEntityLabel('import_batch', t), 'Import');
    assert.equal(auditEntityLabel('retired_type', t), 'retired_type');
  });
});

forEachDialect('the journal and the dashboard say what happened in words', (dialect) => {
  let t: TestApp;
  let admin: Client;
  const BATCH = '0190c3a2-7b1e-7c00-8000-0000c049957d';

  before(async () => {
    t = await testApp(dialect);
    admin = await t.loginAs('admin', 'admin.mots@example.org');
    const system = { id: null, email: null };
    await recordAudit(t.kernel.db, system, { action: 'import.committed', entityType: 'import_batch', entityId: BATCH, after: { rows: 3 } });
    await recordAudit(t.kernel.db, system, { action: 'retired.code', entityType: 'retired_type', entityId: null });
  });
  after(() => t.close());

  test('the journal shows the action and the object in French, keeps codes as the filter values, and filters by code', async () => {
    const res = await admin.get('/admin/journal');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<span data-action="import\.committed">Import écrit<\/span>/);
    assert.match(res.body, /<span data-entity="import_batch">Import<\/span>\s*<a href="\/admin\/journal\?entite=import_batch&(?:amp;)?id=0190c3a2-7b1e-7c00-8000-0000c049957d" class="muted"><span>c049957d<\/span><span class="visually-hidden"> \(toutes les entrées de cet enregistrement\)<\/span><\/a>/);
    assert.match(res.body, /<span data-action="user\.created">Compte créé<\/span>/, 'the admin’s own account');
    assert.match(res.body, /<span data-action="retired\.code">retired\.code<\/span>/, 'an unknown code shows as itself');
    assert.match(res.body, /<option value="import\.committed">Import écrit<\/option>/);
    assert.match(res.body, /<option value="import_batch">Import<\/option>/);
    assert.doesNotMatch(res.body, /<code>import\.committed<\/code>|>import_batch</);
    const filtered = await admin.get('/admin/journal?action=import.committed');
    assert.match(filtered.body, /1 entrée\b/);
    assert.match(filtered.body, /<option value="import\.committed" selected>Import écrit<\/option>/);
  });

  test('in English, the journal and the dashboard speak English', async () => {
    const journal = await admin.get('/admin/journal', { 'accept-language': 'en' });
    assert.match(journal.body, /<span data-action="import\.committed">Import written<\/span>/);
    assert.match(journal.body, /<option value="user\.created">Account created<\/option>/);
    const dashboard = await admin.get('/admin', { 'accept-language': 'en' });
    assert.match(dashboard.body, /<span data-action="import\.committed">Import written<\/span>/);
  });

  test('the dashboard’s latest changes say what happened and to what, in French', async () => {
    const res = await admin.get('/admin');
    assert.equal(res.statusCode, 200);
    const recent = /<ul class="timeline">[\s\S]*?<\/ul>/.exec(res.body)?.[0] ?? '';
    assert.match(recent, /<span data-action="import\.committed">Import écrit<\/span> — <span class="muted" data-entity="import_batch">Import c049957d<\/span>/);
    assert.match(recent, /Compte créé/);
    assert.doesNotMatch(recent, /<code>|user\.created<|import_batch </);
  });
});

forEachDialect('the journal and the dashboard name each record as it is now', (dialect) => {
  let t: TestApp;
  let admin: Client;
  const ids: Record<string, string> = {};
  const idFrom = (location: unknown) => String(location).split('/').pop()!;
  /** The journal filtered to one record: where a record no longer named shows its type and short id. */
  const fallback = (type: string, label: string, id: string) =>
    new RegExp(`<span data-entity="${type}">${label}</span>\\s*<a href="/admin/journal\\?entite=${type}&(?:amp;)?id=${id}" class="muted"><span>${id.slice(-8)}</span>`);

  before(async () => {
    t = await testApp(dialect);
    admin = await t.loginAs('admin', 'admin.noms@example.org');
    ids['admin'] = (await findUserByEmail(t.kernel.db, 'admin.noms@example.org'))!.id;
    const org = await admin.post('/admin/organisations/nouvelle', { name: 'Eau & Vie Gironde', kind_code: 'association', commune: '33063', visibility: 'public' });
    assert.equal(org.statusCode, 303, org.body.slice(0, 1000));
    ids['org'] = idFrom(org.headers.location);
    const kept = await admin.post('/admin/actualites/nouveau', { title: 'Assemblée générale du réseau', summary: 'Le rendez-vous annuel.', body: 'Texte.', intent: 'draft' });
    assert.equal(kept.statusCode, 303);
    ids['kept'] = idFrom(kept.headers.location);
    const gone = await admin.post('/admin/actualites/nouveau', { title: 'Article bientôt supprimé', summary: 'Éphémère.', body: 'Texte.', intent: 'draft' });
    assert.equal(gone.statusCode, 303);
    ids['gone'] = idFrom(gone.headers.location);
    assert.equal((await admin.post(`/admin/actualites/${ids['gone']}/supprimer`)).statusCode, 303);
  });
  after(() => t.close());

  test('an entry shows its record’s current name, linked to the record’s back-office page', async () => {
    const journal = (await admin.get('/admin/journal')).body;
    assert.match(journal, new RegExp(`<span data-entity="organisation">Structure</span>\\s*<a href="/admin/organisations/${ids['org']}">Eau &amp; Vie Gironde</a>`));
    assert.match(journal, new RegExp(`<span data-entity="news">Actualité</span>\\s*<a href="/admin/actualites/${ids['kept']}">Assemblée générale du réseau</a>`));
    assert.match(journal, new RegExp(`<span data-entity="user">Compte</span>\\s*<a href="/admin/comptes/${ids['admin']}">admin 1</a>`));
    const recent = /<ul class="timeline">[\s\S]*?<\/ul>/.exec((await admin.get('/admin')).body)?.[0] ?? '';
    assert.match(recent, new RegExp(`<span class="muted" data-entity="organisation">Structure</span>\\s*<a href="/admin/organisations/${ids['org']}">Eau &amp; Vie Gironde</a>`));
  });

  test('the journal filtered to one record says so, names the record, and leads back to every entry', async () => {
    const one = (await admin.get(`/admin/journal?entite=organisation&id=${ids['org']}&acteur=admin.noms%40example.org`)).body;
    assert.match(one, /Seules les entrées de cet enregistrement sont affichées : Structure «\u00a0Eau &amp; Vie Gironde\u00a0»\.<\/span> <a href="\/admin\/journal\?acteur=admin\.noms%40example\.org">Voir tout le journal<\/a>/);
    const english = (await admin.get(`/admin/journal?entite=news&id=${ids['gone']}`, { 'accept-language': 'en' })).body;
    assert.match(english, new RegExp(`Only the entries of this record are shown: News item ${ids['gone']!.slice(-8)}\\.</span> <a href="/admin/journal">See the whole journal</a>`));
    assert.doesNotMatch((await admin.get('/admin/journal')).body, /Voir tout le journal/, 'said only when filtered to one record');
  });

  test('a deleted record keeps its type and short id, without a link to a page that is gone', async () => {
    const journal = (await admin.get('/admin/journal')).body;
    assert.match(journal, fallback('news', 'Actualité', ids['gone']!));
    assert.doesNotMatch(journal, new RegExp(`href="/admin/actualites/${ids['gone']}"`));
    const recent = /<ul class="timeline">[\s\S]*?<\/ul>/.exec((await admin.get('/admin')).body)?.[0] ?? '';
    assert.match(recent, new RegExp(`<span class="muted" data-entity="news">Actualité ${ids['gone']!.slice(-8)}</span>`));
  });

  test('an erased contact’s name shows nowhere in the journal or on the dashboard', async () => {
    const created = await admin.post('/admin/contacts/nouveau', { first_name: 'Mariama', last_name: 'Sow', emails: 'mariama.sow@example.org' });
    assert.equal(created.statusCode, 303);
    const contactId = idFrom(created.headers.location);
    assert.match((await admin.get('/admin/journal')).body, new RegExp(`<span data-entity="contact">Contact</span>\\s*<a href="/admin/contacts/${contactId}">Mariama Sow</a>`));

    await admin.get(`/admin/contacts/${contactId}/effacer`);
    assert.equal((await admin.post(`/admin/contacts/${contactId}/effacer`)).statusCode, 303);
    const journal = (await admin.get('/admin/journal')).body;
    const dashboard = (await admin.get('/admin')).body;
    for (const body of [journal, dashboard]) {
      assert.doesNotMatch(body, /Mariama|Sow/);
      assert.doesNotMatch(body, new RegExp(`href="/admin/contacts/${contactId}"`), 'the erased record is not named, not even « Contact effacé »');
    }
    assert.match(journal, fallback('contact', 'Contact', contactId));
    assert.match(journal, /<span data-action="contact\.erased">/);
  });

  test('an account its owner deleted reads « Compte effacé », as who and as what: no placeholder address, no « Compte Compte effacé »', async () => {
    const member = await t.loginAs('member', 'sidonie.vermeil@example.org');
    const memberId = (await findUserByEmail(t.kernel.db, 'sidonie.vermeil@example.org'))!.id;
    await member.get('/mon-espace/compte/supprimer');
    assert.equal((await member.post('/mon-espace/compte/supprimer', { current_password: TEST_PASSWORD })).statusCode, 303);
    /** What a person reads: the text without its tags, spaces collapsed. */
    const seen = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

    const dashboard = (await admin.get('/admin')).body;
    const item = /<li>(?:(?!<\/li>)[\s\S])*?data-action="user\.erased"[\s\S]*?<\/li>/.exec(dashboard)?.[0] ?? '';
    assert.equal(seen(/<span><span data-action[\s\S]*?<\/a><\/span>/.exec(item)?.[0] ?? ''), 'Compte effacé (RGPD) — Compte effacé');
    assert.equal(seen(/<span class="timeline-who">[^<]*<\/span>/.exec(item)?.[0] ?? ''), 'Compte effacé', 'who: the erased account, not its address');

    const journal = (await admin.get('/admin/journal')).body;
    const row = /<tr>(?:(?!<\/tr>)[\s\S])*?data-action="user\.erased"[\s\S]*?<\/tr>/.exec(journal)?.[0] ?? '';
    const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => seen(m[1]!));
    assert.equal(cells[1], 'Compte effacé', 'who');
    assert.equal(cells[2], 'Compte effacé (RGPD)', 'what happened');
    assert.equal(cells[3], `Compte effacé ${memberId.slice(-8)} (toutes les entrées de cet enregistrement)`, 'to what');
    const one = (await admin.get(`/admin/journal?entite=user&id=${memberId}`)).body;
    assert.match(seen(one), /Seules les entrées de cet enregistrement sont affichées : Compte effacé\./);

    const english = (await admin.get('/admin', { 'accept-language': 'en' })).body;
    const englishItem = /<li>(?:(?!<\/li>)[\s\S])*?data-action="user\.erased"[\s\S]*?<\/li>/.exec(english)?.[0] ?? '';
    assert.equal(seen(/<span class="timeline-who">[^<]*<\/span>/.exec(englishItem)?.[0] ?? ''), 'Erased account');
    for (const body of [dashboard, journal, one, english]) {
      assert.doesNotMatch(body, /@invalid|efface-/, 'the placeholder address shows nowhere');
      assert.doesNotMatch(seen(body), /Compte Compte|Account Erased account/);
    }
  });

  test('every namer’s query runs on this database; an id of no record names nothing', async () => {
    // A failing namer is only logged (the journal still shows): its query is checked here.
    for (const namer of t.kernel.auditEntities) assert.equal((await namer.names(t.kernel, [newId(), newId()], 'fr')).size, 0, namer.type);
  });

  test('a mailing list and a mailing are named by their current name and subject, linked to their pages', async () => {
    assert.equal((await admin.post('/admin/lettres/listes', { name: 'Lettre des adhérents', is_public: '1', double_opt_in: '1' })).statusCode, 303);
    const list = await t.kernel.db.selectFrom('newsletter_lists').select('id').where('name', '=', 'Lettre des adhérents').executeTakeFirstOrThrow();
    const mailing = await admin.post('/admin/lettres/nouvelle', { from_name: 'Réseau', subject: 'Nouvelles de juin', body: 'Bonjour à tous.', lists: list.id });
    assert.equal(mailing.statusCode, 303, mailing.body.slice(0, 1000));
    const mailingId = idFrom(mailing.headers.location);
    await t.kernel.db.updateTable('newsletter_mailings').set({ subject: 'Nouvelles de l’été' }).where('id', '=', mailingId).execute();
    const journal = (await admin.get('/admin/journal')).body;
    assert.match(journal, new RegExp(`<span data-entity="newsletter_list">Liste de diffusion</span>\\s*<a href="/admin/lettres/listes/${list.id}">Lettre des adhérents</a>`));
    assert.match(journal, new RegExp(`<span data-entity="newsletter_mailing">Lettre</span>\\s*<a href="/admin/lettres/${mailingId}">Nouvelles de l’été</a>`), 'the current subject');
  });

  test('a duplicate pair is named « A = B » by its records’ names, and still once merged, linked to the pair (which leads to its merge)', async () => {
    const names = new Map<string, string>();
    for (const name of ['Terre d’Ébène Gironde', 'Amitiés Bègles Kaolack']) {
      const res = await admin.post('/admin/organisations/nouvelle', { name, kind_code: 'association', commune: '33063', visibility: 'public' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
      names.set(idFrom(res.headers.location), name);
    }
    const [a, b] = [...names.keys()].sort() as [string, string];
    const pair = newId();
    const at = new Date().toISOString();
    // As the duplicate scan stores a pair.
    await t.kernel.db
      .insertInto('duplicate_candidates')
      .values({ id: pair, organisation_a_id: a, organisation_b_id: b, score: 0.9, reasons: '[]', auto_mergeable: 0, status: 'pending', created_at: at, updated_at: at, last_seen_at: at, decided_at: null, decided_by: null })
      .execute();
    assert.equal((await admin.post(`/admin/doublons/${pair}/pas-un-doublon`)).statusCode, 303);
    const named = (text: string) => new RegExp(`<span data-entity="duplicate_candidate">Paire de doublons</span>\\s*<a href="/admin/doublons/${pair}">${text}</a>`);
    assert.match((await admin.get('/admin/journal?entite=duplicate_candidate')).body, named(`${names.get(a)} = ${names.get(b)}`));

    assert.equal((await admin.post(`/admin/doublons/${pair}/reprendre`)).statusCode, 303);
    await mergeCandidate(t.kernel, { id: ids['admin']!, email: 'admin.noms@example.org' }, pair, { survivorId: a, choices: { name: a } });
    assert.equal(await t.kernel.db.selectFrom('duplicate_candidates').select('id').where('id', '=', pair).executeTakeFirst(), undefined, 'the merged pair is gone');
    const journal = (await admin.get('/admin/journal?entite=duplicate_candidate')).body;
    assert.equal([...journal.matchAll(new RegExp(named(`${names.get(b)} = ${names.get(a)}`).source, 'g'))].length, 2, 'both entries: the absorbed record, then the kept one');

    // The absorbed structure is gone: its entries name it as it was, linked to the merge.
    const merge = await t.kernel.db.selectFrom('merges').select('id').where('absorbed_id', '=', b).executeTakeFirstOrThrow();
    const absorbed = (await admin.get(`/admin/journal?entite=organisation&id=${b}`)).body;
    assert.match(absorbed, new RegExp(`<span data-entity="organisation">Structure</span>\\s*<a href="/admin/fusions/${merge.id}">${names.get(b)}</a>`));
  });

  test('a subscriber is named by their address while they exist; erased, the address shows nowhere', async () => {
    const id = newId();
    const at = new Date().toISOString();
    await t.kernel.db
      .insertInto('newsletter_subscribers')
      .values({ id, email: 'Fatou.Ndiaye@example.org', email_lower: 'fatou.ndiaye@example.org', name: 'Fatou Ndiaye', organisation: null, contact_id: null, token: `jeton-${id.replace(/-/g, '')}`, created_at: at, updated_at: at })
      .execute();
    assert.equal((await admin.post(`/admin/lettres/abonnes/${id}/export`)).statusCode, 200);
    assert.match((await admin.get('/admin/journal')).body, new RegExp(`<span data-entity="newsletter_subscriber">Abonné</span>\\s*<a href="/admin/lettres/abonnes/${id}">Fatou\\.Ndiaye@example\\.org</a>`));

    assert.equal((await admin.post(`/admin/lettres/abonnes/${id}/effacer`)).statusCode, 303);
    const journal = (await admin.get('/admin/journal')).body;
    const dashboard = (await admin.get('/admin')).body;
    for (const body of [journal, dashboard]) {
      assert.doesNotMatch(body, /Fatou|Ndiaye/i);
      assert.doesNotMatch(body, new RegExp(`href="/admin/lettres/abonnes/${id}"`));
    }
    assert.match(journal, fallback('newsletter_subscriber', 'Abonné', id));
    assert.match(journal, /<span data-action="newsletter_subscriber\.erased">/);
  });

  test('a registration is named by the person and the event while it exists; erased, the name shows nowhere', async () => {
    const event = await admin.post('/admin/agenda/nouveau', { type_code: 'network_meeting', title: 'Forum des solidarités', start_date: '2030-06-12', start_time: '14:30', end_time: '17:00', venue: 'Salle Saint-Michel', commune: 'Bordeaux', postcode: '33000', intent: 'draft' });
    assert.equal(event.statusCode, 303, event.body.slice(0, 1000));
    const eventId = idFrom(event.headers.location);
    const person = { email: 'awa.diallo@example.org', firstName: 'Awa', lastName: 'Diallo', phone: null, organisationId: null, organisationName: null, organisationKind: null, organisationDepartment: null, answers: {}, sessionIds: [], userId: null };
    const registered = await registerParticipant(t.kernel, eventId, person, { byStaff: true });
    assert.equal(registered.kind, 'created');
    const registrationId = registered.kind === 'created' ? registered.id : '';
    assert.ok((await cancelRegistration(t.kernel, registrationId, { id: ids['admin']!, email: 'admin.noms@example.org' })).ok);
    assert.match(
      (await admin.get('/admin/journal')).body,
      new RegExp(`<span data-entity="registration">Inscription</span>\\s*<a href="/admin/agenda/${eventId}/inscriptions#r-${registrationId}">Awa Diallo — Forum des solidarités</a>`),
    );

    assert.equal((await admin.post('/admin/inscriptions/effacer', { email: 'awa.diallo@example.org', confirmer: '1' })).statusCode, 303);
    const journal = (await admin.get('/admin/journal')).body;
    const dashboard = (await admin.get('/admin')).body;
    for (const body of [journal, dashboard]) assert.doesNotMatch(body, /Awa|Diallo/);
    assert.match(journal, fallback('registration', 'Inscription', registrationId));
  });
});
