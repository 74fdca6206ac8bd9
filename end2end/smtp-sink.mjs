// A minimal SMTP server for the browser tests, on loopback, with Node's own modules
// only. It accepts every message (no TLS, no AUTH), keeps it in memory and as an
// .eml file under ../target/e2e-mail/, and lets the tests read what arrived over a
// tiny HTTP endpoint:
//
//   GET    /healthz                 → 200 "ok" (Playwright waits for it)
//   GET    /messages[?to=ADDRESS]   → JSON [{ id, from, to: [...], data, receivedAt }]
//   DELETE /messages                → forgets every message
//
// Ports: SMTP_SINK_PORT (default 3125) and SMTP_SINK_HTTP_PORT (default 3126).
import { createServer as createTcpServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 3125);
const httpPort = Number(process.env.SMTP_SINK_HTTP_PORT ?? 3126);
const host = '127.0.0.1';
const mailDir =
  process.env.SMTP_SINK_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'e2e-mail');

rmSync(mailDir, { recursive: true, force: true });
mkdirSync(mailDir, { recursive: true });

/** @type {{ id: number, from: string, to: string[], data: string, receivedAt: string }[]} */
let messages = [];
let nextId = 1;

/** The address inside `MAIL FROM:<a@b>` or `RCPT TO:<a@b> SIZE=…`. */
function addressOf(arg) {
  const m = /<([^>]*)>/.exec(arg);
  return (m ? m[1] : arg.split(/\s+/)[0] ?? '').trim();
}

const smtp = createTcpServer((socket) => {
  socket.setEncoding('latin1'); // byte-exact: 8bit bodies are decoded by the reader
  let buffer = '';
  let inData = false;
  let from = '';
  /** @type {string[]} */
  let to = [];
  const reply = (line) => socket.write(`${line}\r\n`);
  const reset = () => {
    from = '';
    to = [];
  };

  reply(`220 ${host} convene-e2e-smtp-sink ready`);

  socket.on('data', (chunk) => {
    buffer += chunk;
    for (;;) {
      if (inData) {
        // The message ends with a line holding a single dot.
        const end = buffer.startsWith('.\r\n') ? 0 : buffer.indexOf('\r\n.\r\n');
        if (end < 0) return;
        const raw = end === 0 ? '' : buffer.slice(0, end + 2);
        buffer = buffer.slice(end === 0 ? 3 : end + 5);
        inData = false;
        // Undo dot-stuffing: a line starting with ".." started with ".".
        const data = raw.replace(/(^|\r\n)\.\./g, '$1.');
        const message = { id: nextId++, from, to, data, receivedAt: new Date().toISOString() };
        messages.push(message);
        try {
          writeFileSync(join(mailDir, `${String(message.id).padStart(4, '0')}.eml`), data, 'latin1');
        } catch {
          // The file is a convenience for people; the HTTP endpoint is what tests read.
        }
        reset();
        reply(`250 2.0.0 Ok: queued as ${message.id}`);
        continue;
      }
      const eol = buffer.indexOf('\r\n');
      if (eol < 0) return;
      const line = buffer.slice(0, eol);
      buffer = buffer.slice(eol + 2);
      const verb = line.slice(0, 4).toUpperCase();
      const arg = line.slice(4).replace(/^[ :]+/, '');
      switch (verb) {
        case 'EHLO':
          socket.write(`250-${host} greets ${arg || 'you'}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 52428800\r\n`);
          break;
        case 'HELO':
          reply(`250 ${host}`);
          break;
        case 'MAIL':
          reset();
          from = addressOf(line.replace(/^MAIL\s+FROM:/i, ''));
          reply('250 2.1.0 Ok');
          break;
        case 'RCPT':
          to.push(addressOf(line.replace(/^RCPT\s+TO:/i, '')));
          reply('250 2.1.5 Ok');
          break;
        case 'DATA':
          if (to.length === 0) {
            reply('503 5.5.1 Error: need RCPT command');
          } else {
            inData = true;
            reply('354 End data with <CR><LF>.<CR><LF>');
          }
          break;
        case 'RSET':
          reset();
          reply('250 2.0.0 Ok');
          break;
        case 'NOOP':
          reply('250 2.0.0 Ok');
          break;
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          reply('502 5.5.2 Error: command not recognized');
      }
    }
  });
  socket.on('error', () => {});
});

const http = createHttpServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://${host}:${httpPort}`);
  if (url.pathname === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  } else if (url.pathname === '/messages' && req.method === 'DELETE') {
    messages = [];
    res.writeHead(204).end();
  } else if (url.pathname === '/messages') {
    const wanted = url.searchParams.get('to')?.toLowerCase();
    const list = wanted ? messages.filter((m) => m.to.some((t) => t.toLowerCase() === wanted)) : messages;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});

smtp.listen(smtpPort, host, () => {
  http.listen(httpPort, host, () => {
    console.log(`SMTP sink on smtp://${host}:${smtpPort}, messages at http://${host}:${httpPort}/messages`);
  });
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    smtp.close();
    http.close();
    process.exit(0);
  });
}
