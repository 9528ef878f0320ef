import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { storeImage } from '../../../src/kernel/files/images.js';
import { newId } from '../../../src/kernel/ids.js';
import { createEvent, createSeries, EVENT_IMAGE_BOX, EVENT_IMAGE_PURPOSE, parseRule, validateEvent } from '../../../src/modules/events/index.js';
import type { RouteArea, Statuses } from './types.js';

const PAGE: Statuses = { visitor: 302, member: 403, staff: 200, admin: 200 };
/** A POST with an empty or invalid form: the page comes back with its errors. */
const INVALID: Statuses = { visitor: 403, member: 403, staff: 400, admin: 400 };
const DONE: Statuses = { visitor: 403, member: 403, staff: 303, admin: 303 };
const MEMBER_PAGE: Statuses = { visitor: 302, member: 200, staff: 200, admin: 200 };
const MEMBER_INVALID: Statuses = { visitor: 403, member: 400, staff: 400, admin: 400 };
/** The sample event is organised by no organisation of these accounts. */
const NOT_THEIRS_GET: Statuses = { visitor: 302, member: 403, staff: 403, admin: 403 };
const NOT_THEIRS_POST: Statuses = { visitor: 403, member: 403, staff: 403, admin: 403 };

/** Routes of the events area (hand-written; see types.ts). */
export const eventRoutes: RouteArea = {
  expected: {
    'GET /admin/agenda': PAGE,
    'GET /admin/agenda/nouveau': PAGE,
    // « nouvelle » for « nouveau »: the form's address, permanently.
    'GET /admin/agenda/nouvelle': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'GET /admin/agenda/nouvel': { visitor: 302, member: 403, staff: 301, admin: 301 },
    'POST /admin/agenda/nouveau': INVALID,
    'GET /admin/agenda/:id': PAGE,
    'POST /admin/agenda/:id': INVALID,
    'POST /admin/agenda/:id/statut': DONE,
    'POST /admin/agenda/:id/serie/annuler': DONE,
    'GET /mon-espace/evenements': MEMBER_PAGE,
    'GET /mon-espace/evenements/nouveau': MEMBER_PAGE,
    'GET /mon-espace/evenements/nouvelle': { visitor: 302, member: 301, staff: 301, admin: 301 },
    'GET /mon-espace/evenements/nouvel': { visitor: 302, member: 301, staff: 301, admin: 301 },
    'POST /mon-espace/evenements/nouveau': MEMBER_INVALID,
    'GET /mon-espace/evenements/:id/modifier': NOT_THEIRS_GET,
    'POST /mon-espace/evenements/:id/modifier': NOT_THEIRS_POST,
    // A public event's image: everyone (a draft's or a proposal's answers 404).
    'GET /media/events/:id/image': { visitor: 200, member: 200, staff: 200, admin: 200 },
    // Any event image, live or waiting in a draft or a proposal: staff only.
    'GET /media/event-images/:fileId': { visitor: 302, member: 403, staff: 200, admin: 200 },
  },
  async samples(t) {
    const checked = validateEvent(
      { title: 'Groupe pays Sénégal', type_code: 'country_group_meeting', start_date: '2030-01-08', start_time: '18:00', end_time: '20:00', venue: 'Maison des associations' },
      { types: ['country_group_meeting'], themes: [] },
      { ids: [] },
    );
    assert.ok(checked.ok);
    const series = await createSeries(t.kernel, { id: null, email: 'seed@example.org' }, checked.draft, parseRule('FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU;COUNT=3')!, 'draft');
    const id = series.eventIds[0]!;
    // A published event with an image.
    const tmpPath = path.join(t.config.dataDir, 'tmp', `upload-${newId()}`);
    fs.mkdirSync(path.dirname(tmpPath), { recursive: true });
    fs.writeFileSync(tmpPath, await sharp({ create: { width: 60, height: 40, channels: 3, background: '#1f6f8b' } }).png().toBuffer());
    const stored = await storeImage(t.kernel, { tmpPath, filename: 'affiche.png', declaredMime: 'image/png', size: fs.statSync(tmpPath).size, truncated: false }, { purpose: EVENT_IMAGE_PURPOSE, box: EVENT_IMAGE_BOX, defaultName: 'image' }, null);
    assert.ok(stored.ok);
    const pictured = await createEvent(t.kernel, { id: null, email: 'seed@example.org' }, { ...checked.draft, image_file_id: stored.fileId, image_alt: 'Affiche' }, { status: 'published' });
    return {
      'GET /media/events/:id/image': { params: { id: pictured.id } },
      'GET /media/event-images/:fileId': { params: { fileId: stored.fileId } },
      'GET /admin/agenda/:id': { params: { id } },
      // An invalid edit (no title): the form comes back with its errors.
      'POST /admin/agenda/:id': { params: { id }, body: { title: '' } },
      'POST /admin/agenda/:id/statut': { params: { id }, body: { action: 'publish' } },
      'POST /admin/agenda/:id/serie/annuler': { params: { id: series.eventIds[1]! } },
      'GET /mon-espace/evenements/:id/modifier': { params: { id } },
      'POST /mon-espace/evenements/:id/modifier': { params: { id }, body: { title: 'Autre titre' } },
    };
  },
};
