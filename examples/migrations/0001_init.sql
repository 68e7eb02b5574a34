-- Nodes of the fleet.
CREATE TABLE nodes (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  region TEXT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  weight REAL NOT NULL DEFAULT 1.0,
  labels TEXT NOT NULL DEFAULT '{}' -- JSON object
);
