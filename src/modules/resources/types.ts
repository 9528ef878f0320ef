import type { Selectable } from 'kysely';
import type { ResourcesTable } from '../../db/schema.js';

export type ResourceRow = Selectable<ResourcesTable>;

/** A resource with its tags. */
export interface Resource extends ResourceRow {
  themes: string[];
  countries: string[];
}

/** The file of a resource as pages show it. */
export interface ResourceFile {
  id: string;
  original_name: string;
  mime: string;
  size: number;
  storage_path: string;
}

/** What a valid resource form describes (the status and counters are not the form's). */
export interface ResourceDraft {
  title: string;
  kind: string;
  summary: string;
  authors: string | null;
  organisation_id: string | null;
  year: number | null;
  language: string | null;
  /** undefined: the form said nothing of the file (the resource keeps its own). */
  file_id: string | null | undefined;
  external_url: string | null;
  themes: string[];
  countries: string[];
}

/** `files.purpose` of resources' files (live, or waiting in a member's proposal). */
export const RESOURCE_FILE_PURPOSE = 'resource-file';
