import { type Kysely, sql } from 'kysely';
import { isPostgres } from './helpers.js';

// A counter the database moves whenever a seat may be taken or freed: a registration added or
// deleted, its status changed, or moved to another event. The public event page and the agenda's
// list say « N places restantes » and « Complet »: their page cache keys on this counter with the
// agenda's, so a registration shows at once. A counter of its own, not the agenda's: registering
// would otherwise take the agenda's lock, which event writes hold while they lock other events.
const BUMP = `update change_counters set version = version + 1 where name = 'registrations'`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen and untyped by design
export async function up(db: Kysely<any>): Promise<void> {
  await db.insertInto('change_counters').values({ name: 'registrations', version: 0 }).execute();
  if (isPostgres(db)) {
    await sql.raw(`create function bump_registrations_version() returns trigger language plpgsql as $$ begin ${BUMP}; return null; end $$`).execute(db);
    await sql
      .raw(
        'create trigger registrations_seats_version after insert or delete or update of status, event_id or truncate on registrations for each statement execute function bump_registrations_version()',
      )
      .execute(db);
    return;
  }
  for (const event of ['insert', 'delete', 'update of status, event_id']) {
    await sql.raw(`create trigger registrations_seats_version_${event.split(' ')[0]} after ${event} on registrations begin ${BUMP}; end`).execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw('drop trigger registrations_seats_version on registrations').execute(db);
    await sql.raw('drop function bump_registrations_version()').execute(db);
  } else {
    for (const event of ['insert', 'delete', 'update']) await sql.raw(`drop trigger registrations_seats_version_${event}`).execute(db);
  }
  await db.deleteFrom('change_counters').where('name', '=', 'registrations').execute();
}
