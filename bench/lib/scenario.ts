import type { LoadSettings } from './load.js';

/** A table printed on the terminal once the scenario has run. */
export interface Table {
  title: string;
  columns: string[];
  rows: (string | number | null)[][];
}

export interface ScenarioContext {
  /** Load settings for this run (command-line flags override the defaults). */
  load: LoadSettings;
  /** Progress line on stderr (keeps stdout for the tables). */
  log(message: string): void;
}

export interface ScenarioResult {
  /** How much data the app held while measured (row counts, file sizes…). */
  dataSize: Record<string, unknown>;
  /** Scenario-specific settings, recorded beside the load settings. */
  settings?: Record<string, unknown>;
  /** Every figure measured, written as is to bench/results/<name>.json. */
  figures: Record<string, unknown>;
  tables: Table[];
}

/** One file in bench/scenarios/ default-exports one scenario; its name is the results file name. */
export interface Scenario {
  name: string;
  description: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
