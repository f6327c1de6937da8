// The benchmark's Node.js reference: Express and pg (a pool) doing the same
// SQL as Taskspin's components for the endpoints `make bench` measures
// (see ../sql.md). Settings: PORT, and the database through libpq's
// PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD; PEER_POOL (default 64,
// the pool size Spin's host uses).
'use strict';

const crypto = require('node:crypto');
const express = require('express');
const { Pool, types } = require('pg');

// Instants come as UTC `timestamp`s and dates as text, as in Taskspin's
// statements; keep pg from turning them into local-time Dates.
types.setTypeParser(types.builtins.TIMESTAMP, (text) => text);
types.setTypeParser(types.builtins.DATE, (text) => text);

const pool = new Pool({ max: Number(process.env.PEER_POOL || 64) });
const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(express.json({ limit: '1mb' }));

const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'];
const TASK_COLUMNS = `t.id, t.title, t.description, t.priority, t.tags,
  t.due_at AT TIME ZONE 'UTC' AS due_at, t.due_date, t.recurrence,
  t.completed_at AT TIME ZONE 'UTC' AS completed_at, t.created_at AT TIME ZONE 'UTC' AS created_at,
  t.updated_at AT TIME ZONE 'UTC' AS updated_at, t.version,
  t.project_id, t.section_id, t.parent_id, t.position,
  (SELECT ARRAY[count(*), count(c.completed_at)] FROM tasks c WHERE c.parent_id = t.id) AS subtasks`;
const PROJECT_COLUMNS = `p.id, p.name, p.color, p.inbox, p.position,
  p.archived_at AT TIME ZONE 'UTC' AS archived_at, p.created_at AT TIME ZONE 'UTC' AS created_at,
  p.updated_at AT TIME ZONE 'UTC' AS updated_at, p.version,
  (SELECT count(*) FROM tasks c WHERE c.project_id = p.id AND c.completed_at IS NULL) AS open_tasks,
  (SELECT count(*) FROM tasks c WHERE c.project_id = p.id) AS tasks`;
const SECTION_COLUMNS = `s.id, s.project_id, s.name, s.position,
  s.created_at AT TIME ZONE 'UTC' AS created_at, s.updated_at AT TIME ZONE 'UTC' AS updated_at, s.version`;
// The siblings of a top-level task: its project's, in its section.
const SIBLINGS = 'project_id = $1 AND section_id IS NOT DISTINCT FROM $2 AND parent_id IS NULL';
const GAP = 65536n;
// A move within its own list in one statement (crates/tasks/src/tree.rs
// `reorder`); no row: the transaction below decides.
const REORDER = `WITH me AS (SELECT id, project_id, section_id, parent_id FROM tasks WHERE id = $1 AND user_id = $2),
place AS (
  SELECT CASE WHEN next.position IS NULL THEN nextval('positions') * 65536
              WHEN next.position - after.position >= 2 THEN after.position + (next.position - after.position) / 2 END AS position
  FROM me,
       LATERAL (SELECT s.id, s.position FROM tasks s
                WHERE s.id = $3 AND s.id <> me.id AND s.user_id = $2 AND s.parent_id IS NOT DISTINCT FROM me.parent_id
                  AND (me.parent_id IS NOT NULL OR (s.project_id = me.project_id AND s.section_id IS NOT DISTINCT FROM me.section_id))) after,
       LATERAL (SELECT min(x.position) AS position FROM (
         (SELECT s.position FROM tasks s
          WHERE s.parent_id = me.parent_id AND s.id <> me.id AND (s.position, s.id) > (after.position, after.id)
          ORDER BY s.position, s.id LIMIT 1)
         UNION ALL
         (SELECT s.position FROM tasks s
          WHERE me.parent_id IS NULL AND s.project_id = me.project_id AND s.parent_id IS NULL
            AND s.section_id IS NOT DISTINCT FROM me.section_id AND s.id <> me.id AND (s.position, s.id) > (after.position, after.id)
          ORDER BY s.position, s.id LIMIT 1)) x) next
)
UPDATE tasks AS t SET position = place.position, updated_at = now(), version = t.version + 1
FROM me, place WHERE t.id = me.id AND place.position IS NOT NULL
RETURNING ${TASK_COLUMNS}`;
const USER_COLUMNS = `u.id::text AS id, u.email, u.display_name, u.time_zone, u.week_start,
  rfc3339(u.created_at) AS created_at`;
