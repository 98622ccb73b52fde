-- The sqlite3 workload: build, index and query a table in memory.
CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO t(k, v) SELECT printf('k%08d', (i * 7919) % 200000), i % 1000 FROM n;
CREATE INDEX t_k ON t(k);
SELECT count(*), sum(v) FROM t WHERE k > 'k00100000';
SELECT v, count(*) FROM t GROUP BY v ORDER BY count(*) DESC, v LIMIT 3;
