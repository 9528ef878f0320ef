import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createActiveUser } from '../../src/modules/accounts/index.js';
import { addOrganisation } from '../../src/modules/directory/test-fixtures.js';
import { proposeEvent } from '../../src/modules/events/index.js';
import { approveProposal, propose, rejectProposal } from '../../src/modules/moderation/index.js';
import { createMailing, MONTHLY_LIST_ID, newsletterDeps } from '../../src/modules/newsletter/index.js';
import { linkUserToOrganisation } from '../../src/modules/organisations/index.js';
import { addResource } from '../../src/modules/resources/test-fixtures.js';
import { describeWithBrowser, expectNoAxeViolations, expectNoHorizontalScroll, expectNoScrollingTables, type LiveApp } from '../helpers/browser.js';
import { useLiveBrowser } from '../helpers/e2e.js';
import { EVENT_FORM } from '../helpers/events.js';
import { seedBatch } from '../helpers/import-batches.js';

const STAFF = { email: 'equipe.cartes@example.org', password: 'Ardoise du réseau 2026!', displayName: 'Camille Équipe' };
const MEMBER = { email: 'awa.cartes@example.org', password: 'Brume sur la Garonne 2026', displayName: 'Awa Diallo' };
const PHONE = 375;
const REFUSAL = 'Merci d’indiquer l’adresse exacte de la salle et l’heure de fin.';

interface Card {
  /** The card's cells: the column each names (its `data-label`, drawn by ::before) and its text. */
  cells: { label: string; text: string }[];
  /** Every text the card shows (labels aside) lies inside the screen. */
  inView: boolean;
}

/** The rows of the page's tables read as cards on a phone: their headers hidden, each row a block. */
async function cards(p: Page, width: number): Promise<{ stacked: boolean; cards: Card[] }[]> {
  // No named function inside: the page knows nothing of the __name helper tsx would wrap it in.
  return p.evaluate(
    (width) =>
      Array.from(document.querySelectorAll<HTMLTableElement>('main table')).map((table) => ({
        stacked: table.classList.contains('table-stack') && getComputedStyle(table).display === 'block' && table.tHead!.getBoundingClientRect().height <= 1,
        cards: Array.from(table.tBodies[0]!.rows).map((tr) => ({
          cells: Array.from(tr.cells).map((td) => ({ label: td.dataset.label ?? '', text: td.innerText.trim() })),
          // Every text shown (not a link's hidden end, clipped to nothing) lies inside the screen.
          inView: Array.from(tr.querySelectorAll('td *, td'))
            .flatMap((e) => Array.from(e.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() && !e.closest('.visually-hidden')))
            .every((n) => {
              const range = document.createRange();
              range.selectNodeContents(n);
              return Array.from(range.getClientRects()).every((r) => r.left >= 0 && r.right <= width + 0.5);
            }),
        })),
      })),
    width,
  );
}

/** The cell of `label` of the card whose first cell reads `head`. */
function cell(tables: { cards: Card[] }[], head: string, label: string): string | undefined {
  for (const { cards } of tables) for (const c of cards) if (c.cells[0]?.text === head) return c.cells.find((x) => x.label === label)?.text;
  return undefined;
}

