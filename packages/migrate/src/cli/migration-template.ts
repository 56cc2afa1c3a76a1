/** Extensions `create` can write. */
export const TEMPLATE_EXTENSIONS = Object.freeze(['ts', 'js', 'mjs', 'cjs'] as const);
export type TemplateExtension = (typeof TEMPLATE_EXTENSIONS)[number];

const BODY = `  // Queries through queryInterface or sequelize join the migration's transaction on their own.
  // await queryInterface.createTable('app_thing', { id: { type: 'INTEGER', primaryKey: true, autoIncrement: true } });`;
const DOWN = `  // await queryInterface.dropTable('app_thing');`;

/** The content of a new migration file. */
export function migrationTemplate(extension: TemplateExtension): string {
  if (extension === 'ts') {
    return `import type { MigrationContext } from '@fbs/core';

export async function up({ queryInterface, sequelize }: MigrationContext): Promise<void> {
${BODY}
}

export async function down({ queryInterface, sequelize }: MigrationContext): Promise<void> {
${DOWN}
}
`;
  }
  if (extension === 'mjs') {
    return `/** @param {import('@fbs/core').MigrationContext} context */
export async function up({ queryInterface, sequelize }) {
${BODY}
}

/** @param {import('@fbs/core').MigrationContext} context */
export async function down({ queryInterface, sequelize }) {
${DOWN}
}
`;
  }
  return `/** @param {import('@fbs/core').MigrationContext} context */
exports.up = async ({ queryInterface, sequelize }) => {
${BODY}
};

/** @param {import('@fbs/core').MigrationContext} context */
exports.down = async ({ queryInterface, sequelize }) => {
${DOWN}
};
`;
}
