import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSurvivor } from './fields.js';

const record = (id: string, slug: string, created_at: string) => ({ id, slug, created_at });
const older = '2016-03-01T10:00:00.000Z';
const newer = '2026-03-01T10:00:00.000Z';

test('the default survivor keeps the address without an added number, else the record created first', () => {
  const survivorOf = (a: ReturnType<typeof record>, b: ReturnType<typeof record>) => [defaultSurvivor(a, b).slug, defaultSurvivor(b, a).slug];
  assert.deepEqual(survivorOf(record('1', 'eau-vive-2', older), record('2', 'eau-vive', newer)), ['eau-vive', 'eau-vive']);
  assert.deepEqual(survivorOf(record('1', 'eau-vive-3', older), record('2', 'eau-vive-2', newer)), ['eau-vive-2', 'eau-vive-2']);
  // A name that ends with a number is a name: "agenda-21-2" is "agenda-21" made unique.
  assert.deepEqual(survivorOf(record('1', 'agenda-21-2', older), record('2', 'agenda-21', newer)), ['agenda-21', 'agenda-21']);
  // Addresses of two different names: the record created first, then the smaller id.
  assert.deepEqual(survivorOf(record('1', 'eau-vive-gironde', newer), record('2', 'eau-vive', older)), ['eau-vive', 'eau-vive']);
  assert.deepEqual(survivorOf(record('1', 'eau-vive-2', newer), record('2', 'eau-vive-gironde', older)), ['eau-vive-gironde', 'eau-vive-gironde']);
  assert.deepEqual(survivorOf(record('2', 'eau-vive-gironde', older), record('1', 'eau-vive-landes', older)), ['eau-vive-landes', 'eau-vive-landes']);
});
