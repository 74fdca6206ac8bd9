// Reading the messages that the SMTP sink (../../smtp-sink.mjs) received.
import { expect } from '@playwright/test';

export const sinkUrl = `http://127.0.0.1:${process.env.SMTP_SINK_HTTP_PORT ?? 3126}`;

export interface SunkMessage {
  id: number;
  from: string;
  to: string[];
  /** The message as it came over SMTP: headers, blank line, body. */
  data: string;
  receivedAt: string;
}

export async function messagesTo(address: string): Promise<SunkMessage[]> {
  const res = await fetch(`${sinkUrl}/messages?to=${encodeURIComponent(address)}`);
  if (!res.ok) throw new Error(`SMTP sink answered ${res.status}`);
  return (await res.json()) as SunkMessage[];
}

/** Message ids already received for `address`: take this before asking for a new message. */
export async function seenIds(address: string): Promise<Set<number>> {
  return new Set((await messagesTo(address)).map((m) => m.id));
}

/** Waits (up to `timeout` ms) for a message to `address` that is not in `seen`. */
export async function nextMessage(address: string, seen: Set<number>, timeout = 15_000): Promise<SunkMessage> {
  let found: SunkMessage | undefined;
  await expect
    .poll(
      async () => {
        found = (await messagesTo(address)).find((m) => !seen.has(m.id));
        return found !== undefined;
      },
      { message: `a new message to ${address} reaches the SMTP sink`, timeout, intervals: [100, 250, 500] },
    )
    .toBe(true);
  return found!;
}

// ---- MIME, as far as the tests need it ----

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Splits headers (unfolded, names lower-cased) from the body. */
function parsePart(raw: string): Part {
  const normal = raw.replace(/\r?\n/g, '\r\n');
  const split = normal.indexOf('\r\n\r\n');
  const head = split < 0 ? normal : normal.slice(0, split);
  const body = split < 0 ? '' : normal.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function parameter(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Quoted-printable: soft line breaks (`=` at a line's end) vanish, `=XX` is a byte. */
export function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  // The sink keeps bytes as latin1 characters; this turns them back into bytes.
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(part.body)
        : Buffer.from(part.body, 'latin1');
  return bytes.toString('utf8');
}

/** Every leaf part of the message, decoded, with its content type. */
export function leafParts(raw: string): { type: string; text: string }[] {
  const walk = (part: Part): { type: string; text: string }[] => {
    const type = part.headers.get('content-type') ?? 'text/plain';
    if (/^multipart\//i.test(type)) {
      const boundary = parameter(type, 'boundary');
      if (!boundary) return [];
      const pieces = part.body.split(`--${boundary}`);
      // pieces[0] is the preamble; the piece after the closing boundary starts with "--".
      return pieces
        .slice(1)
        .filter((p) => !p.startsWith('--'))
        .flatMap((p) => walk(parsePart(p.replace(/^\r\n/, ''))));
    }
    return [{ type: type.split(';')[0].trim().toLowerCase(), text: decodeBody(part) }];
  };
  return walk(parsePart(raw));
}

export function textPart(message: SunkMessage): string {
  const part = leafParts(message.data).find((p) => p.type === 'text/plain');
  if (!part) throw new Error(`message ${message.id} has no text/plain part`);
  return part.text;
}

export function subjectOf(message: SunkMessage): string | undefined {
  return parsePart(message.data).headers.get('subject');
}

/** The URL after `label: ` in the text part, e.g. `Sign in to Convene: http://…`. */
export function linkAfter(message: SunkMessage, label: string): string {
  const text = textPart(message);
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}:\\s*(https?://\\S+)`).exec(text);
  if (!m) throw new Error(`no "${label}:" link in message ${message.id}:\n${text}`);
  return m[1];
}
