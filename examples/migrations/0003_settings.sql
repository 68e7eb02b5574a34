-- Settings per scope, and a view of node load.
CREATE TABLE settings (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE VIEW node_load AS
  SELECT n.name, count(j.id) AS running, n.capacity
  FROM nodes n LEFT JOIN jobs j ON j.node_id = n.id AND j.state = 'running'
  GROUP BY n.id;
