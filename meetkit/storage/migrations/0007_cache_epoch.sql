-- One counter that every commit changing a cached answer moves on (groups, codes, schedules, contact points),
-- so that other processes empty their read cache for those commits only, not for attendance counts.
CREATE TABLE cache_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL
);

INSERT INTO cache_epoch (id, epoch) VALUES (1, 0);
