import { Client } from 'pg';
(async () => {
  for (let i = 0; i < 8; i++) {
    const t0 = process.hrtime.bigint();
    const c = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
    await c.connect();
    const t1 = process.hrtime.bigint();
    await c.query("SET client_min_messages TO warning;SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE");
    const t2 = process.hrtime.bigint();
    await c.query("SELECT pg_type.typname, pg_type.typtype, pg_type.oid, pg_type.typarray FROM pg_type WHERE typtype IN ('b','e')");
    const t3 = process.hrtime.bigint();
    await c.end();
    const ms = (a: bigint, b: bigint) => (Number(b - a) / 1e6).toFixed(2);
    console.log(`connect ${ms(t0, t1)} set ${ms(t1, t2)} types ${ms(t2, t3)}`);
  }
})();
