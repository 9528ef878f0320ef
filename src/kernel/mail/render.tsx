import type { PropsWithChildren } from '@kitajs/html';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/**
 * The frame of every email: table layout and inline styles, as mail clients need. `lang` is the
 * message's language (French unless said), for screen readers and translation tools.
 */
export function MailFrame({ networkName, lang = 'fr', children }: PropsWithChildren<{ networkName: string; lang?: string }>) {
  return (
    <>
      {'<!doctype html>'}
      <html lang={lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
        </head>
        <body style="margin:0;padding:0;background:#f4f1ea;font-family:Arial,Helvetica,sans-serif;color:#1d2330">
          <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f1ea">
            <tr>
              <td align="center" style="padding:24px 12px">
                <table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px">
                  <tr>
                    <td style="padding:20px 28px;background:#00585f;color:#ffffff;font-size:20px;font-weight:bold;border-radius:8px 8px 0 0" safe>
                      {networkName}
                    </td>
                  </tr>
                  <tr>
                    <td style="padding:28px;font-size:16px;line-height:1.5">{children}</td>
                  </tr>
                </table>
              </td>
            </tr>
          </table>
        </body>
      </html>
    </>
  );
}

export function MailButton({ href, label }: { href: string; label: string }) {
  return (
    <p style="margin:24px 0">
      <a href={href} style="display:inline-block;padding:12px 20px;background:#00585f;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold" safe>
        {label}
      </a>
    </p>
  );
}
