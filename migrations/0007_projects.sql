-- Projects, their sections, subtasks and manual order. This file only adds
-- (tables, nullable columns, constraints NOT VALID, triggers), so it holds
-- its locks for milliseconds; 0008 fills the new columns for existing rows
-- under row locks, so the previous version of the app keeps answering while
-- it runs: its INSERTs, which name no project, land in the owner's Inbox
-- through the trigger below.

-- One sequence orders everything that is ordered by hand. A new row takes
-- the next value times a gap, so it sorts after every existing sibling
-- without reading them; a move takes the midpoint of its new neighbours and
-- writes one row. Siblings are respaced (with fresh values, so new rows
-- still go last) only when two neighbours have no integer left between them.
CREATE SEQUENCE positions;

CREATE TABLE projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    color text NOT NULL DEFAULT 'grey'
        CHECK (color IN ('grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink')),
    inbox boolean NOT NULL DEFAULT false,
    position bigint NOT NULL DEFAULT nextval('positions') * 65536,
    archived_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    -- The Inbox is never archived.
    CHECK (NOT inbox OR archived_at IS NULL),
    -- The target of tasks' (user_id, project_id): a task is always in one of
    -- its owner's projects, whatever the code does.
    UNIQUE (user_id, id)
);
CREATE UNIQUE INDEX projects_one_inbox_idx ON projects (user_id) WHERE inbox;
CREATE INDEX projects_user_position_idx ON projects (user_id, position, id);

CREATE TABLE sections (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    position bigint NOT NULL DEFAULT nextval('positions') * 65536,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    UNIQUE (project_id, id)
);
CREATE INDEX sections_project_position_idx ON sections (project_id, position, id);

ALTER TABLE tasks
    ADD COLUMN project_id bigint,
    ADD COLUMN section_id bigint,
    ADD COLUMN parent_id bigint,
    ADD COLUMN position bigint;
-- Set apart from ADD COLUMN so that existing rows are not rewritten.
ALTER TABLE tasks ALTER COLUMN position SET DEFAULT nextval('positions') * 65536;

-- Checked for new rows now, for existing ones by 0008's VALIDATE (which
-- takes no lock that stops reads or writes).
ALTER TABLE tasks
    ADD CONSTRAINT tasks_project_fkey FOREIGN KEY (user_id, project_id)
        REFERENCES projects (user_id, id) ON DELETE CASCADE NOT VALID,
    -- A section of the task's own project; deleting it leaves the task in
    -- the project without a section.
    ADD CONSTRAINT tasks_section_fkey FOREIGN KEY (project_id, section_id)
        REFERENCES sections (project_id, id) ON DELETE SET NULL (section_id) NOT VALID,
    -- Deleting a task deletes its subtasks.
    ADD CONSTRAINT tasks_parent_fkey FOREIGN KEY (parent_id)
        REFERENCES tasks (id) ON DELETE CASCADE NOT VALID,
    ADD CONSTRAINT tasks_not_own_parent CHECK (parent_id <> id) NOT VALID;

-- A project's tasks in manual order; with it, its pending ones for counts.
CREATE INDEX tasks_project_position_idx ON tasks (project_id, position, id);
CREATE INDEX tasks_project_pending_idx ON tasks (project_id) WHERE completed_at IS NULL;
-- A task's subtasks (and their progress counts).
CREATE INDEX tasks_parent_idx ON tasks (parent_id, position) WHERE parent_id IS NOT NULL;

-- Every account has an Inbox from its first moment.
CREATE FUNCTION create_inbox() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO projects (user_id, name, inbox) VALUES (NEW.id, 'Inbox', true)
    ON CONFLICT (user_id) WHERE inbox DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_created_inbox AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION create_inbox();

-- A task that names no project goes to its owner's Inbox (also what the
-- previous version of the app relies on during the upgrade).
CREATE FUNCTION task_in_inbox_by_default() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.project_id IS NULL THEN
        SELECT id INTO NEW.project_id FROM projects WHERE user_id = NEW.user_id AND inbox;
        IF NEW.project_id IS NULL THEN
            INSERT INTO projects (user_id, name, inbox) VALUES (NEW.user_id, 'Inbox', true)
            ON CONFLICT (user_id) WHERE inbox DO UPDATE SET inbox = true
            RETURNING id INTO NEW.project_id;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER tasks_inbox_by_default BEFORE INSERT ON tasks
    FOR EACH ROW EXECUTE FUNCTION task_in_inbox_by_default();
