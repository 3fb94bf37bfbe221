"""The access log becomes tamper-evident: a TRUNCATE trigger and a hash chain.

Rows are numbered and chained under one lock, in the database, whatever inserts them:
each row's hash is the SHA-256 of its own fields and of the previous row's hash, so
altering or removing a row breaks the chain at that row (`manage.py verify_access_log`).
"""

from django.db import migrations, models

# One definition of a row's digest, used by the insert trigger and by the verifier.
# Times are written in UTC so the digest does not depend on the session's time zone.
DIGEST = """
CREATE OR REPLACE FUNCTION referrals_accesslog_digest(previous text, entry referrals_accesslog)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        previous,
        entry.id,
        to_char(entry.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        entry.user_id,
        entry.username,
        entry.action,
        entry.referral_id,
        entry.detail
    )::text, 'UTF8')), 'hex')
$$;
"""

# Backfill the rows written before the chain existed, oldest first.
BACKFILL = """
ALTER TABLE referrals_accesslog DISABLE TRIGGER referrals_accesslog_append_only;
DO $$
DECLARE
    entry referrals_accesslog;
    last text := '';
BEGIN
    FOR entry IN SELECT * FROM referrals_accesslog ORDER BY id LOOP
        UPDATE referrals_accesslog
           SET previous_hash = last, hash = referrals_accesslog_digest(last, entry)
         WHERE id = entry.id
        RETURNING hash INTO last;
    END LOOP;
END $$;
ALTER TABLE referrals_accesslog ENABLE TRIGGER referrals_accesslog_append_only;
"""

CHAIN = """
CREATE OR REPLACE FUNCTION referrals_accesslog_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last text;
BEGIN
    -- One writer at a time (until its transaction ends), so the id order is the chain's
    -- order and two rows never share a predecessor.
    PERFORM pg_advisory_xact_lock(hashtext('referrals_accesslog'));
    NEW.id := nextval(pg_get_serial_sequence('referrals_accesslog', 'id'));
    SELECT hash INTO last FROM referrals_accesslog ORDER BY id DESC LIMIT 1;
    NEW.previous_hash := coalesce(last, '');
    NEW.hash := referrals_accesslog_digest(NEW.previous_hash, NEW);
    RETURN NEW;
END;
$$;
CREATE TRIGGER referrals_accesslog_chain
    BEFORE INSERT ON referrals_accesslog
    FOR EACH ROW EXECUTE FUNCTION referrals_accesslog_chain();

CREATE OR REPLACE FUNCTION referrals_accesslog_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the referral access log is append-only: TRUNCATE refused';
END;
$$;
CREATE TRIGGER referrals_accesslog_no_truncate
    BEFORE TRUNCATE ON referrals_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION referrals_accesslog_no_truncate();
"""

REVERSE = """
DROP TRIGGER IF EXISTS referrals_accesslog_no_truncate ON referrals_accesslog;
DROP FUNCTION IF EXISTS referrals_accesslog_no_truncate();
DROP TRIGGER IF EXISTS referrals_accesslog_chain ON referrals_accesslog;
DROP FUNCTION IF EXISTS referrals_accesslog_chain();
DROP FUNCTION IF EXISTS referrals_accesslog_digest(text, referrals_accesslog);
"""


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_stats_covering_index")]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="previous_hash",
            field=models.CharField(
                editable=False, max_length=64, verbose_name="previous hash", default=""
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslog",
            name="hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="hash", default=""),
            preserve_default=False,
        ),
        migrations.RunSQL(DIGEST + BACKFILL + CHAIN, REVERSE),
    ]