const BY_TOKEN = `SELECT t.id AS token_id,
    (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 hour') AS stale, ${USER_COLUMNS}
  FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`;
const INSERT = `INSERT INTO tasks AS t (user_id, title, description, priority, tags, due_at, due_date, recurrence)
  VALUES ($1, $2, $3, $4, $5, $6::text::timestamptz, $7, $8) RETURNING ${TASK_COLUMNS}`;

class HttpError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

// A UTC `timestamp` ("2026-11-24 15:39:14.123456") as RFC 3339 to the millisecond.
function rfc3339(text) {
  return text === null ? null : new Date(`${text.replace(' ', 'T')}Z`).toISOString();
}

// The same instant in microseconds since the epoch, as the cursor stores it.
function micros(text) {
  if (text === null) return null;
  const [seconds, fraction = ''] = text.split('.');
  const whole = BigInt(Date.parse(`${seconds.replace(' ', 'T')}Z`)) * 1000n;
  return (whole + BigInt(fraction.padEnd(6, '0'))).toString();
}

function task(row) {
  return {
    id: Number(row.id),
    title: row.title,
    description: row.description,
    priority: PRIORITIES[row.priority],
    tags: row.tags,
    due_at: rfc3339(row.due_at),
    due_date: row.due_date,
    recurrence: row.recurrence,
    completed: row.completed_at !== null,
    completed_at: rfc3339(row.completed_at),
    created_at: rfc3339(row.created_at),
    updated_at: rfc3339(row.updated_at),
    version: row.version,
    project_id: Number(row.project_id),
    section_id: row.section_id === null ? null : Number(row.section_id),
    parent_id: row.parent_id === null ? null : Number(row.parent_id),
    position: Number(row.position),
    subtask_counts: { total: Number(row.subtasks[0]), completed: Number(row.subtasks[1]) },
  };
}

function project(row) {
  return {
    id: Number(row.id),
    name: row.name,
    color: row.color,
    inbox: row.inbox,
    position: Number(row.position),
    archived: row.archived_at !== null,
    archived_at: rfc3339(row.archived_at),
    open_tasks: Number(row.open_tasks),
    tasks: Number(row.tasks),
    created_at: rfc3339(row.created_at),
    updated_at: rfc3339(row.updated_at),
    version: row.version,
  };
}

function section(row) {
  return {
    id: Number(row.id),
    project_id: Number(row.project_id),
    name: row.name,
    position: Number(row.position),
    created_at: rfc3339(row.created_at),
    updated_at: rfc3339(row.updated_at),
    version: row.version,
  };
}

async function authenticate(req) {
  const header = req.get('authorization') || '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!token.startsWith('tsp_')) throw new HttpError(401, 'Sign in, or send a personal access token.');
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  const { rows } = await pool.query(BY_TOKEN, [hash]);
  if (rows.length === 0) throw new HttpError(401, 'Sign in, or send a personal access token.');
  if (rows[0].stale) {
    await pool.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [rows[0].token_id]);
  }
  return rows[0];
}

function route(handler) {
  return (req, res) => {
    handler(req, res).catch((error) => {
      const status = error instanceof HttpError ? error.status : 500;
      res.status(status).type('application/problem+json').send(JSON.stringify({ status, detail: error.message }));
    });
  };
}

app.get('/health', (req, res) => {
  res.json({ status: 'healthy', timestamp: new Date().toISOString() });
});

app.get('/floor', route(async (req, res) => {
  const { rows } = await pool.query('SELECT 1 AS one');
  res.json({ one: rows[0].one });
}));

