// Reading bounce messages (delivery status notifications, RFC 3464) without a mailbox: a small MIME
// reader (headers, multipart, base64 and quoted-printable) that finds the message/delivery-status
// part and its per-recipient fields. Auto-replies (out of office…) are recognised and are not bounces.

export interface DsnRecipient {
  email: string;
  /** failed | delayed | delivered | relayed | expanded */
  action: string;
  /** The enhanced status code (RFC 3463), e.g. 5.1.1. */
  status: string | null;
  diagnostic: string | null;
  /** 5.x.x failures are hard; 4.x.x failures and delays are soft; the rest is not a failure. */
  classification: 'hard' | 'soft' | 'none';
}

export type DsnResult =
  | { kind: 'bounce'; recipients: DsnRecipient[]; mailingId: string | null }
  | { kind: 'auto_reply'; recipients: []; mailingId: null }
  | { kind: 'unrecognised'; recipients: []; mailingId: null };

interface Part {
  headers: Map<string, string>;
  body: string;
}

const MAX_DEPTH = 5;
const MAX_PARTS = 50;

/** Headers (names lower-cased, folded lines unfolded, first occurrence kept) and the body. */
function splitMessage(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const end = text.search(/\n\n/);
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? '' : text.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** `type/subtype; name=value; name="value"` → the type and its parameters. */
function contentType(part: Part): { type: string; params: Map<string, string> } {
  const value = part.headers.get('content-type') ?? 'text/plain';
  const [type = 'text/plain', ...rest] = value.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: type.trim().toLowerCase(), params };
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = part.body.replace(/=\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return part.body;
}

/** Every leaf part of the message (multipart bodies split on their boundary), depth first. */
function leaves(part: Part, depth = 0, out: Part[] = []): Part[] {
  if (out.length >= MAX_PARTS) return out;
  const { type, params } = contentType(part);
  const boundary = params.get('boundary');
  if (type.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    const delimiter = `--${boundary}`;
    const sections = part.body.split('\n').reduce<string[][]>(
      (acc, line) => {
        const trimmed = line.trimEnd();
        if (trimmed === delimiter || trimmed === `${delimiter}--`) acc.push([]);
        else acc[acc.length - 1]!.push(line);
        return acc;
      },
      [[]],
    );
    // The preamble comes before the first delimiter, the epilogue after the last.
    for (const section of sections.slice(1, -1)) leaves(splitMessage(section.join('\n')), depth + 1, out);
    return out;
  }
  out.push(part);
  return out;
}

/** Field groups of a delivery-status body: per-message fields, then one group per recipient. */
function fieldGroups(text: string): Map<string, string>[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      return fields;
    })
    .filter((g) => g.size > 0);
}

/** `rfc822; someone@example.org` → the address. */
function addressOf(value: string | undefined): string | null {
  if (!value) return null;
  const address = (value.includes(';') ? value.slice(value.indexOf(';') + 1) : value).trim().replace(/^<|>$/g, '');
  return /^[^\s@<>]+@[^\s@<>]+$/.test(address) ? address.toLowerCase() : null;
}

export function classify(action: string, status: string | null): DsnRecipient['classification'] {
  const a = action.toLowerCase();
  if (a === 'failed') return status?.startsWith('4.') ? 'soft' : 'hard';
  if (a === 'delayed') return 'soft';
  return 'none';
}

const AUTO_SUBJECT = /^(?:(?:r[ée]ponse|message) automatique|automatic reply|auto(?:-|matic )?reply|out of (?:the )?office|absence|abwesenheit|respuesta autom[áa]tica|risposta automatica)\b|\b(?:out of office|absent du bureau|en cong[ée]s?)\b/i;

/** Headers that mark a message sent by a program in answer to another (RFC 3834 and common ones). */
function isAutoReply(message: Part): boolean {
  const auto = (message.headers.get('auto-submitted') ?? '').toLowerCase();
  if (auto && auto !== 'no') return true;
  if (message.headers.has('x-autoreply') || message.headers.has('x-autorespond') || message.headers.has('x-autoresponse')) return true;
  if (/auto_reply|auto-reply/i.test(message.headers.get('precedence') ?? '')) return true;
  if ((message.headers.get('x-ms-exchange-inbox-rules-loop') ?? '') !== '') return true;
  return AUTO_SUBJECT.test(decodeWords(message.headers.get('subject') ?? ''));
}

/** RFC 2047 encoded words of a header (=?utf-8?B?…?= / =?utf-8?Q?…?=). */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, charset: string, enc: string, data: string) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))), 'latin1');
    return /utf-?8/i.test(charset) ? bytes.toString('utf8') : bytes.toString('latin1');
  });
}

/**
 * Classifies a raw message: a delivery status notification (with each recipient's action and
 * status, and the mailing it answers when the returned headers carry it), an auto-reply, or
 * something else. A DSN is recognised by its message/delivery-status part only (RFC 3464), even
 * when the bounce also says Auto-Submitted, as Postfix's do.
 */
export function parseDsn(raw: string | Buffer): DsnResult {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const message = splitMessage(text);
  const parts = leaves(message);
  const status = parts.find((p) => /^message\/(global-)?delivery-status$/.test(contentType(p).type));
  if (!status) return isAutoReply(message) ? { kind: 'auto_reply', recipients: [], mailingId: null } : { kind: 'unrecognised', recipients: [], mailingId: null };
  const groups = fieldGroups(decodeBody(status));
  const recipients: DsnRecipient[] = [];
  for (const group of groups) {
    const email = addressOf(group.get('final-recipient')) ?? addressOf(group.get('original-recipient'));
    const action = group.get('action');
    if (!email || !action) continue;
    const code = /([245]\.\d{1,3}\.\d{1,3})/.exec(group.get('status') ?? '')?.[1] ?? null;
    recipients.push({ email, action: action.toLowerCase(), status: code, diagnostic: group.get('diagnostic-code')?.slice(0, 300) ?? null, classification: classify(action, code) });
  }
  // The returned message (or its headers) says which mailing bounced.
  const returned = parts.find((p) => /^(text\/rfc822-headers|message\/rfc822|message\/global)$/.test(contentType(p).type));
  const mailingId = returned ? /^X-Maillage-Mailing:\s*([0-9a-f-]{36})\s*$/im.exec(decodeBody(returned))?.[1] ?? null : null;
  return { kind: 'bounce', recipients, mailingId };
}
