-- Existing accounts get their Inbox and existing tasks move into it, in the
-- order they were listed by default (by due), keeping their versions: the
-- move is the schema's, not a change a client could have missed. Only row
-- locks are taken until the very end, so the previous app keeps answering.
-- Every statement finds nothing left to do when run again.

INSERT INTO projects (user_id, name, inbox)
SELECT id, 'Inbox', true FROM users
ON CONFLICT (user_id) WHERE inbox DO NOTHING;

UPDATE tasks t SET project_id = p.id
FROM projects p
WHERE p.user_id = t.user_id AND p.inbox AND t.project_id IS NULL;

-- Below zero, so that they come before any task created since 0007 (those
-- took their positions from the sequence).
UPDATE tasks t SET position = placed.position
FROM (SELECT id, (row_number() OVER (ORDER BY user_id, due_key, id) - count(*) OVER ()) * 65536 AS position
      FROM tasks WHERE position IS NULL) placed
WHERE t.id = placed.id;

ALTER TABLE tasks VALIDATE CONSTRAINT tasks_project_fkey;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_section_fkey;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_parent_fkey;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_not_own_parent;

-- With a validated CHECK, SET NOT NULL needs no scan: the exclusive lock it
-- takes lasts only until this transaction commits, a moment later.
ALTER TABLE tasks ADD CONSTRAINT tasks_project_set CHECK (project_id IS NOT NULL AND position IS NOT NULL) NOT VALID;
ALTER TABLE tasks VALIDATE CONSTRAINT tasks_project_set;
ALTER TABLE tasks ALTER COLUMN project_id SET NOT NULL, ALTER COLUMN position SET NOT NULL;
ALTER TABLE tasks DROP CONSTRAINT tasks_project_set;
