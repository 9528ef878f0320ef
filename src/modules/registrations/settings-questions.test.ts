import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Client, type TestApp, testApp } from '../../../test/helpers/app.js';
import { forEachDialect } from '../../../test/helpers/db.js';
import type { RegistrationQuestion } from '../events/index.js';
import { insertTestEvent } from './test-fixtures-repo.js';

/** The labels of the editor's rows, in the order shown (the last one is usually the empty row for a new question). */
const rowLabels = (html: string) => [...html.matchAll(/<input id="f-q(\d+)_label" name="q\1_label" type="text" value="([^"]*)"/g)].map((m) => m[2]);
const kindOf = (html: string, i: number) => new RegExp(`<select id="f-q${i}_kind" name="q${i}_kind"[^>]*>[\\s\\S]*?<option value="(\\w+)" selected`).exec(html)?.[1];
const optionsOf = (html: string, i: number) => new RegExp(`<textarea id="f-q${i}_options"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
const isRequired = (html: string, i: number) => new RegExp(`<input type="checkbox" id="f-q${i}_required" name="q${i}_required" value="1" checked`).test(html);
const autofocused = (html: string) => [...html.matchAll(/<(?:input|button)[^>]*?\sid="([^"]+)"[^>]*\sautofocus/g)].map((m) => m[1]).join(' ');
const status = (html: string) => /<p class="reg-questions-status" role="status"[^>]*>([^<]*)<\/p>/.exec(html)?.[1];

forEachDialect('Inscriptions : l’éditeur des questions des réglages', (dialect) => {
  let t: TestApp;
  let staff: Client;
  before(async () => {
    t = await testApp(dialect);
    staff = await t.loginAs('staff');
  });
  after(async () => t.close());

  async function stored(id: string): Promise<RegistrationQuestion[]> {
    const row = await t.kernel.db.selectFrom('events').select('questions').where('id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(row.questions) as RegistrationQuestion[];
  }
  const url = (id: string) => `/admin/agenda/${id}/inscriptions/reglages`;

  test('the questions already stored come back as rows, with one empty row to add a question, and keep their ids when saved again', async () => {
    const questions: RegistrationQuestion[] = [
      { id: 'qdejeuner', label: 'Je reste pour le déjeuner', kind: 'checkbox', required: false },
      { id: 'qrepas', label: 'Régime « repas »', kind: 'choice', options: ['Aucun', 'Végétarien', 'Sans gluten'], required: true },
    ];
    const event = await insertTestEvent(t.kernel.db, { questions: JSON.stringify(questions) });
    const page = await staff.get(url(event.id));
    assert.equal(page.statusCode, 200);
    assert.deepEqual(rowLabels(page.body), ['Je reste pour le déjeuner', 'Régime « repas »', '']);
    assert.match(page.body, /<legend>Question 1<\/legend><input type="hidden" name="q0_id" value="qdejeuner"\/>/);
    assert.equal(kindOf(page.body, 0), 'checkbox');
    assert.equal(kindOf(page.body, 1), 'choice');
    assert.equal(optionsOf(page.body, 1), 'Aucun\nVégétarien\nSans gluten', 'one choice a line');
    assert.equal(isRequired(page.body, 0), false);
    assert.equal(isRequired(page.body, 1), true);
    assert.equal(kindOf(page.body, 2), 'text', 'a new question is free text until told otherwise');
    assert.doesNotMatch(page.body, /name="questions"/, 'no more « type | libellé | … » lines to type');
    // Enter in a field saves: the form's first submit button is « Enregistrer », not « Monter ».
    const form = page.body.slice(page.body.indexOf('<form method="post" action="/admin/agenda/'));
    assert.match(/<button type="submit"[^>]*>[^<]*</.exec(form)?.[0] ?? '', /^<button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">Enregistrer</);

    // Saved as shown (the empty row ignored): nothing changes, the answers keep their question.
    const saved = await staff.post(url(event.id), {
      capacity: '50',
      q0_id: 'qdejeuner',
      q0_kind: 'checkbox',
      q0_label: 'Je reste pour le déjeuner',
      q1_id: 'qrepas',
      q1_kind: 'choice',
      q1_label: 'Régime alimentaire',
      q1_required: '1',
      q1_options: 'Aucun\r\nVégétarien\r\nSans gluten',
      q2_id: '',
      q2_kind: 'text',
      q2_label: '',
      q2_options: '',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
    assert.deepEqual(await stored(event.id), [
      { id: 'qdejeuner', label: 'Je reste pour le déjeuner', kind: 'checkbox', required: false },
      { id: 'qrepas', label: 'Régime alimentaire', kind: 'choice', options: ['Aucun', 'Végétarien', 'Sans gluten'], required: true },
    ]);
  });

  test('staff create a question of each type; a visitor sees them on the registration form', async () => {
    const event = await insertTestEvent(t.kernel.db);
    const saved = await staff.post(url(event.id), {
      registration_open: '1',
      capacity: '40',
      q0_kind: 'text',
      q0_label: 'Vos attentes pour cette journée',
      q0_required: '1',
      // Left empty in the middle: skipped.
      q1_kind: 'text',
      q1_label: '',
      q2_kind: 'choice',
      q2_label: 'Atelier du matin',
      q2_options: 'Eau potable ; Plaidoyer\n\nÉducation à la citoyenneté\nPlaidoyer',
      q3_kind: 'checkbox',
      q3_label: 'J’accepte d’être photographié·e',
      // Choices typed for a question that is not « choix » are not kept.
      q3_options: 'Oui; Non',
    });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
    const questions = await stored(event.id);
    assert.deepEqual(
      questions.map(({ id: _id, ...q }) => q),
      [
        { label: 'Vos attentes pour cette journée', kind: 'text', required: true },
        { label: 'Atelier du matin', kind: 'choice', required: false, options: ['Eau potable', 'Plaidoyer', 'Éducation à la citoyenneté'] },
        { label: 'J’accepte d’être photographié·e', kind: 'checkbox', required: false },
      ],
    );
    assert.equal(new Set(questions.map((q) => q.id)).size, 3);
    for (const q of questions) assert.match(q.id, /^q[0-9a-f]{10}$/);

    const form = (await t.client().get(`/agenda/${event.slug}/inscription`)).body;
    const at = (text: string) => form.indexOf(text);
    assert.ok(at('Vos attentes pour cette journée') > 0 && at('Vos attentes pour cette journée') < at('Atelier du matin') && at('Atelier du matin') < at('J’accepte d’être photographié·e'), 'in the order given');
    assert.match(form, new RegExp(`<option value="Éducation à la citoyenneté"`));
    assert.match(form, new RegExp(`name="answer_${questions[2]!.id}"[^>]*type="checkbox"|type="checkbox"[^>]*name="answer_${questions[2]!.id}"`));
  });

  test('« Monter », « Descendre », « Supprimer » and « Ajouter » show the form again with every typed value, saving nothing until « Enregistrer »', async () => {
    const event = await insertTestEvent(t.kernel.db, {
      questions: JSON.stringify([
        { id: 'qa', label: 'Première', kind: 'text', required: false },
        { id: 'qb', label: 'Deuxième', kind: 'checkbox', required: true },
        { id: 'qc', label: 'Troisième', kind: 'choice', options: ['Un', 'Deux'], required: false },
      ]),
    });
    const before = await stored(event.id);
    const typed = {
      capacity: '35',
      waitlist_enabled: '1',
      q0_id: 'qa',
      q0_kind: 'text',
      q0_label: 'Première, reformulée',
      q1_id: 'qb',
      q1_kind: 'checkbox',
      q1_label: 'Deuxième',
      q1_required: '1',
      q2_id: 'qc',
      q2_kind: 'choice',
      q2_label: 'Troisième',
      q2_options: 'Un\nDeux\nTrois',
      q3_kind: 'text',
      q3_label: 'Nouvelle question',
    };
    const act = async (action: string, fields: Record<string, string> = typed) => {
      const res = await staff.post(url(event.id), { ...fields, question_action: action });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      assert.deepEqual(await stored(event.id), before, `${action} saves nothing`);
      assert.match(res.body, /id="f-capacity" name="capacity" type="number" value="35"/, 'the other settings keep what was typed');
      assert.match(res.body, /id="f-waitlist_enabled" name="waitlist_enabled" value="1" checked/);
      return res.body;
    };

    // « Monter » on the third question: it becomes the second, its typed choices with it.
    const up = await act('up:2');
    assert.deepEqual(rowLabels(up), ['Première, reformulée', 'Troisième', 'Deuxième', 'Nouvelle question']);
    assert.equal(optionsOf(up, 1), 'Un\nDeux\nTrois');
    assert.equal(kindOf(up, 1), 'choice');
    assert.equal(isRequired(up, 2), true, 'the « required » box moves with its question');
    assert.match(up, /name="q1_id" value="qc"/);
    assert.equal(status(up), 'Question déplacée en position 2. Enregistrez les réglages pour garder ce changement.');
    assert.equal(autofocused(up), 'q1-up', 'the keyboard stays on « Monter » of the question moved');
    // Up to the top: « Monter » is gone there, the keyboard goes to « Descendre ».
    assert.equal(autofocused(await act('up:1')), 'q0-down');

    // « Descendre » on the first question.
    const down = await act('down:0');
    assert.deepEqual(rowLabels(down), ['Deuxième', 'Première, reformulée', 'Troisième', 'Nouvelle question']);
    assert.equal(autofocused(down), 'q1-down');

    // « Supprimer » on the second question: the others renumbered, the keyboard on the next one.
    const removed = await act('remove:1');
    assert.deepEqual(rowLabels(removed), ['Première, reformulée', 'Troisième', 'Nouvelle question']);
    assert.match(removed, /<legend>Question 3<\/legend>/);
    assert.doesNotMatch(removed, /<legend>Question 4<\/legend>/);
    assert.equal(status(removed), 'Question 2 retirée. Enregistrez les réglages pour confirmer la suppression.');
    assert.equal(autofocused(removed), 'f-q1_label');

    // « Ajouter une question » without script: one more empty row, the keyboard in its label.
    const added = await act('add');
    assert.deepEqual(rowLabels(added), ['Première, reformulée', 'Deuxième', 'Troisième', 'Nouvelle question', '']);
    assert.equal(autofocused(added), 'f-q4_label');
    assert.equal(status(added), 'Question 5 ajoutée : remplissez-la, puis enregistrez les réglages.');

    // Then « Enregistrer » with the order changed and a question removed: saved so, ids kept.
    const saved = await staff.post(url(event.id), {
      capacity: '35',
      q0_id: 'qc',
      q0_kind: 'choice',
      q0_label: 'Troisième',
      q0_options: 'Un\nDeux\nTrois',
      q1_id: 'qa',
      q1_kind: 'text',
      q1_label: 'Première, reformulée',
      q2_kind: 'text',
      q2_label: '',
    });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual(await stored(event.id), [
      { id: 'qc', label: 'Troisième', kind: 'choice', required: false, options: ['Un', 'Deux', 'Trois'] },
      { id: 'qa', label: 'Première, reformulée', kind: 'text', required: false },
    ]);
    const page = await staff.get(url(event.id));
    assert.deepEqual(rowLabels(page.body), ['Troisième', 'Première, reformulée', '']);
  });

  test('invalid rows: each error names its question and field, links to it, and every typed value stays', async () => {
    const event = await insertTestEvent(t.kernel.db, { questions: JSON.stringify([{ id: 'qa', label: 'Première', kind: 'text', required: false }]) });
    const before = await stored(event.id);
    const res = await staff.post(url(event.id), {
      capacity: '30',
      q0_id: 'qa',
      q0_kind: 'text',
      q0_label: 'Première',
      // An empty row in the middle is skipped: the questions after it are numbered as shown again.
      q1_kind: 'text',
      q1_label: '',
      q2_kind: 'text',
      q2_label: '',
      q2_required: '1',
      q3_kind: 'choice',
      q3_label: 'Repas',
      q3_options: 'Oui',
      q4_kind: 'sondage',
      q4_label: 'Une question d’un type inconnu',
      q5_kind: 'text',
      q5_label: 'x'.repeat(201),
    });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(await stored(event.id), before, 'nothing saved');
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    assert.deepEqual(
      [...summary.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]),
      [
        ['f-q1_label', 'Question 2 : saisissez le libellé.'],
        ['f-q2_options', 'Question 3 : une question à choix demande au moins deux choix.'],
        ['f-q3_kind', 'Question 4 : choisissez le type de réponse.'],
        ['f-q4_label', 'Question 5 : le libellé ne doit pas dépasser 200 caractères.'],
      ],
    );
    // Each field says it too, tied to its control; what was typed is still there.
    assert.match(res.body, /<p class="field-error" id="f-q1_label-error">Question 2 : saisissez le libellé\.<\/p><input id="f-q1_label" name="q1_label" type="text" value=""[^>]*aria-invalid="true" aria-describedby="f-q1_label-error"/);
    assert.equal(isRequired(res.body, 1), true);
    assert.match(res.body, /id="f-q2_options-error">Question 3 : une question à choix demande au moins deux choix\.<\/p><textarea id="f-q2_options" name="q2_options" rows="3" aria-invalid="true" aria-describedby="f-q2_options-hint f-q2_options-error">Oui<\/textarea>/);
    assert.equal(kindOf(res.body, 2), 'choice');
    assert.deepEqual(rowLabels(res.body), ['Première', '', 'Repas', 'Une question d’un type inconnu', 'x'.repeat(201), ''], 'with an empty row to add one more');
    assert.match(res.body, /name="q0_id" value="qa"/);
    assert.match(res.body, /id="f-capacity" name="capacity" type="number" value="30"/);
  });

  test('every mistake of the settings at once: capacity, unreadable time, deadline after the event, choices missing; what was typed stays', async () => {
    const event = await insertTestEvent(t.kernel.db);
    const start = new Date(String(event.starts_at));
    const dayAfter = new Date(start.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    const summaryOf = (html: string) => [...(/<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '').matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => m[1]);
    const typed = { registration_open: '1', capacity: '-3', deadline_date: dayAfter, deadline_time: '99:00', q0_kind: 'choice', q0_label: 'Repas', q0_options: '' };
    const res = await staff.post(url(event.id), typed);
    assert.equal(res.statusCode, 400);
    assert.deepEqual(summaryOf(res.body), ['f-deadline_date', 'f-deadline_time', 'f-capacity', 'f-q0_options'], 'all four mistakes, in the order of the form');
    assert.match(res.body, /id="f-deadline_date-error">La date limite d’inscription doit précéder le début de l’événement \(/);
    assert.match(res.body, /id="f-deadline_time-error">Saisissez une heure valide, entre 0 h et 23 h 59, par exemple 12 h ou 12:00\.<\/p>/);
    assert.match(res.body, /id="f-capacity-error">Saisissez un nombre entier de places entre 1 et 100 000\.<\/p>/);
    assert.match(res.body, /id="f-q0_options-error">Question 1.: une question à choix demande au moins deux choix\.<\/p>/);
    // Typed values kept, to be corrected.
    assert.match(res.body, new RegExp(`id="f-deadline_date" name="deadline_date" type="date" value="${dayAfter}"`));
    assert.match(res.body, /id="f-deadline_time" name="deadline_time" type="text" value="99:00"/);
    assert.match(res.body, /id="f-capacity" name="capacity" type="number" value="-3"/);
    assert.deepEqual(rowLabels(res.body), ['Repas', '']);
    assert.equal(kindOf(res.body, 0), 'choice');

    // The same form sent again says the same: nothing was waiting for a second save.
    assert.deepEqual(summaryOf((await staff.post(url(event.id), typed)).body), ['f-deadline_date', 'f-deadline_time', 'f-capacity', 'f-q0_options']);
    // A readable time with a date too late, a time without a date, a capacity out of range: each said.
    const late = await staff.post(url(event.id), { capacity: '0', deadline_date: dayAfter, deadline_time: '12 h' });
    assert.deepEqual(summaryOf(late.body), ['f-deadline_date', 'f-capacity']);
    const noDate = await staff.post(url(event.id), { capacity: 'abc', deadline_time: '12:00' });
    assert.deepEqual(summaryOf(noDate.body), ['f-deadline_date', 'f-capacity']);
    assert.match(noDate.body, /id="f-deadline_date-error">Saisissez une date \(AAAA-MM-JJ\), ou videz l’heure limite\.<\/p>/);
    const row = await t.kernel.db.selectFrom('events').select(['capacity', 'registration_deadline']).where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.deepEqual({ ...row, capacity: Number(row.capacity) }, { capacity: 50, registration_deadline: null }, 'nothing saved');
  });

  test('twenty questions at most', async () => {
    const event = await insertTestEvent(t.kernel.db);
    const rows: Record<string, string> = {};
    for (let i = 0; i < 21; i++) Object.assign(rows, { [`q${i}_kind`]: 'text', [`q${i}_label`]: `Question n° ${i + 1}` });
    const tooMany = await staff.post(url(event.id), rows);
    assert.equal(tooMany.statusCode, 400);
    assert.match(tooMany.body, /<a href="#f-q20_label">Vingt questions au plus : supprimez la question 21\.<\/a>/);
    assert.equal(rowLabels(tooMany.body).length, 21, 'no empty row beyond the limit');
    assert.deepEqual(await stored(event.id), []);

    delete rows['q20_kind'];
    delete rows['q20_label'];
    const full = await staff.post(url(event.id), { ...rows, question_action: 'add' });
    assert.equal(full.statusCode, 200);
    assert.equal(rowLabels(full.body).length, 20, '« Ajouter » adds no 21st row');
    assert.equal(status(full.body), 'Vingt questions au plus : supprimez-en une pour en ajouter une autre.');
    assert.match(full.body, /<p class="reg-questions-add" hidden>/);
    const saved = await staff.post(url(event.id), rows);
    assert.equal(saved.statusCode, 303);
    assert.equal((await stored(event.id)).length, 20);
    const page = await staff.get(url(event.id));
    assert.equal(rowLabels(page.body).length, 20, 'twenty questions: no empty row');
  });
});