app.get('/api/tasks', route(async (req, res) => {
  const user = await authenticate(req);
  const params = [user.id];
  const conditions = ['t.user_id = $1'];
  const status = req.query.status || 'pending';
  if (status === 'pending') conditions.push('t.completed_at IS NULL');
  else if (status === 'completed') conditions.push('t.completed_at IS NOT NULL');
  else if (status !== 'all') throw new HttpError(422, 'status must be pending, completed or all');
  const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
  if (q.length > 200) throw new HttpError(422, 'q must be at most 200 characters');
  if (q) {
    params.push(q);
    conditions.push(`t.search @@ websearch_to_tsquery('simple', $${params.length})`);
  }
  if (req.query.project !== undefined) {
    const id = Number(req.query.project);
    if (!Number.isInteger(id) || id < 1) throw new HttpError(422, 'project must be a project id');
    params.push(id);
    conditions.push(`t.project_id = $${params.length}`);
  } else {
    conditions.push('t.project_id NOT IN (SELECT p.id FROM projects p WHERE p.user_id = $1 AND p.archived_at IS NOT NULL)');
  }
  const manual = req.query.sort === 'manual';
  if (req.query.sort !== undefined && !manual) throw new HttpError(422, 'sort must be manual');
  const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new HttpError(422, 'limit must be 1 to 200');
  params.push(limit + 1);
  const sql = manual
    ? `SELECT ${TASK_COLUMNS}, t.position::text AS sort_key
    FROM tasks t WHERE ${conditions.join(' AND ')}
    ORDER BY t.position ASC, t.id ASC LIMIT $${params.length}`
    : `SELECT ${TASK_COLUMNS},
      CASE WHEN isfinite(t.due_key) THEN t.due_key AT TIME ZONE 'UTC' END AS sort_key
    FROM tasks t WHERE ${conditions.join(' AND ')}
    ORDER BY t.due_key ASC, t.id ASC LIMIT $${params.length}`;
  const { rows } = await pool.query(sql, params);
  const page = rows.slice(0, limit);
  let nextCursor = null;
  if (rows.length > limit) {
    const last = page[page.length - 1];
    const cursor = manual
      ? { sort: 'manual', descending: false, key: last.sort_key, id: Number(last.id) }
      : { sort: 'due', descending: false, key: micros(last.sort_key), id: Number(last.id) };
    nextCursor = Buffer.from(JSON.stringify(cursor)).toString('base64url');
  }
  res.json({ tasks: page.map(task), next_cursor: nextCursor });
}));

function validTitle(title) {
  if (typeof title !== 'string' || title.trim() === '' || title.length > 500) {
    throw new HttpError(422, 'title must be 1 to 500 characters');
  }
  return title.trim();
}

async function insert(res, user, values) {
  const { rows } = await pool.query(INSERT, [
    user.id, values.title, values.description || '', values.priority, values.tags,
    values.due_at || null, values.due_date || null, null,
  ]);
  const created = task(rows[0]);
  res.status(201).set('etag', `"${created.version}"`).set('location', `/api/tasks/${created.id}`).json(created);
}

app.post('/api/tasks', route(async (req, res) => {
  const user = await authenticate(req);
  const body = req.body || {};
  const priority = PRIORITIES.indexOf(body.priority || 'none');
  if (priority < 0) throw new HttpError(422, 'priority must be none, low, medium, high or urgent');
  const tags = Array.isArray(body.tags) ? body.tags.map((tag) => String(tag).trim().toLowerCase()) : [];
  if (body.due_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(body.due_date)) {
    throw new HttpError(422, 'due_date must be a date like 2026-12-01');
  }
  await insert(res, user, {
    title: validTitle(body.title), description: body.description, priority, tags,
    due_at: body.due_at, due_date: body.due_date,
  });
}));

// Quick add, trivially: `!priority`, `#tag`, `tomorrow`, `Npm`; the rest is the title.
app.post('/api/tasks/quick', route(async (req, res) => {
  const user = await authenticate(req);
  const text = (req.body && req.body.text) || '';
  if (typeof text !== 'string' || text.trim() === '' || text.length > 1000) {
    throw new HttpError(422, 'text must be 1 to 1000 characters');
  }
  let priority = 0;
  let days = null;
  let hour = null;
  const tags = [];
  const words = [];
  for (const word of text.trim().split(/\s+/)) {
    const pm = /^(\d{1,2})(am|pm)$/i.exec(word);
    if (word.startsWith('!') && PRIORITIES.includes(word.slice(1).toLowerCase())) priority = PRIORITIES.indexOf(word.slice(1).toLowerCase());
    else if (word.startsWith('#') && word.length > 1) tags.push(word.slice(1).toLowerCase());
    else if (word.toLowerCase() === 'tomorrow') days = 1;
    else if (word.toLowerCase() === 'today') days = 0;
    else if (pm) hour = (Number(pm[1]) % 12) + (pm[2].toLowerCase() === 'pm' ? 12 : 0);
    else words.push(word);
  }
  let dueAt = null;
  let dueDate = null;
  if (days !== null) {
    const day = new Date(Date.now() + days * 86400000);
    if (hour !== null) {
      day.setUTCHours(hour, 0, 0, 0);
      dueAt = day.toISOString();
    } else {
      dueDate = day.toISOString().slice(0, 10);
    }
  }
  await insert(res, user, {
    title: validTitle(words.join(' ')), priority, tags, due_at: dueAt, due_date: dueDate,
  });
}));

