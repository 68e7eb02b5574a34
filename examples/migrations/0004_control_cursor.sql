-- The fleet cursor a new node starts from; the build reads it into control_version.
CREATE TABLE control (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  cursor INTEGER NOT NULL
);
INSERT INTO control (id, cursor) VALUES (1, 0);
