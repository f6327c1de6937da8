-- The autonomous agents: what they suggest, and what each user lets them do.

CREATE TABLE agent_preferences (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    overdue_monitor boolean NOT NULL DEFAULT true,
    prioritization boolean NOT NULL DEFAULT true,
    -- Quiet hours in the user's time zone, minutes after midnight; the
    -- window may wrap past midnight (22:00 to 07:00). Both or neither.
    quiet_start smallint CHECK (quiet_start BETWEEN 0 AND 1439),
    quiet_end smallint CHECK (quiet_end BETWEEN 0 AND 1439),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
);

CREATE TABLE suggestions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agent text NOT NULL CHECK (agent IN ('overdue_monitor', 'prioritization')),
    kind text NOT NULL,
    message text NOT NULL,
    -- The change accepting it makes, e.g. {"set_priority": "high"}.
    action jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'dismissed', 'expired')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL DEFAULT now() + interval '7 days',
    resolved_at timestamptz
);
CREATE INDEX suggestions_user_pending_idx ON suggestions (user_id, id) WHERE status = 'pending';
-- The rolling hour of the rate limit.
CREATE INDEX suggestions_user_created_idx ON suggestions (user_id, created_at);

-- The tasks a suggestion is about, at the version it saw. A task's version
-- changes with every real change, so a (task, version, kind) that was
-- suggested once is never suggested again, and a changed task re-qualifies.
-- Expiring a suggestion deletes its rows here. No foreign key to tasks: a
-- deleted task must still expire its suggestion.
CREATE TABLE suggestion_tasks (
    suggestion_id bigint NOT NULL REFERENCES suggestions (id) ON DELETE CASCADE,
    task_id bigint NOT NULL,
    task_version integer NOT NULL,
    kind text NOT NULL,
    PRIMARY KEY (suggestion_id, task_id)
);
CREATE INDEX suggestion_tasks_task_idx ON suggestion_tasks (task_id, task_version, kind);

-- The agents scan pending tasks across all users by due time and by
-- staleness; these indexes keep a run proportional to its candidates.
CREATE INDEX tasks_pending_due_key_idx ON tasks (due_key) WHERE completed_at IS NULL;
CREATE INDEX tasks_pending_updated_idx ON tasks (updated_at) WHERE completed_at IS NULL;