app.get('/api/projects', route(async (req, res) => {
  const user = await authenticate(req);
  const { rows } = await pool.query(
    `SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.user_id = $1 AND p.archived_at IS NULL
     ORDER BY p.inbox DESC, p.position, p.id`,
    [user.id],
  );
  res.json({ projects: rows.map(project) });
}));

app.get('/api/projects/:id/sections', route(async (req, res) => {
  const user = await authenticate(req);
  const id = Number(req.params.id);
  if (!Number.isInteger(id)) throw new HttpError(404, 'No such project.');
  const { rows } = await pool.query(
    `SELECT ${SECTION_COLUMNS} FROM projects p LEFT JOIN sections s ON s.project_id = p.id
     WHERE p.id = $1 AND p.user_id = $2 ORDER BY s.position, s.id`,
    [id, user.id],
  );
  if (rows.length === 0) throw new HttpError(404, 'No such project.');
  res.json({ sections: rows.filter((row) => row.id !== null).map(section) });
}));

// A move among its siblings, as crates/tasks/src/tree.rs and
// crates/db/src/position.rs do it for a top-level task given `after`.
app.post('/api/tasks/:id/move', route(async (req, res) => {
  const user = await authenticate(req);
  const id = Number(req.params.id);
  const after = req.body && req.body.after;
  if (!Number.isInteger(id)) throw new HttpError(404, 'No such task.');
  if (!Number.isInteger(after)) throw new HttpError(422, 'after must be a task id');
  const reordered = await pool.query(REORDER, [id, user.id, after]);
  if (reordered.rows.length === 1) {
    const result = task(reordered.rows[0]);
    res.set('etag', `"${result.version}"`).json(result);
    return;
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const locked = await client.query(
      `SELECT project_id, section_id, parent_id, version FROM tasks
       WHERE id = $1 AND user_id = $2 FOR UPDATE`,
      [id, user.id],
    );
    if (locked.rows.length === 0) throw new HttpError(404, 'No such task.');
    const current = locked.rows[0];
    if (current.parent_id !== null) throw new HttpError(422, 'this peer moves top-level tasks only');
    const neighbours = `SELECT a.position AS n,
        (SELECT s.position FROM tasks s WHERE ${SIBLINGS} AND s.id <> $3 AND (s.position, s.id) > (a.position, a.id)
         ORDER BY s.position, s.id LIMIT 1) AS next
      FROM tasks a WHERE a.id = $4 AND a.id IN (SELECT s.id FROM tasks s WHERE ${SIBLINGS} AND s.id <> $3)`;
    const siblings = [current.project_id, current.section_id, id];
    let position = null;
    for (let respaced = false; position === null; respaced = true) {
      const found = await client.query(neighbours, [...siblings, after]);
      if (found.rows.length === 0) throw new HttpError(422, 'after is not a task in the list the task moves to');
      const before = BigInt(found.rows[0].n);
      if (found.rows[0].next === null) {
        const fresh = await client.query(`SELECT nextval('positions') * ${GAP} AS n`);
        position = BigInt(fresh.rows[0].n);
      } else if (BigInt(found.rows[0].next) - before >= 2n || respaced) {
        position = before + (BigInt(found.rows[0].next) - before) / 2n;
      } else {
        await client.query(
          `UPDATE tasks r SET position = spaced.position
           FROM (SELECT id, nextval('positions') * ${GAP} AS position
                 FROM (SELECT s.id FROM tasks s WHERE ${SIBLINGS} AND s.id <> $3 ORDER BY s.position, s.id) ordered) spaced
           WHERE r.id = spaced.id`,
          siblings,
        );
      }
    }
    const moved = await client.query(
      `UPDATE tasks AS t SET project_id = $3, section_id = $4, parent_id = $5, position = $6,
              updated_at = now(), version = t.version + 1
       WHERE t.id = $1 AND t.user_id = $2 RETURNING ${TASK_COLUMNS}`,
      [id, user.id, current.project_id, current.section_id, null, position.toString()],
    );
    await client.query('COMMIT');
    const result = task(moved.rows[0]);
    res.set('etag', `"${result.version}"`).json(result);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}));

const server = app.listen(Number(process.env.PORT || 3100), '127.0.0.1', () => {
  console.error(`Serving http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
