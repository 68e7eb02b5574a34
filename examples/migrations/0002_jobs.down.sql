-- Down migrations are for other tools; sqlite-snapshot ignores them.
DROP TABLE events;
DROP TABLE jobs;
