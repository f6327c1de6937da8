-- A change to a task (any new version: an edit, completing, reopening) or its
-- deletion ends its pending suggestions at once: they stop being offered, and
-- the next agent pass marks them expired and unlinks them. The pass then
-- finds what to expire by time alone, through an index, instead of checking
-- every pending suggestion's tasks on every pass.

CREATE FUNCTION end_suggestions_of_task() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE suggestions s SET expires_at = now()
    FROM suggestion_tasks st
    WHERE st.task_id = OLD.id AND s.id = st.suggestion_id
      AND s.status = 'pending' AND s.expires_at > now();
    RETURN NULL;
END
$$;

CREATE TRIGGER tasks_changed_end_suggestions AFTER UPDATE ON tasks
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION end_suggestions_of_task();

CREATE TRIGGER tasks_deleted_end_suggestions AFTER DELETE ON tasks
    FOR EACH ROW EXECUTE FUNCTION end_suggestions_of_task();

CREATE INDEX suggestions_pending_expiry_idx ON suggestions (expires_at) WHERE status = 'pending';

-- A suggestion keeps the tasks it was about (in the order its message names
-- them) after it is resolved and unlinked; the pass links new suggestions
-- from these columns of its INSERT's RETURNING, without a nextval per row.
ALTER TABLE suggestions
    ADD COLUMN task_ids bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN task_versions integer[] NOT NULL DEFAULT '{}';
UPDATE suggestions s SET task_ids = linked.ids, task_versions = linked.versions
FROM (SELECT suggestion_id, array_agg(task_id ORDER BY task_id) AS ids,
             array_agg(task_version ORDER BY task_id) AS versions
      FROM suggestion_tasks GROUP BY suggestion_id) linked
WHERE linked.suggestion_id = s.id;

-- Links go with their suggestion through a trigger on the (rare) deletion of
-- suggestions instead of a foreign key, whose per-row check cost an agent
-- pass creating 120,000 suggestions half a second. Only the pass inserts
-- links, in the statement that inserts their suggestions.
ALTER TABLE suggestion_tasks DROP CONSTRAINT suggestion_tasks_suggestion_id_fkey;

CREATE FUNCTION unlink_deleted_suggestion() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM suggestion_tasks WHERE suggestion_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER suggestions_deleted_unlink AFTER DELETE ON suggestions
    FOR EACH ROW EXECUTE FUNCTION unlink_deleted_suggestion();

-- Suggestions whose tasks changed before these triggers existed end now.
UPDATE suggestions s SET expires_at = now()
WHERE s.status = 'pending' AND s.expires_at > now() AND EXISTS (
    SELECT 1 FROM suggestion_tasks st LEFT JOIN tasks t ON t.id = st.task_id
    WHERE st.suggestion_id = s.id
      AND (t.id IS NULL OR t.version <> st.task_version OR t.completed_at IS NOT NULL));
