-- Background jobs that must run in one process only, however many share the database (census polling,
-- retention): the process holding a job's lease runs it and renews the lease; when the holder stops or
-- dies, another process takes over once the lease has run out. No personal data.
CREATE TABLE job_leases (
    job TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    -- unix seconds
    expires_at INTEGER NOT NULL
);
