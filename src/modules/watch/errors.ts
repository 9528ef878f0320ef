import type { SafeFetchErrorCode } from '../../kernel/http/safe-fetch.js';
import type { MessageKey, Params } from '../../kernel/i18n/index.js';

/** Why a source could not be read. `code` names a catalogue message `watch.error.<code>`. */
export type WatchErrorCode =
  | SafeFetchErrorCode
  | 'charset'
  | 'dtd'
  | 'not_feed'
  | 'malformed'
  | 'duplicate'
  | 'internal';

export class WatchFeedError extends Error {
  constructor(
    readonly code: WatchErrorCode,
    readonly params: Params,
    detail: string,
  ) {
    super(detail);
    this.name = 'WatchFeedError';
  }

  get messageKey(): MessageKey {
    return `watch.error.${this.code}`;
  }

  /** Stored as the source's last error: translated when shown. */
  stored(): string {
    return JSON.stringify({ code: this.code, params: this.params, detail: this.message.slice(0, 300) });
  }
}

/** A stored error, translated; an unknown form is shown as is. */
export function storedErrorText(stored: string | null, t: (key: MessageKey, params?: Params) => string): string | null {
  if (!stored) return null;
  try {
    const parsed = JSON.parse(stored) as { code?: string; params?: Params };
    if (typeof parsed.code === 'string') return t(`watch.error.${parsed.code}` as MessageKey, parsed.params ?? {});
  } catch {
    /* free text */
  }
  return stored;
}
