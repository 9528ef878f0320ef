/** How a failed SMTP send is handled. */
export interface SendFailure {
  /** 5xx: the server refused for good. Otherwise (4xx, connection): tried again later. */
  permanent: boolean;
  /** No server answer at all (refused, timeout, DNS): the server may be down. */
  connection: boolean;
  /** One line for staff: the server's reply, or what went wrong. */
  reason: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'ETLS', 'EAUTH', 'ECLOSE']);

/** Reads a nodemailer error: its SMTP reply code when there is one, its error code otherwise. */
export function classifySendError(error: unknown): SendFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { responseCode?: unknown; code?: unknown; response?: unknown; message?: unknown };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reply = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const reason = reply.replace(/\s+/g, ' ').trim().slice(0, 300);
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600) return { permanent: true, connection: false, reason };
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) return { permanent: false, connection: false, reason };
  const code = typeof e.code === 'string' ? e.code : '';
  return { permanent: false, connection: CONNECTION_CODES.has(code) || responseCode === undefined, reason: code ? `${code}: ${reason}` : reason };
}