async function seed(live: LiveApp) {
  const staff = await createActiveUser(live.kernel, { ...STAFF, role: 'staff' });
  const member = await createActiveUser(live.kernel, { ...MEMBER, role: 'member' });
  const org = await addOrganisation(live.kernel, { name: 'Eau Vive Gironde', kind_code: 'association', commune: 'Bordeaux', postcode: '33000' });
  await linkUserToOrganisation(live.kernel.db, member.id, org.id, new Date().toISOString());
  const proposer = { userId: member.id, name: MEMBER.displayName, email: MEMBER.email };
  const decider = { id: staff.id, email: STAFF.email };

  // Events: one waits, one was refused with a message, one was published (the organisation's event).
  const event = (title: string, start_date: string) => proposeEvent(live.kernel, { ...EVENT_FORM, type_code: 'conference', title, start_date, organisers: org.id }, proposer);
  await event('Projection-débat : l’eau au Sahel', '2030-06-12');
  const refused = await event('Atelier de réparation de pompes solaires', '2030-07-03');
  assert.ok(refused.proposalId);
  assert.ok((await rejectProposal(live.kernel, decider, refused.proposalId, REFUSAL)).ok);
  const accepted = await event('Assemblée générale de l’association', '2030-09-18');
  assert.ok(accepted.proposalId);
  assert.ok((await approveProposal(live.kernel, decider, accepted.proposalId)).ok);

  // News: the same three.
  const news = async (title: string) => {
    const proposed = await propose(live.kernel, { type: 'news', entityId: null, payload: { title, summary: 'Une soirée avec les réalisateurs.', body: '<p>Venez nombreux.</p>', organisation: org.id }, proposer });
    assert.ok(proposed.ok);
    return proposed.id;
  };
  await news('Ciné-débat au Sahel');
  assert.ok((await rejectProposal(live.kernel, decider, await news('Nos jardins partagés en hiver'), REFUSAL)).ok);
  assert.ok((await approveProposal(live.kernel, decider, await news('Bilan de la saison des forages'))).ok);

  // Resources: one proposal waiting, two of the organisation's published (one downloaded 1 284 times).
  const resource = await propose(live.kernel, {
    type: 'resource',
    entityId: null,
    payload: { title: 'Guide de l’eau potable en milieu rural', kind: 'guide', summary: 'Puits, forages et pompes.', organisation: org.id, language: 'fr', external_url: 'https://example.org/guide-eau.pdf' },
    proposer,
  });
  assert.ok(resource.ok);
  const report = await addResource(live.kernel, { title: 'Rapport d’activité 2025 de l’association Eau Vive Gironde', kind: 'report', organisation_id: org.id });
  await live.kernel.db.updateTable('resources').set({ download_count: 1284 }).where('id', '=', report.id).execute();
  await addResource(live.kernel, { title: 'Plaquette 2026', kind: 'brochure', organisation_id: org.id });

  // Imports: one checked, one written.
  await seedBatch(live.kernel, 'structures-gironde-2026.csv', 'validated');
  await seedBatch(live.kernel, 'annuaire-nouvelle-aquitaine.csv', 'committed');

  // A mailing drafted by staff.
  const mailing = { subject: 'Lettre de décembre : les rencontres régionales de la solidarité internationale', fromName: 'SO Coopération', replyTo: null, body: 'Bonjour,', listIds: [MONTHLY_LIST_ID], segmentId: null };
  assert.ok((await createMailing(newsletterDeps(live.kernel), { id: staff.id, email: STAFF.email }, mailing)).ok);
}

