-- Accounts and tasks: the tables every later migration builds on.
-- Timestamps are timestamptz, stored in UTC; the code reads them as epoch
-- numbers or text because Spin's Postgres interface cannot decode timestamptz.

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 100),
    password_hash text NOT NULL,
    time_zone text NOT NULL DEFAULT 'UTC',
    week_start smallint NOT NULL DEFAULT 1 CHECK (week_start BETWEEN 0 AND 6),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Emails are unique regardless of case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE tasks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 10000),
    -- 0 none, 1 low, 2 medium, 3 high, 4 urgent
    priority smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 4),
    tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    due_at timestamptz,
    due_date date,
    recurrence jsonb,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    -- A task is due at an instant or on a day, never both.
    CHECK (due_at IS NULL OR due_date IS NULL)
);

CREATE INDEX tasks_user_id_idx ON tasks (user_id);
