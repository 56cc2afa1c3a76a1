import type { DatabaseAdmin } from '../database-admin';
import { compact, createDatabase, databaseComment, dropDatabase, existingDatabases, serverVersion, setDatabaseComment, terminateConnections } from './postgres-databases';
import {
  alterLoginRole, closeToPublic, connectableDatabases, createLoginRole, dropRole, grantCreate, reassignOwned, restrictConnect, roleComment, roleExists,
} from './postgres-roles';
import { lockSession, tryLockSession, unlockSession } from './postgres-session-locks';
import { scramSha256Verifier } from './scram-verifier';

/** PostgreSQL's administrative statements: `CREATE DATABASE … TEMPLATE`, database comments, advisory locks, login roles with SCRAM verifiers. */
export const postgresDatabaseAdmin: DatabaseAdmin = Object.freeze({
  serverVersion,
  lock: lockSession,
  tryLock: tryLockSession,
  unlock: unlockSession,
  existingDatabases,
  createDatabase,
  dropDatabase,
  terminateConnections,
  databaseComment,
  setDatabaseComment,
  createLoginRole,
  alterLoginRole,
  passwordVerifier: (password: string) => scramSha256Verifier(password),
  roleComment,
  roleExists,
  dropRole,
  closeToPublic,
  restrictConnect,
  connectableDatabases,
  compact,
  grantCreate,
  reassignOwned,
});
