import { createHash } from 'node:crypto';
import type { MigrationModule } from '@fbs/core';

/** sha256 (hex) of a string or bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Checksum of a migration given as an object: its functions' source and its options. */
export function moduleChecksum(module: MigrationModule): string {
  const options = {
    dependencies: module.dependencies ?? [],
    transaction: module.transaction ?? true,
    hints: module.hints ?? {},
    modelName: module.modelName ?? null,
  };
  return sha256(`${String(module.up)}\n${String(module.down)}\n${JSON.stringify(options)}`);
}
