import type { CatalogueStatements } from '../catalogue-statements';
import { quoteIdentifier } from './postgres-identifiers';

/** PostgreSQL's catalogue statements for `table` (`jsonb`, `ON CONFLICT DO NOTHING`). */
export function postgresCatalogueStatements(table: string): CatalogueStatements {
  const t = quoteIdentifier(table);
  return Object.freeze({
    create:
      `CREATE TABLE IF NOT EXISTS ${t} (name varchar(40) PRIMARY KEY, state varchar(16) NOT NULL, ` +
      `databases jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`,
    get: `SELECT * FROM ${t} WHERE name = $1`,
    list: `SELECT * FROM ${t} ORDER BY name`,
    begin:
      `WITH inserted AS (INSERT INTO ${t} (name, state, databases) VALUES ($1, 'creating', $2::jsonb) ON CONFLICT (name) DO NOTHING RETURNING *) ` +
      `SELECT * FROM inserted UNION ALL SELECT * FROM ${t} WHERE name = $1`,
    setState: `UPDATE ${t} SET state = $2, updated_at = now() WHERE name = $1`,
    remove: `DELETE FROM ${t} WHERE name = $1`,
  });
}
