// The audit chain against someone who can write the database: the real binary, its key files and
// its signed checkpoints, then the database edited behind its back (sqlite3 or psql, as an attacker
// with the file or the owner's rights would) and `vikno audit verify` asked what it finds.
// On SQLite and on PostgreSQL.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, adminClient, databases } from './harness.mjs';

// Runs SQL as the attacker does: outside the server, straight on its database.
function sql(server, statements) {
  if (server.kind === 'sqlite') {
    execFileSync('sqlite3', [server.db.slice('sqlite:'.length), statements], { stdio: 'pipe' });
  } else {
    execFileSync('psql', [server.db, '-q', '-v', 'ON_ERROR_STOP=1', '-c', statements], { stdio: 'pipe' });
  }
}

function rows(server, query) {
  if (server.kind === 'sqlite') {
    const out = execFileSync('sqlite3', ['-json', server.db.slice('sqlite:'.length), query], { encoding: 'utf8' });
    return out.trim() ? JSON.parse(out) : [];
  }
  const out = execFileSync('psql', [server.db, '-At', '-c', `SELECT coalesce(json_agg(t), '[]') FROM (${query}) t`], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

function dropAppendOnlyGuard(server) {
  sql(server, server.kind === 'sqlite'
    ? 'DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;'
    : 'DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;');
}

// The unkeyed rule as earlier versions documented it (src/audit/README.md, version 1):
// BLAKE2b-256(prev_hash || canonical), canonical = each field as an 8-byte big-endian length and its bytes.
function field(value) {
  const bytes = Buffer.from(String(value), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64BE(BigInt(bytes.length));
  return Buffer.concat([length, bytes]);
}
function unkeyedHash(prevHex, r) {
  const canonical = Buffer.concat(['vikno.audit.v1', r.id, r.at_ms, r.actor, r.action, r.object_type, r.object_id,
    r.before_ref, r.after_ref, r.source, r.details].map(field));
  const b2 = spawnSync('b2sum', ['-l', '256'], { input: Buffer.concat([Buffer.from(prevHex, 'hex'), canonical]) });
  assert.equal(b2.status, 0, String(b2.stderr));
  return b2.stdout.toString().split(' ')[0];
}

const headId = (server) => Number(rows(server, 'SELECT last_id FROM audit_head')[0].last_id);
const checkpointFiles = (server) => readdirSync(join(server.dir, 'var', 'audit-checkpoints'))
  .filter((f) => f.endsWith('.checkpoint')).sort();

// A server with a few changes in its log; stopped (cleanly: its last checkpoint is written).
async function loggedServer(kind, env = {}) {
  const server = await new Server({
    kind,
    env: {
      VIKNO_AUDIT_KEY_FILE: 'var/audit.key',
      VIKNO_AUDIT_SIGNING_KEY_FILE: 'var/audit-signing.key',
      VIKNO_AUDIT_CHECKPOINT_DIR: 'var/audit-checkpoints',
      ...env,
    },
  }).start();
  const admin = await adminClient(server);
  for (let i = 0; i < 5; i++) {
    const res = await admin.post('/api/v1/users', { login: `staff-${i}`, name: `Працівник ${i}`, role: 'system_admin', password: 'long-enough-password-1' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  return { server, admin };
}

// `vikno audit <command>` with the server's audit files.
function auditCli(server, command, env = {}) {
  return server.cli(['audit', command], {
    VIKNO_AUDIT_KEY_FILE: 'var/audit.key',
    VIKNO_AUDIT_SIGNING_KEY_FILE: 'var/audit-signing.key',
    VIKNO_AUDIT_CHECKPOINT_DIR: 'var/audit-checkpoints',
    ...env,
  });
}
const verifyCli = (server, env) => auditCli(server, 'verify', env);

for (const kind of databases()) {
  describe(`audit chain on ${kind}`, () => {
    test('a clean log verifies intact with its checkpoints: at start, every few seconds, on demand and at shutdown', async () => {
      const { server, admin } = await loggedServer(kind, { VIKNO_AUDIT_CHECKPOINT_SECONDS: '1' });
      try {
        // The periodic writer catches up with the head (the line is the event; no sleeping).
        const head = headId(server);
        await server.waitForOutput(new RegExp(`"msg":"audit checkpoint written","head_id":${head},`), 15000);
        // Both secrets are files of their own, readable by the server's user only, and never in the log.
        for (const f of ['audit.key', 'audit-signing.key']) {
          const path = join(server.dir, 'var', f);
          assert.equal(statSync(path).mode & 0o777, 0o600, f);
          assert.ok(!server.output.includes(readFileSync(path, 'utf8').trim()), `${f} is never logged`);
        }
        const api = await admin.get('/api/v1/audit/verify');
        assert.equal(api.status, 200);
        assert.equal(api.body.ok, true, JSON.stringify(api.body));
        assert.equal(api.body.complete, true, JSON.stringify(api.body));
        assert.equal(api.body.keyed_from, 1);
        assert.ok(api.body.checkpoints >= 2, JSON.stringify(api.body));
        assert.deepEqual(api.body.problems, []);

        // On demand; a second one of the same head is not written.
        await admin.post('/api/v1/users', { login: 'one-more', name: 'Ще одна', role: 'system_admin', password: 'long-enough-password-1' });
        const now = headId(server);
        const cp = auditCli(server, 'checkpoint');
        assert.equal(cp.status, 0, cp.stderr);
        assert.match(cp.stdout, new RegExp(`checkpoint of head ${now} written: .*head-0*${now}\\.checkpoint`));
        assert.match(auditCli(server, 'checkpoint').stdout, /no checkpoint written/);
      } finally {
        await server.stop();
      }
      // At shutdown, when the head moved since: the newest checkpoint is the head.
      const files = checkpointFiles(server);
      assert.equal(files.at(-1), `head-${String(headId(server)).padStart(12, '0')}.checkpoint`);
      assert.match(readFileSync(join(server.dir, 'var', 'audit-checkpoints', files.at(-1)), 'utf8'),
        /^vikno audit checkpoint v1\nhead_id: \d+\nhead_hash: [0-9a-f]{64}\nkeyed_from: 1\nat: \S+Z\npublic_key: [0-9a-f]{64}\nsignature: [0-9a-f]{128}\n$/);
      const cli = verifyCli(server);
      assert.equal(cli.status, 0, cli.stdout + cli.stderr);
      assert.match(cli.stdout, /audit log intact: \d+ entries, \d+ checkpoints/);

      // Without the chain key the contents of keyed entries cannot be checked: not "intact".
      const keyless = verifyCli(server, { VIKNO_AUDIT_KEY_FILE: 'var/no-such.key' });
      assert.equal(keyless.status, 3, keyless.stdout + keyless.stderr);
      assert.match(keyless.stdout, /NOT FULLY CHECKED/);
      // Nor does a server start on a keyed chain with a key file that is missing (a new key would
      // make every later entry unverifiable).
      const restart = new Server({ kind, db: server.db, dir: server.dir, env: { VIKNO_AUDIT_KEY_FILE: 'var/no-such.key' } });
      await assert.rejects(restart.start(), /keyed from entry 1, but its key file var\/no-such\.key is missing/);
      assert.ok(!existsSync(join(server.dir, 'var', 'no-such.key')));
      server.cleanup();
    });

    test('entries removed from the end with the head moved back are caught by the checkpoint', async () => {
      const { server } = await loggedServer(kind);
      await server.stop();
      const head = headId(server);
      const keep = head - 3;
      const kept = rows(server, `SELECT hash FROM audit_log WHERE id = ${keep}`)[0].hash;
      dropAppendOnlyGuard(server);
      sql(server, `DELETE FROM audit_log WHERE id > ${keep}; UPDATE audit_head SET last_id = ${keep}, last_hash = '${kept}';`);
      const cli = verifyCli(server);
      assert.equal(cli.status, 1, cli.stdout + cli.stderr);
      const file = `head-${String(head).padStart(12, '0')}.checkpoint`;
      assert.ok(cli.stdout.includes(`entries after ${keep} removed (checkpoint ${file} at head ${head}, database head ${keep})`),
        cli.stdout);

      // The server says the same (its sign-in adds an entry, still short of the checkpoint).
      await server.start();
      await server.waitForOutput(/"level":"warn","msg":"audit checkpoints are ahead of the database"/);
      const admin = await adminClient(server);
      const api = await admin.get('/api/v1/audit/verify');
      assert.equal(api.body.ok, false);
      assert.ok(api.body.problems.some((p) => p.code === 'truncated'), JSON.stringify(api.body));
      await server.stop();
      server.cleanup();
    });

    test('an entry edited and the chain recomputed without the key is named', async () => {
      const { server } = await loggedServer(kind);
      await server.stop();
      const k = 3;
      dropAppendOnlyGuard(server);
      sql(server, `UPDATE audit_log SET after_ref = 'role=system_admin' WHERE id = ${k}`);
      // Recompute entry k and every later one, and the head, as the published unkeyed rule says.
      const later = rows(server, `SELECT id, at_ms, actor, action, object_type, object_id, before_ref, after_ref, source, details, prev_hash FROM audit_log WHERE id >= ${k} ORDER BY id`);
      let prev = later[0].prev_hash;
      const updates = [];
      for (const r of later) {
        const h = unkeyedHash(prev, r);
        updates.push(`UPDATE audit_log SET prev_hash = '${prev}', hash = '${h}' WHERE id = ${r.id};`);
        prev = h;
      }
      updates.push(`UPDATE audit_head SET last_hash = '${prev}';`);
      sql(server, updates.join(' '));
      const cli = verifyCli(server);
      assert.equal(cli.status, 1, cli.stdout + cli.stderr);
      assert.match(cli.stdout, new RegExp(`entry ${k} edited`));
      server.cleanup();
    });

    test('a tampered checkpoint file is named by its bad signature', async () => {
      const { server } = await loggedServer(kind);
      await server.stop();
      const file = checkpointFiles(server).at(-1);
      const path = join(server.dir, 'var', 'audit-checkpoints', file);
      // Someone makes the checkpoint agree with a shorter log.
      writeFileSync(path, readFileSync(path, 'utf8').replace(/head_hash: ([0-9a-f])/, (m, c) => `head_hash: ${c === '0' ? '1' : '0'}`));
      const cli = verifyCli(server);
      assert.equal(cli.status, 1, cli.stdout + cli.stderr);
      assert.ok(cli.stdout.includes(`checkpoint file ${file} has a bad signature`), cli.stdout);
      server.cleanup();
    });
  });
}