describeWithBrowser('member lists and the imports list on a phone (375 px): each row a card, nothing cut', () => {
  const e2e = useLiveBrowser({ seed });

  /** A page at phone width, signed in as `who`: no sideways scroll, no table scrolling; its tables read as cards. */
  async function phoneCards(who: { email: string; password: string }, path: string) {
    const p = await e2e.freshPage(PHONE);
    await e2e.signIn(p, who.email, who.password);
    await e2e.visit(p, path);
    await expectNoHorizontalScroll(p, PHONE);
    await expectNoScrollingTables(p);
    return { p, tables: await cards(p, PHONE) };
  }

  /** Each table: stacked as cards, how many, every card in view. */
  const shape = (tables: { stacked: boolean; cards: Card[] }[]) => tables.map((t) => [t.stacked, t.cards.length, t.cards.every((c) => c.inView)]);

  test('« Mes événements »: proposals and the organisation’s events read as cards, the state, the message and the edit link in full', async () => {
    const { p, tables } = await phoneCards(MEMBER, '/mon-espace/evenements');
    assert.deepEqual(
      shape(tables),
      [
        [true, 3, true],
        [true, 1, true],
      ],
    );
    assert.equal(cell(tables, 'Projection-débat : l’eau au Sahel', 'État'), 'Proposition en attente');
    assert.equal(cell(tables, 'Atelier de réparation de pompes solaires', 'État'), 'Proposition refusée');
    assert.equal(cell(tables, 'Atelier de réparation de pompes solaires', 'Message de l’équipe'), REFUSAL);
    assert.equal(cell(tables, 'Assemblée générale de l’association', 'État'), 'Proposition acceptée');
    const event = tables[1]!.cards[0]!.cells;
    assert.deepEqual(
      event.map((c) => c.label),
      ['', 'Date', 'État', ''],
    );
    assert.deepEqual([event[0]!.text, event[2]!.text, event[3]!.text], ['Assemblée générale de l’association', 'Publié', 'Proposer des modifications']);
    await expectNoAxeViolations(p);
  });

  test('« Mes actualités »: proposals and the published news read as cards, the state, the message and the edit link in full', async () => {
    const { p, tables } = await phoneCards(MEMBER, '/mon-espace/actualites');
    assert.deepEqual(
      shape(tables),
      [
        [true, 3, true],
        [true, 1, true],
      ],
    );
    assert.equal(cell(tables, 'Ciné-débat au Sahel', 'État'), 'Proposition en attente');
    assert.equal(cell(tables, 'Nos jardins partagés en hiver', 'État'), 'Proposition refusée');
    assert.equal(cell(tables, 'Nos jardins partagés en hiver', 'Message de l’équipe'), REFUSAL);
    assert.equal(cell(tables, 'Bilan de la saison des forages', 'État'), 'Proposition acceptée');
    const article = tables[1]!.cards[0]!.cells;
    assert.deepEqual(
      article.map((c) => c.label),
      ['', 'Date', ''],
    );
    assert.deepEqual([article[0]!.text, article[2]!.text], ['Bilan de la saison des forages', 'Proposer une modification']);
    await expectNoAxeViolations(p);
  });

  test('« Mes ressources »: the proposal and the organisation’s published resources read as cards, kind and downloads under their labels', async () => {
    const { p, tables } = await phoneCards(MEMBER, '/mon-espace/ressources');
    assert.deepEqual(
      shape(tables),
      [
        [true, 1, true],
        [true, 2, true],
      ],
    );
    assert.equal(cell(tables, 'Guide de l’eau potable en milieu rural', 'État'), 'Proposition en attente');
    const published = tables[1]!.cards.map((c) => c.cells);
    assert.deepEqual(
      published[0]!.map((c) => c.label),
      ['', 'Type de ressource', 'Téléchargements'],
    );
    const report = 'Rapport d’activité 2025 de l’association Eau Vive Gironde';
    assert.ok(published.some((c) => c[0]!.text === report));
    assert.equal(cell(tables, report, 'Type de ressource'), 'Rapport');
    assert.equal(cell(tables, report, 'Téléchargements'), '1284');
    assert.equal(cell(tables, 'Plaquette 2026', 'Type de ressource'), 'Brochure d’un membre');
    assert.equal(cell(tables, 'Plaquette 2026', 'Téléchargements'), '0');
    await expectNoAxeViolations(p);
  });

  test('the imports’ list: each import a card, its state and its links in view', async () => {
    const { p, tables } = await phoneCards(STAFF, '/admin/imports');
    assert.deepEqual(
      shape(tables),
      [[true, 2, true]],
    );
    assert.equal(cell(tables, 'annuaire-nouvelle-aquitaine.csv', 'État'), 'Terminé');
    assert.match(cell(tables, 'structures-gironde-2026.csv', 'État') ?? '', /^Vérifié\n/);
    assert.match(tables[0]!.cards.map((c) => c.cells.at(-1)!.text).join(' | '), /Ouvrir/);
    await expectNoAxeViolations(p);
  });

  test('the mailings’ list: each mailing a card, its state, recipients and date in view', async () => {
    const { p, tables } = await phoneCards(STAFF, '/admin/lettres');
    assert.deepEqual(
      shape(tables),
      [[true, 1, true]],
    );
    const subject = 'Lettre de décembre : les rencontres régionales de la solidarité internationale';
    assert.equal(cell(tables, subject, 'État'), 'Brouillon');
    assert.equal(cell(tables, subject, 'Destinataires'), '—');
    await expectNoAxeViolations(p);
  });
});
