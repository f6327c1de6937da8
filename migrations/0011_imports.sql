-- Imports from other task managers: the uploaded file, its preview and the
-- job that applies it (crates/imports).

-- An upload waits as `previewed` until the person confirms it (`queued`);
-- a worker then runs it (`running`) in one transaction that also marks it
-- `done`, or records why it `failed`. The file is kept only until then.
CREATE TABLE imports (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    format text NOT NULL CHECK (format IN ('todoist', 'ticktick', 'ical', 'taskspin')),
    file_name text NOT NULL CHECK (char_length(file_name) <= 255),
    source bytea,
    -- What the file holds, as the preview showed it; the job reads the file
    -- again as of this moment, so relative dates ("tomorrow") mean the same.
    preview jsonb NOT NULL,
    read_at timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'previewed'
        CHECK (status IN ('previewed', 'queued', 'running', 'done', 'failed')),
    total integer NOT NULL CHECK (total >= 0),
    processed integer NOT NULL DEFAULT 0,
    result jsonb,
    problem jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Also the running job's heartbeat: a run whose worker went away is
    -- taken over once this is old.
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (status IN ('done', 'failed') OR source IS NOT NULL)
);
CREATE INDEX imports_user_created_idx ON imports (user_id, created_at DESC);
CREATE INDEX imports_waiting_idx ON imports (created_at) WHERE status IN ('queued', 'running');

-- Where an imported row came from (`todoist:...`, `ticktick:<taskId>`,
-- `ical:<UID>`, `taskspin:<id>`): importing the same file again finds it
-- and creates nothing. The new columns are all NULL, so the indexes are
-- built from empty entries.
ALTER TABLE projects ADD COLUMN source_id text;
ALTER TABLE sections ADD COLUMN source_id text;
ALTER TABLE tasks ADD COLUMN source_id text;
CREATE UNIQUE INDEX projects_user_source_idx ON projects (user_id, source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX sections_project_source_idx ON sections (project_id, source_id) WHERE source_id IS NOT NULL;
CREATE UNIQUE INDEX tasks_user_source_idx ON tasks (user_id, source_id) WHERE source_id IS NOT NULL;
