import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import { repoRoot } from '../../../test/helpers/paths.js';
import { findUserByEmail } from '../../kernel/auth/repo.js';
import { recordAudit } from '../../kernel/audit/index.js';
import { auditEn, auditFr } from '../../kernel/i18n/areas/audit.js';
import { isMessageKey, translator } from '../../kernel/i18n/index.js';
import { auditActionLabel, auditEntityLabel } from '../../kernel/audit/index.js';
import { EVENT_STATUS_ACTIONS } from '../events/index.js';
import { NEWS_STATUS_ACTIONS } from '../news/index.js';

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
    const types = new Set<string>();
    for (const file of sourceFiles(path.join(repoRoot, 'src'))) for (const m of fs.readFileSync(file, 'utf8').matchAll(/entityType: '([a-z_]+)'/g)) types.add(m[1]!);
    assert.ok(types.has('import_batch'));
    const fr: Record<string, string> = auditFr;
    const en: Record<string, string> = auditEn;
    assert.deepEqual([...types].filter((type) => !fr[`audit.entityLabel.${type}`]?.trim() || !en[`audit.entityLabel.${type}`]?.trim()), []);
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
    assert.match(res.body, /<span data-entity="import_batch">Import<\/span>\s*<a href="\/admin\/journal\?entite=import_batch&(?:amp;)?id=0190c3a2-7b1e-7c00-8000-0000c049957d" class="muted">c049957d<\/a>/);
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
    new RegExp(`<span data-entity="${type}">${label}</span>\\s*<a href="/admin/journal\\?entite=${type}&(?:amp;)?id=${id}" class="muted">${id.slice(-8)}</a>`);

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
      assert.doesNotMatch(body, new RegExp(`href="/admin/contacts/${contactId}"`), 'the erased record is not named, not even « Contact effacé »');
    }
    assert.match(journal, fallback('contact', 'Contact', contactId));
    assert.match(journal, /<span data-action="contact\.erased">/);
  });
});
