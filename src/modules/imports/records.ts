import type { MessageKey } from '../../kernel/i18n/index.js';
import { type FieldProblem, validateOrganisation } from '../organisations/index.js';
import type { Taxonomies } from './context.js';
import { contactOf } from './contact.js';
import { targetName } from './issue-text.js';
import { splitCell } from './guess-mapping.js';
import { columnIndexes, membershipIsCurrent } from './mapping.js';
import { type Place, resolvePlace } from './places.js';
import type { ReadRow } from './read.js';
import { keyOf } from './synonyms.js';
import type { ImportRecord, MappingDocument, RowIssue, Separator, Target } from './types.js';
import type { Vocabulary } from './vocabulary.js';


/** Form field of the organisations validator → the mapping target it comes from. */
const FIELD_TARGET: Record<string, Target> = {
  kind_code: 'kind', commune: 'commune', postcode: 'postcode', siren: 'siren_siret', siret: 'siren_siret',
};

/** Validator problems that an import turns into a warning and a dropped value. */
const DROPPED_KEYS: Record<string, MessageKey> = {
  phone: 'imports.issue.phoneInvalid',
  email: 'imports.issue.emailInvalid',
  website: 'imports.issue.websiteInvalid',
  postcode: 'imports.issue.postcodeInvalid',
};
const FLAGGED_KEYS: Record<string, MessageKey> = {
  siren: 'imports.issue.sirenInvalid',
  siret: 'imports.issue.siretInvalid',
  rna: 'imports.issue.rnaInvalid',
};

/**
 * Turns rows into records with the mapping: values looked up (kinds, countries, themes,
 * communes), then checked by the organisations module's own validator. Only a missing or
 * unusable name is an error; any other bad value becomes a warning (dropped, or for identifiers
 * kept as written and flagged).
 */
export class RecordBuilder {
  private readonly columns: Map<Target, number[]>;
  private readonly splits = new Map<Target, Separator | undefined>();
  private readonly valueMaps = new Map<Target, Map<string, string>>();
  private readonly memberIsCurrent: boolean;

  constructor(
    private readonly mapping: MappingDocument,
    headers: string[],
    private readonly vocabulary: Vocabulary,
    private readonly taxonomies: Taxonomies,
    private readonly currentYear: number,
  ) {
    this.columns = columnIndexes(mapping, headers);
    this.memberIsCurrent = membershipIsCurrent(mapping, currentYear);
    for (const spec of Object.values(mapping.columns)) {
      if (spec.split) this.splits.set(spec.field, spec.split);
      if (spec.values) {
        const map = this.valueMaps.get(spec.field) ?? new Map<string, string>();
        for (const [value, code] of Object.entries(spec.values)) map.set(keyOf(value), code);
        this.valueMaps.set(spec.field, map);
      }
    }
  }

  has(target: Target): boolean {
    return this.columns.has(target);
  }

  private cell(values: string[], target: Target): string {
    const indexes = this.columns.get(target);
    if (!indexes) return '';
    if (indexes.length === 1) return (values[indexes[0]!] ?? '').trim();
    return indexes.map((i) => (values[i] ?? '').trim()).filter(Boolean).join(this.splits.get(target) ?? ';');
  }

  private many(values: string[], target: Target): string[] {
    const indexes = this.columns.get(target);
    if (!indexes) return [];
    return indexes.flatMap((i) => splitCell(values[i] ?? '', this.splits.get(target)));
  }

  private readonly keys = new Map<string, string>();

  /** keyOf, remembered: the same few values come back on every row. */
  private key(value: string): string {
    let key = this.keys.get(value);
    if (key === undefined) {
      key = keyOf(value);
      if (this.keys.size < 10_000) this.keys.set(value, key);
    }
    return key;
  }

  private readonly places = new Map<string, Place>();

  /** resolvePlace, remembered: a file names the same communes and postcodes thousands of times. */
  private place(commune: string, postcode: string): Place {
    const key = `${commune}\u0000${postcode}`;
    let place = this.places.get(key);
    if (place === undefined) {
      place = resolvePlace(commune, postcode);
      if (this.places.size < 20_000) this.places.set(key, place);
    }
    return place;
  }

  /** A coded value: the mapping's own value map first, then the vocabulary. */
  private code(target: Target, value: string, lookup: (v: string) => string | null): string | null {
    const map = this.valueMaps.get(target);
    const mapped = map ? map.get(this.key(value)) : undefined;
    if (mapped !== undefined) return mapped || null;
    return lookup(value);
  }

  private codes(values: string[], target: Target, lookup: (v: string) => string | null, issues: RowIssue[]): string[] {
    const out: string[] = [];
    for (const value of this.many(values, target)) {
      const code = this.code(target, value, lookup);
      if (code) {
        if (!out.includes(code)) out.push(code);
      } else {
        issues.push({ level: 'warning', field: target, key: 'imports.issue.valueUnknown', params: { field: targetName(target), value }, raw: value });
      }
    }
    return out;
  }

