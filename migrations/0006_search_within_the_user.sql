-- Full-text search always runs within one user's tasks. The old index held
-- every user's words, so a search intersected all users' matches with the
-- user's rows (a BitmapAnd of two large bitmaps); keyed by (user_id, search),
-- the index finds only the user's matches, which doubled a search's
-- throughput in PostgreSQL on 10,000 tasks (docs/performance.md).
-- btree_gin puts the uuid in a GIN index; it is a trusted extension (any
-- database owner may create it) shipped with PostgreSQL's contrib modules.
--
-- fastupdate is off so that a write updates the index at once: with it on,
-- writes pile up in a pending list that every later search must scan until
-- a vacuum merges it, which made searches after a burst of writes slow.

CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX tasks_user_search_idx ON tasks USING gin (user_id, search) WITH (fastupdate = off);
DROP INDEX tasks_search_idx;
