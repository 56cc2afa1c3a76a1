// A second process for the causality-token test: counts notes of CTX without and with TOKEN,
// once both replicas are up, and prints `{ without, with }` as JSON.
import 'reflect-metadata';
import { createProject } from '@fbs/core';
import { ledgerApp, Note, notesApp } from '../fixtures';

async function main(): Promise<void> {
  const project = createProject({ databases: JSON.parse(process.env.DATABASES!), apps: [notesApp, ledgerApp] });
  try {
    while ((await project.replicaStatus()).some((s) => s.health !== 'up')) await new Promise((r) => setTimeout(r, 50));
    const count = () => project.model(Note).count({ where: { ctx: process.env.CTX! } });
    const without = await project.withContext(count);
    const withToken = await project.withContext(() => project.withCausality(process.env.TOKEN!, count));
    process.stdout.write(JSON.stringify({ without, with: withToken }));
  } finally {
    await project.close();
  }
}

main().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exitCode = 1;
});
