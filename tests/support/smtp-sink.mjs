// A local SMTP server for tests: listens on 127.0.0.1 (port 0 unless --port), prints
// {"port":N} as its first line on stdout, then one JSON line per message it accepts:
// {"from","to":[...],"subject" (RFC 2047 words decoded),"body" (transfer encoding decoded),
//  "headers":{lower-case name: value},"raw"}.
// --reject-first N answers the first N messages' DATA with "451 4.3.0 try later".
// Never reaches beyond loopback. Uses smtp-server from web/node_modules (a dev dependency).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../web/package.json', import.meta.url)));
const { SMTPServer } = require('smtp-server');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
let rejectLeft = Number(option('--reject-first', '0'));
const port = Number(option('--port', '0'));

function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset).decode(bytes);
    });
}

function parse(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split + 4);
  if ((headers['content-transfer-encoding'] || '').toLowerCase() === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, subject: decodeWords(headers.subject || ''), body };
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      if (rejectLeft > 0) {
        rejectLeft -= 1;
        const err = new Error('4.3.0 try later');
        err.responseCode = 451;
        callback(err);
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      const { headers, subject, body } = parse(raw);
      process.stdout.write(
        JSON.stringify({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          body,
          headers,
          raw,
        }) + '\n',
      );
      callback();
    });
  },
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
