-- Tenants and their API keys. Only a SHA-256 of each key's secret is stored (the secret is 256 random bits, so a
-- fast hash is enough; it is shown once, at creation).
CREATE TABLE tenants (
    id              text PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    -- Signs webhook bodies (HMAC-SHA256); must be readable to sign, so it is a secret of its own, not the API key.
    webhook_secret  text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    key_id      text PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants(id),
    secret_hash bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

-- One row per accepted upload. published_at NULL = the queue has not confirmed it yet (the outbox the sweeper reads).
CREATE TABLE jobs (
    id              uuid PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants(id),
    status          text NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'confirmed')),
    content_sha256  bytea NOT NULL,
    content_type    text NOT NULL,
    image_bytes     integer NOT NULL,
    external_id     text,
    callback_url    text,
    attempts        integer NOT NULL DEFAULT 0,
    failure_code    text,
    failure_reason  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz,
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE INDEX jobs_tenant_created ON jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX jobs_unpublished ON jobs (created_at) WHERE published_at IS NULL;

-- The image itself, apart from the job row so listing jobs never drags bytes along.
CREATE TABLE job_images (
    job_id  uuid PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    content bytea NOT NULL
);
-- JPEG/PNG/WebP are already compressed: out-of-line storage without pglz saves CPU on every upload.
ALTER TABLE job_images ALTER COLUMN content SET STORAGE EXTERNAL;

-- The authority for dedupe (Redis only answers faster): content hash or Idempotency-Key -> job, with an expiry.
CREATE TABLE dedupe_keys (
    tenant_id   text NOT NULL,
    key         text NOT NULL,
    job_id      uuid NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key)
);

-- Exactly one outcome per job: the primary key is what makes redelivery and races harmless.
CREATE TABLE job_outcomes (
    job_id        uuid PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    outcome       text NOT NULL CHECK (outcome IN ('completed', 'failed')),
    verdict       text,
    document      json,        -- json, not jsonb: the document is kept byte for byte as the worker wrote it
    failure_code  text,
    worker        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Reviewer confirmations/corrections, beside the OCR result and never overwriting it.
CREATE TABLE reviews (
    id          bigserial PRIMARY KEY,
    job_id      uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    reviewer    text NOT NULL,
    decision    text NOT NULL,
    fields      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    job_id        uuid PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    url           text NOT NULL,
    status        text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    next_attempt  timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz
);
