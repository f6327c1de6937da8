-- A project's page lists its pending tasks in manual order. With only
-- (project_id, position, id) over all its tasks, and (project_id) over the
-- pending ones, PostgreSQL either walked completed tasks too or sorted every
-- pending one for a page of 50 (5.6 ms of PostgreSQL time per request on a
-- 2,000-task project in `make bench`). Keyed by position, the pending tasks'
-- index serves the page in order, and its project_id prefix still serves the
-- sidebar's open-task counts.

CREATE INDEX tasks_project_pending_position_idx ON tasks (project_id, position, id) WHERE completed_at IS NULL;
DROP INDEX tasks_project_pending_idx;
