-- Image bytes may live outside PostgreSQL (the segment store): the job row names where, as the queue message does.
ALTER TABLE jobs ADD COLUMN image_ref text;
UPDATE jobs SET image_ref = 'pg:job_images/' || id;
ALTER TABLE jobs ALTER COLUMN image_ref SET NOT NULL;
-- The PostgreSQL image store writes its row before the job row (like any other store), so no foreign key.
ALTER TABLE job_images DROP CONSTRAINT job_images_job_id_fkey;

-- Accepting a job in one round trip and one commit: claim the dedupe keys (content hash, Idempotency-Key), and
-- either create the job or, when a live key belongs to another job, give up the keys claimed so far and name that
-- job. The dedupe_keys primary key settles concurrent identical uploads: the second waits for the first's commit.
CREATE FUNCTION ktp_accept_job(p_id uuid, p_tenant text, p_keys text[], p_expires timestamptz, p_sha bytea,
                               p_content_type text, p_bytes integer, p_external_id text, p_callback_url text,
                               p_image_ref text)
RETURNS TABLE (o_job_id uuid, o_duplicate boolean, o_created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    k       text;
    v_owner uuid;
    claimed text[] := '{}';
BEGIN
    FOREACH k IN ARRAY p_keys LOOP
        v_owner := NULL;
        INSERT INTO dedupe_keys AS d (tenant_id, key, job_id, expires_at) VALUES (p_tenant, k, p_id, p_expires)
        ON CONFLICT (tenant_id, key) DO UPDATE SET job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at
            WHERE d.expires_at < now()
        RETURNING d.job_id INTO v_owner;
        IF v_owner IS NULL THEN
            SELECT d.job_id INTO v_owner FROM dedupe_keys d WHERE d.tenant_id = p_tenant AND d.key = k;
            DELETE FROM dedupe_keys d WHERE d.tenant_id = p_tenant AND d.key = ANY (claimed) AND d.job_id = p_id;
            RETURN QUERY SELECT v_owner, true, coalesce((SELECT j.created_at FROM jobs j WHERE j.id = v_owner), now());
            RETURN;
        END IF;
        claimed := claimed || k;
    END LOOP;
    RETURN QUERY
        INSERT INTO jobs AS j (id, tenant_id, status, content_sha256, content_type, image_bytes, external_id, callback_url, image_ref)
        VALUES (p_id, p_tenant, 'queued', p_sha, p_content_type, p_bytes, p_external_id, p_callback_url, p_image_ref)
        RETURNING j.id, false, j.created_at;
END $$;

-- Many accepts in one round trip and one commit (the API batches concurrent uploads): each job in order through
-- ktp_accept_job, so two identical uploads in one batch come out as a job and its duplicate.
CREATE FUNCTION ktp_accept_jobs(p_ids uuid[], p_tenants text[], p_idem_keys text[], p_sha_keys text[], p_expires timestamptz[],
                                p_shas bytea[], p_content_types text[], p_bytes integer[], p_external_ids text[],
                                p_callback_urls text[], p_image_refs text[])
RETURNS TABLE (o_index integer, o_job_id uuid, o_duplicate boolean, o_created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    i integer;
    r record;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_ids, 1), 0) LOOP
        SELECT * INTO r FROM ktp_accept_job(p_ids[i], p_tenants[i], array_remove(ARRAY[p_idem_keys[i], p_sha_keys[i]], NULL),
            p_expires[i], p_shas[i], p_content_types[i], p_bytes[i], p_external_ids[i], p_callback_urls[i], p_image_refs[i]);
        o_index := i - 1;
        o_job_id := r.o_job_id;
        o_duplicate := r.o_duplicate;
        o_created_at := r.o_created_at;
        RETURN NEXT;
    END LOOP;
END $$;
