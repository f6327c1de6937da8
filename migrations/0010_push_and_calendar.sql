-- Reaching people outside the app: Web Push subscriptions and what the
-- agents' pass sends to them, and the private calendar feed.

-- The per-user switch for push notifications (the agents' switches and
-- quiet hours apply too).
ALTER TABLE agent_preferences ADD COLUMN notifications boolean NOT NULL DEFAULT true;

-- One row per browser: the push service's endpoint (a capability URL) and the
-- browser's keys (RFC 8291). A browser re-subscribing, or another account
-- signing in on it, takes the row over: an endpoint reaches one browser.
CREATE TABLE push_subscriptions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint text NOT NULL UNIQUE CHECK (char_length(endpoint) <= 2048),
    p256dh text NOT NULL,
    auth text NOT NULL,
    device text NOT NULL CHECK (char_length(device) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_sent_at timestamptz
);
CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id, id);

-- A notification the pass decided to send: one per (user, key), so a task's
-- reminder goes out once per occurrence (`due_soon:<task>:<due>`) and the
-- digest once per local day (`overdue:<date>`). Each counts against the
-- user's 10 per rolling hour, with the suggestions.
CREATE TABLE push_notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('due_soon', 'overdue_digest')),
    dedup_key text NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Not worth sending after this (the push's TTL counts down to it).
    expires_at timestamptz NOT NULL,
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX push_notifications_user_created_idx ON push_notifications (user_id, created_at);

-- Each notification to each of the user's browsers. `pending` is sent by the
-- next pass that claims it (`claimed_until` keeps two passes from sending it
-- twice); a 429 or 5xx leaves it pending for the pass after; 2xx makes it
-- `sent`; any other answer `failed`. A 404 or 410 deletes the subscription,
-- and with it its deliveries.
CREATE TABLE push_deliveries (
    notification_id bigint NOT NULL REFERENCES push_notifications (id) ON DELETE CASCADE,
    subscription_id bigint NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    claimed_until timestamptz,
    last_answer text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_id, subscription_id)
);
CREATE INDEX push_deliveries_pending_idx ON push_deliveries (notification_id) WHERE status = 'pending';

-- The private calendar feed: one per user, its secret stored as a SHA-256
-- like a personal access token's. Rotating replaces the hash.
CREATE TABLE calendar_feeds (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_fetched_at timestamptz
);
