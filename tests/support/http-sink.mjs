// A local HTTP server for tests of the SMS/Viber gateway channel: listens on 127.0.0.1 (port 0
// unless --port), prints {"port":N} as its first line on stdout, then one JSON line per request:
// {"method","url","headers":{...},"body"}. --fail-first N answers the first N requests
// 503 "busy"; --hang-first N never answers them (a timeout). Otherwise 200 {"ok":true}.
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
let failLeft = Number(option('--fail-first', '0'));
let hangLeft = Number(option('--hang-first', '0'));
const port = Number(option('--port', '0'));

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (hangLeft > 0) {
      hangLeft -= 1;
      return;
    }
    if (failLeft > 0) {
      failLeft -= 1;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      return;
    }
    process.stdout.write(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }) + '\n');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