  build(row: ReadRow): ImportRecord {
    const v = row.values;
    const issues: RowIssue[] = [];
    if (row.extraCells) issues.push({ level: 'warning', field: 'row', key: 'imports.issue.extraCells', params: { count: row.extraCells, expected: v.length } });
    if (row.unreadable) issues.push({ level: 'warning', field: 'row', key: 'imports.issue.unreadableChars' });
    const sourceRef = this.cell(v, 'source_ref') || null;
    const record: ImportRecord = { row: row.row, sourceRef, organisation: null, isMember: false, membershipYear: null, contact: null, flagged: [], issues };

    const name = this.cell(v, 'name');
    if (!name) {
      issues.push({ level: 'error', field: 'name', key: 'imports.issue.nameMissing' });
      return record;
    }

    const kindRaw = this.cell(v, 'kind');
    let kind = kindRaw ? this.code('kind', kindRaw, (x) => this.vocabulary.kinds.match(x)) : null;
    if (!kind) {
      if (kindRaw) issues.push({ level: 'warning', field: 'kind', key: 'imports.issue.kindUnknown', params: { value: kindRaw }, raw: kindRaw });
      else if (this.has('kind')) issues.push({ level: 'warning', field: 'kind', key: 'imports.issue.kindMissing' });
      kind = 'other';
    }

    const place = this.place(this.cell(v, 'commune'), this.cell(v, 'postcode'));
    for (const issue of place.issues) issues.push({ ...issue });

    const siren = this.cell(v, 'siren');
    const siret = this.cell(v, 'siret');
    const either = this.cell(v, 'siren_siret');
    const eitherDigits = either.replace(/[\s.\-_/]/g, '');
    const raw: Record<string, unknown> = {
      name,
      acronym: this.cell(v, 'acronym'),
      kind_code: kind,
      description: this.cell(v, 'description'),
      website: this.cell(v, 'website'),
      email: this.cell(v, 'email'),
      phone: this.cell(v, 'phone'),
      address: this.cell(v, 'address'),
      postcode: place.postcode ?? '',
      commune: place.communeCode ?? '',
      siren: siren || (either && eitherDigits.length !== 14 ? either : ''),
      siret: siret || (eitherDigits.length === 14 ? either : ''),
      rna: this.cell(v, 'rna'),
      insee_code: this.cell(v, 'insee_code'),
      founded_year: this.cell(v, 'founded_year').replace(/^(\d{4})-\d{2}-\d{2}$/, '$1'),
      staff_count: this.cell(v, 'staff_count'),
      volunteer_count: this.cell(v, 'volunteer_count'),
      visibility: this.mapping.visibility ?? 'public',
      themes: this.codes(v, 'themes', (x) => this.vocabulary.themes.match(x), issues),
      countries: this.codes(v, 'countries', (x) => this.vocabulary.country(x), issues),
      zones: this.codes(v, 'zones', (x) => this.vocabulary.zones.match(x), issues),
      sdgs: this.codes(v, 'sdgs', (x) => (this.vocabulary.sdg(x) === null ? null : String(this.vocabulary.sdg(x))), issues),
      colleges: [],
    };

    // The validator's verdict; a refused value other than the name is dropped with a warning.
    for (let attempt = 0; attempt < 4; attempt++) {
      const result = validateOrganisation(raw, this.taxonomies, { lenientIdentifiers: true, currentYear: this.currentYear });
      if (result.ok) {
        for (const [field, problem] of Object.entries(result.warnings)) this.flag(record, field, raw[field], problem);
        const draft = result.draft;
        if (place.unknownCommune) draft.commune_name = place.unknownCommune;
        record.organisation = draft;
        break;
      }
      if (result.errors['name']) {
        issues.push({ level: 'error', field: 'name', key: 'imports.issue.nameInvalid', params: { detail: { key: result.errors['name'].key, params: result.errors['name'].params } }, raw: name });
        return record;
      }
      for (const [field, problem] of Object.entries(result.errors)) this.drop(record, raw, field, problem);
    }

    const member = this.cell(v, 'is_member');
    if (member) {
      const mapped = this.valueMaps.get('is_member')?.get(this.key(member));
      const yes = mapped !== undefined ? mapped === '1' : this.vocabulary.boolean(member);
      if (yes === null) issues.push({ level: 'warning', field: 'is_member', key: 'imports.issue.memberUnknown', params: { value: member }, raw: member });
      else if (yes) {
        record.isMember = this.memberIsCurrent;
        record.membershipYear = this.mapping.membershipYear ?? null;
      }
    }

    record.contact = contactOf(
      {
        name: this.cell(v, 'contact_name'),
        first: this.cell(v, 'contact_first_name'),
        last: this.cell(v, 'contact_last_name'),
        civility: this.cell(v, 'contact_civility'),
        function: this.cell(v, 'contact_function'),
        emails: this.many(v, 'contact_email').flatMap((e) => e.split(/[\s;,]+/)).filter(Boolean),
        phone: this.cell(v, 'contact_phone'),
      },
      issues,
    );
    return record;
  }

  /** An identifier that failed its check: kept as written, flagged, reported. */
  private flag(record: ImportRecord, field: string, value: unknown, problem: FieldProblem): void {
    const text = typeof value === 'string' ? value : '';
    const key = FLAGGED_KEYS[field];
    record.flagged.push(field);
    record.issues.push(
      key
        ? { level: 'warning', field: FIELD_TARGET[field] ?? field, key, params: { value: text }, raw: text }
        : { level: 'warning', field, key: 'imports.issue.fieldDropped', params: { field: targetName(FIELD_TARGET[field] ?? field), value: text, detail: { key: problem.key, params: problem.params } }, raw: text },
    );
  }

  private drop(record: ImportRecord, raw: Record<string, unknown>, field: string, problem: FieldProblem): void {
    const value = raw[field];
    const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : '';
    const key = DROPPED_KEYS[field];
    const target = FIELD_TARGET[field] ?? field;
    record.issues.push(
      key
        ? { level: 'warning', field: target, key, params: { value: text }, raw: text }
        : {
            level: 'warning',
            field: target,
            key: 'imports.issue.fieldDropped',
            params: { field: targetName(target), value: text, detail: { key: problem.key, params: problem.params } },
            raw: text,
          },
    );
    raw[field] = Array.isArray(value) ? [] : '';
  }
}
