import { departmentCentre } from '../../kernel/geo/department-centres.js';
import type { ViewContext } from '../../kernel/ui/context.js';
import { describePosition, formatCoordinate, organisationPlace, parseCoordinate, PositionAssets, PositionFields, placeByHand } from '../map/index.js';
import { findOrganisationById } from '../organisations/index.js';
import { type EntityValues, type FieldProblem, type ModeratedEntity, type ModerationDeps, ProposalInvalidError, registerModeratedEntity } from './registry.js';

/**
 * A member's move of their organisation's marker: its own kind of proposal (not a field of the
 * organisation form), approved into a 'manual' position that the geocoder never overwrites.
 */
export const POSITION_TYPE = 'organisation_position';

/** About a metre: a position shown and typed back unchanged is the same position. */
const round = (value: number) => Math.round(value * 1e5) / 1e5;

type Point = { latitude: number; longitude: number };

/** A coordinate from a form (text, comma or point) or from stored values (a number). */
function coordinate(value: unknown, limit: number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
  return parseCoordinate(value, limit);
}

/** Both coordinates, or the French problems of each field. */
export function checkPosition(raw: EntityValues): { ok: true; point: Point } | { ok: false; errors: Record<string, FieldProblem> } {
  const latitude = coordinate(raw['latitude'], 90);
  const longitude = coordinate(raw['longitude'], 180);
  if (latitude === null || longitude === null) {
    return {
      ok: false,
      errors: {
        ...(latitude === null ? { latitude: { key: 'map.position.invalidLat' } } : {}),
        ...(longitude === null ? { longitude: { key: 'map.position.invalidLng' } } : {}),
      },
    };
  }
  return { ok: true, point: { latitude, longitude } };
}

/** A value for a coordinate field: a stored number in the page's language, or the text as typed. */
export function coordinateText(value: unknown, locale: ViewContext['locale']): string {
  if (typeof value === 'number' && Number.isFinite(value)) return formatCoordinate(value, locale);
  return typeof value === 'string' ? value.slice(0, 40) : '';
}

/**
 * The organisation's name and position now. `from_*` repeat the position: they are not compared
 * (not in the diff), so a staff review still knows where the marker is while the fields hold the
 * proposed place.
 */
async function loadPosition(id: string, deps: Pick<ModerationDeps, 'db'>): Promise<EntityValues | undefined> {
  const place = await organisationPlace(deps.db, id);
  if (!place) return undefined;
  const latitude = place.latitude === null ? null : round(place.latitude);
  const longitude = place.longitude === null ? null : round(place.longitude);
  return { name: place.name, latitude, longitude, from_latitude: latitude, from_longitude: longitude, department_code: place.department_code };
}

/** The payload of a member's proposal: the name (for lists and mails) and the point. */
export function positionPayload(name: string, point: Point): EntityValues {
  return { name, latitude: point.latitude, longitude: point.longitude };
}

/** Where a map opens when no position is known: the département's centre, if any. */
export function startOf(departmentCode: unknown): Point | null {
  const centre = departmentCentre(typeof departmentCode === 'string' ? departmentCode : null);
  return centre ? { latitude: centre.lat, longitude: centre.lng } : null;
}

function ReviewFields({ ctx, values, errors, deps }: { ctx: ViewContext; values: EntityValues; errors: Record<string, string>; deps: ModerationDeps }) {
  const { t } = ctx;
  // Posted back after an error, the hidden fields come as text: read them again.
  const fromLat = coordinate(values['from_latitude'], 90);
  const fromLng = coordinate(values['from_longitude'], 180);
  const from = fromLat !== null && fromLng !== null ? { latitude: fromLat, longitude: fromLng } : null;
  const proposed = checkPosition(values);
  const osm =
    from && proposed.ok
      ? `https://www.openstreetmap.org/directions?route=${from.latitude}%2C${from.longitude}%3B${proposed.point.latitude}%2C${proposed.point.longitude}`
      : null;
  const hidden = (name: string, value: unknown) => <input type="hidden" name={name} value={value === null || value === undefined ? '' : String(value)} />;
  return (
    <>
      <PositionAssets />
      {hidden('name', values['name'])}
      {hidden('from_latitude', from?.latitude)}
      {hidden('from_longitude', from?.longitude)}
      <p safe>{from ? t('position.review.current', { point: describePosition(ctx, { ...from, geo_precision: null }) }) : t('position.review.none')}</p>
      {osm ? (
        <p>
          <a href={osm} rel="noopener noreferrer" safe>
            {t('position.review.osm')}
          </a>
        </p>
      ) : (
        ''
      )}
      <PositionFields
        ctx={ctx}
        values={{ latitude: coordinateText(values['latitude'], ctx.locale), longitude: coordinateText(values['longitude'], ctx.locale) }}
        errors={errors}
        tileUrl={deps.config.tileUrl}
        from={from}
        start={startOf(values['department_code'])}
        mapLabel={t('position.review.mapLabel')}
      />
    </>
  );
}

export const positionEntity: ModeratedEntity = {
  type: POSITION_TYPE,
  labelKey: 'moderation.type.position',
  fieldLabels: { latitude: 'map.position.lat', longitude: 'map.position.lng' },
  load: (id, deps) => loadPosition(id, deps),
  async apply(values, actor, proposal, deps) {
    const checked = checkPosition(values);
    if (!checked.ok) throw new ProposalInvalidError(checked.errors);
    const { latitude, longitude } = checked.point;
    if (!proposal.entityId || !(await placeByHand({ db: deps.db, clock: deps.clock, jobs: deps.jobs }, actor, proposal.entityId, latitude, longitude))) {
      throw new ProposalInvalidError({});
    }
    return proposal.entityId;
  },
  async validate(raw) {
    const checked = checkPosition(raw);
    if (!checked.ok) return checked;
    const name = typeof raw['name'] === 'string' ? raw['name'].slice(0, 300) : '';
    return { ok: true, values: positionPayload(name, checked.point) };
  },
  async renderForm({ ctx, values, errors, deps }) {
    return (await (<ReviewFields ctx={ctx} values={values} errors={errors} deps={deps} />)) as string;
  },
  display(field, value, ctx) {
    const text = coordinateText(value, ctx.locale);
    return field === 'latitude' || field === 'longitude' ? text : String(value ?? '');
  },
  title: (values) => String(values['name'] ?? ''),
  async publicHref(entityId, deps) {
    const org = await findOrganisationById(deps.db, entityId);
    return org && org.visibility === 'public' ? `/acteurs/${org.slug}` : null;
  },
};

let registered = false;

/** Members' moves of a marker are moderated like their edits. */
export function registerPositionModeration(): void {
  if (registered) return;
  registerModeratedEntity(positionEntity);
  registered = true;
}
