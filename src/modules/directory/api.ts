import { Value } from '@sinclair/typebox/value';
import type { Role } from '../../db/schema.js';
import type { MessageKey, Translate } from '../../kernel/i18n/index.js';
import { parseDirectoryQuery, searchDirectory } from '../organisations/index.js';
import type { Labels } from './labels.js';
import { publicRecord } from './public-record.js';
import { type ApiError, ListQuery, type OrganisationList, REPEATABLE } from './schemas.js';
import type { DirectoryDeps } from './search.js';

export const DEFAULT_PER_PAGE = 20;

type RawQuery = Record<string, unknown>;

function strings(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((v) => String(v).split(','));
}

/**
 * Reads the API's query string against its schema: repeatable filters become arrays (given
 * several times or comma-separated), numbers are converted, anything else is refused with a
 * French message per parameter (the directory page, by contrast, ignores what it cannot read).
 */
export function readListQuery(raw: RawQuery, t: Translate): { ok: true; value: ListQuery } | { ok: false; error: ApiError } {
  const candidate: Record<string, unknown> = {};
  for (const name of Object.keys(ListQuery.properties)) {
    const value = raw[name];
    if (value === undefined) continue;
    if ((REPEATABLE as readonly string[]).includes(name)) {
      const list = strings(value)
        .map((v) => v.trim())
        .filter(Boolean);
      if (list.length) candidate[name] = list;
    } else {
      const first = String(Array.isArray(value) ? value[0] : value).trim();
      if (first !== '') candidate[name] = first;
    }
  }
  const converted = Value.Convert(ListQuery, candidate) as Record<string, unknown>;
  if (Value.Check(ListQuery, converted)) return { ok: true, value: converted };
  const details: { parameter: string; message: string }[] = [];
  for (const error of Value.Errors(ListQuery, converted)) {
    const parameter = error.path.split('/')[1] ?? '';
    if (!parameter || details.some((d) => d.parameter === parameter)) continue;
    details.push({ parameter, message: t(`directory.api.error.${parameter}` as MessageKey) });
  }
  return { ok: false, error: { error: 'bad_request', message: t('directory.api.error.invalid'), details } };
}

/** The validated query in the shape the shared directory parser reads. */
function asDirectoryQuery(q: ListQuery): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(q)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

export async function listOrganisations(
  deps: DirectoryDeps,
  query: ListQuery,
  role: Role | null,
  labels: Labels,
  baseUrl: string,
): Promise<OrganisationList> {
  const perPage = query.par_page ?? DEFAULT_PER_PAGE;
  const parsed = parseDirectoryQuery(asDirectoryQuery(query), role, perPage);
  const { rows, total } = await searchDirectory(deps.db, deps.dialect, parsed.filter, parsed.tokens);
  const pages = Math.max(1, Math.ceil(total / perPage));
  const link = (page: number) => {
    const params = new URLSearchParams(parsed.canonical);
    params.set('page', String(page));
    if (perPage !== DEFAULT_PER_PAGE) params.set('par_page', String(perPage));
    return `${baseUrl}/api/v1/organisations?${params.toString()}`;
  };
  return {
    total,
    page: parsed.page,
    par_page: perPage,
    pages,
    links: {
      self: link(parsed.page),
      first: link(1),
      last: link(pages),
      prev: parsed.page > 1 ? link(Math.min(parsed.page - 1, pages)) : null,
      next: parsed.page < pages ? link(parsed.page + 1) : null,
    },
    data: rows.map((o) => publicRecord(o, labels, baseUrl)),
  };
}
