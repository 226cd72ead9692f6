-- The first schema of the PostgreSQL provider. Runs with search_path set to the provider's schema.

-- Tasks: registry state, claim (holder, fence, lease on the server's clock) and queue entry (definition).
CREATE TABLE tasks (
    spec_name        text        NOT NULL,
    task_id          text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('Pending', 'Running', 'Done', 'Failed')),
    runner_id        text,
    holder           text,
    fence            bigint      NOT NULL DEFAULT 0,
    lease_expires_at timestamptz,
    claim_token      uuid,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    definition       jsonb,
    enqueued_at      timestamptz,
    claims           integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (spec_name, task_id),
    CHECK (holder IS NULL OR state = 'Running'),
    CHECK ((holder IS NULL) = (lease_expires_at IS NULL))
);
CREATE INDEX tasks_pending ON tasks (enqueued_at, spec_name, task_id) WHERE state = 'Pending' AND definition IS NOT NULL;
CREATE INDEX tasks_running ON tasks (enqueued_at, spec_name, task_id) WHERE state = 'Running' AND definition IS NOT NULL;

-- Event logs: append-only, in the order of seq; event_id makes a retried append land once.
CREATE TABLE events (
    seq         bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    spec_name   text        NOT NULL,
    task_id     text        NOT NULL,
    type        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    runner_id   text        NOT NULL,
    message     text,
    data        jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_task ON events (spec_name, task_id, seq);

-- Artifact records, one per task and name.
CREATE TABLE artifacts (
    spec_name   text        NOT NULL,
    task_id     text        NOT NULL,
    name        text        NOT NULL,
    record      jsonb       NOT NULL,
    runner_id   text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (spec_name, task_id, name)
);

-- Runner registrations: alive while expires_at lies ahead; claims and their renewals push it out.
CREATE TABLE runners (
    runner_id  text        PRIMARY KEY,
    spec_name  text        NOT NULL,
    task_id    text        NOT NULL,
    host       text        NOT NULL,
    process_id integer     NOT NULL,
    started_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX runners_expiry ON runners (expires_at);

-- Branch ownership, written once: the key is the branch name in lower case.
CREATE TABLE branch_claims (
    branch_key text        PRIMARY KEY,
    branch     text        NOT NULL,
    spec_name  text        NOT NULL,
    task_id    text        NOT NULL,
    runner_id  text        NOT NULL,
    claimed_at timestamptz NOT NULL
);

-- Branch locks held for a push: leases, renewed while held, free once expired.
CREATE TABLE branch_locks (
    branch_key  text        PRIMARY KEY,
    branch      text        NOT NULL,
    lease_id    text        NOT NULL,
    runner_id   text        NOT NULL,
    machine_id  text        NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

-- Who holds which workspace slot on which machine (the slots stay on the machines' disks).
CREATE TABLE slot_leases (
    machine_id  text        NOT NULL,
    slot_id     text        NOT NULL,
    lease_id    text        NOT NULL,
    runner_id   text        NOT NULL,
    spec_name   text        NOT NULL,
    task_id     text        NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (machine_id, slot_id)
);

-- The fleet-wide run limit: permit i (0 .. limit-1) is held while expires_at lies ahead.
CREATE TABLE run_permits (
    permit      integer     PRIMARY KEY,
    permit_id   text,
    machine_id  text,
    process_id  integer,
    acquired_at timestamptz,
    expires_at  timestamptz
);
