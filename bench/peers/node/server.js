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
  t.updated_at AT TIME ZONE 'UTC' AS updated_at, t.version`;
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
  const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new HttpError(422, 'limit must be 1 to 200');
  params.push(limit + 1);
  const sql = `SELECT ${TASK_COLUMNS},
      CASE WHEN isfinite(t.due_key) THEN t.due_key AT TIME ZONE 'UTC' END AS sort_key
    FROM tasks t WHERE ${conditions.join(' AND ')}
    ORDER BY t.due_key ASC, t.id ASC LIMIT $${params.length}`;
  const { rows } = await pool.query(sql, params);
  const page = rows.slice(0, limit);
  let nextCursor = null;
  if (rows.length > limit) {
    const last = page[page.length - 1];
    const cursor = { sort: 'due', descending: false, key: micros(last.sort_key), id: Number(last.id) };
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

const server = app.listen(Number(process.env.PORT || 3100), '127.0.0.1', () => {
  console.error(`Serving http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
