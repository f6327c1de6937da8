-- Sign-in sessions, personal access tokens and sign-in throttling; the
-- columns and indexes that listing, sorting and searching tasks use.

-- Timestamps leave the database as RFC 3339 text in UTC: Spin's Postgres
-- interface cannot decode timestamptz values.
CREATE FUNCTION rfc3339(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

CREATE TABLE sessions (
    -- SHA-256 of the cookie's token; the token itself is never stored.
    token_hash text PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    token_hash text NOT NULL UNIQUE,
    -- The first characters of the token, so a person can tell tokens apart.
    prefix text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE sign_in_failures (
    email_key text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email_key_idx ON sign_in_failures (email_key, failed_at);

ALTER TABLE tasks
    -- One sortable instant for both kinds of due: a due date counts from
    -- midnight UTC, no due at all sorts last.
    ADD COLUMN due_key timestamptz NOT NULL GENERATED ALWAYS AS (
        COALESCE(due_at, due_date::timestamp AT TIME ZONE 'UTC', 'infinity'::timestamptz)
    ) STORED,
    ADD COLUMN search tsvector NOT NULL GENERATED ALWAYS AS (
        to_tsvector('simple', title || ' ' || description)
    ) STORED,
    -- The completed occurrence this one follows: unique, so completing a
    -- recurring task creates its next occurrence exactly once.
    ADD COLUMN previous_occurrence_id bigint UNIQUE REFERENCES tasks (id) ON DELETE SET NULL;

DROP INDEX tasks_user_id_idx;
CREATE INDEX tasks_user_due_idx ON tasks (user_id, due_key, id);
CREATE INDEX tasks_user_pending_due_idx ON tasks (user_id, due_key, id) WHERE completed_at IS NULL;
CREATE INDEX tasks_user_priority_idx ON tasks (user_id, priority, id);
CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at, id);
CREATE INDEX tasks_user_updated_idx ON tasks (user_id, updated_at, id);
CREATE INDEX tasks_user_title_idx ON tasks (user_id, title, id);
CREATE INDEX tasks_tags_idx ON tasks USING gin (tags);
CREATE INDEX tasks_search_idx ON tasks USING gin (search);
