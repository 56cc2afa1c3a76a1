import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect } from 'chai';
import { Model as SequelizeModel } from 'sequelize';
import { AppRegistryError, createProject, defineApp, type ModelClass } from '@fbs/core';

const root = resolve(__dirname, '../..');
/** Where a package is installed (its real directory in pnpm's store) and the directory holding its own dependencies. */
function installed(name: string): { dir: string; deps: string; version: string } {
  const dir = realpathSync(join(root, 'node_modules', name));
  return { dir, deps: dirname(dir), version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version };
}

/** A model module written next to `node_modules`, so that it loads that directory's sequelize-typescript. */
const MODEL_JS = `
require('reflect-metadata');
const { BelongsTo, Column, DataType, ForeignKey, HasMany, Model, Table } = require('sequelize-typescript');
class Author extends Model {}
class Book extends Model {}
Column(DataType.STRING)(Author.prototype, 'name');
HasMany(() => Book)(Author.prototype, 'books');
Table({ timestamps: false })(Author);
Column(DataType.STRING)(Book.prototype, 'title');
ForeignKey(() => Author)(Book.prototype, 'authorId');
Column(DataType.INTEGER)(Book.prototype, 'authorId');
BelongsTo(() => Author)(Book.prototype, 'author');
Table({ timestamps: false })(Book);
module.exports = { Author, Book };
`;

/**
 * A directory with its own node_modules: a real second copy of each package in `copies`, and links
 * to the original install for every other dependency (as two installs side by side would have).
 */
function secondInstall(parent: string, copies: readonly ('sequelize' | 'sequelize-typescript')[]): string {
  const dir = mkdtempSync(join(parent, 'app-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of copies) cpSync(installed(name).dir, join(modules, name), { recursive: true, dereference: true });
  for (const name of copies) {
    for (const dep of readdirSync(installed(name).deps)) {
      if (dep.startsWith('.') || readdirSync(modules).includes(dep)) continue;
      symlinkSync(realpathSync(join(installed(name).deps, dep)), join(modules, dep));
    }
  }
  writeFileSync(join(dir, 'models.js'), MODEL_JS);
  return dir;
}

function loadModels(dir: string): { Author: ModelClass; Book: ModelClass } {
  return require(join(dir, 'models.js'));
}

function registrationError(models: ModelClass[]): AppRegistryError {
  try {
    createProject({ databases: { default: 'postgres://127.0.0.1/unused' }, apps: [defineApp({ label: 'library', models })] });
  } catch (error) {
    expect(error).to.be.instanceOf(AppRegistryError);
    return error as AppRegistryError;
  }
  throw new Error('defineApp/createProject accepted a model of another copy of sequelize-typescript');
}

describe('two copies of sequelize-typescript (or sequelize) in one process', function () {
  this.timeout(30_000);
  let parent: string;
  before(() => {
    parent = mkdtempSync(join(tmpdir(), 'fbs-dup-'));
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  it('a model of a second sequelize-typescript copy is refused by defineApp, naming both copies and how to dedupe', () => {
    const app = secondInstall(parent, ['sequelize-typescript']);
    const { Author, Book } = loadModels(app);
    const error = registrationError([Author, Book]);
    expect(error.code).to.equal('FBS_APP_REGISTRY');
    expect(error.message).to.contain("App 'library': models[0] (Author) extends the Model of another copy of sequelize-typescript");
    const { dir, version } = installed('sequelize-typescript');
    expect(error.message).to.contain(`@fbs/core uses ${version} at ${dir}`);
    expect(error.message).to.contain(`Author uses ${version} at ${realpathSync(join(app, 'node_modules', 'sequelize-typescript'))}`);
    expect(error.message).to.not.contain('copy of sequelize-typescript and of sequelize');
    for (const fix of ['pnpm dedupe', '"overrides"', 'npm dedupe', 'peerDependencies']) expect(error.message).to.contain(fix);
  });

  it('with a second sequelize as well (the case Sequelize reports as "not a subclass of Sequelize.Model"), both packages are named', () => {
    const app = secondInstall(parent, ['sequelize-typescript', 'sequelize']);
    const { Author, Book } = loadModels(app);
    const error = registrationError([Author, Book]);
    expect(error.message).to.contain('another copy of sequelize-typescript and of sequelize');
    const { dir, version } = installed('sequelize');
    expect(error.message).to.contain(`sequelize: @fbs/core uses ${version} at ${dir}`);
    expect(error.message).to.contain(`Author uses ${version} at ${realpathSync(join(app, 'node_modules', 'sequelize'))}`);
  });

  it('a class extending Model from sequelize (not sequelize-typescript) is refused with the import to use', () => {
    class Plain extends SequelizeModel {}
    const error = registrationError([Plain as unknown as ModelClass]);
    expect(error.message).to.contain("models[0] (Plain) extends Model from 'sequelize', not from 'sequelize-typescript'");
    expect(error.message).to.contain("import { Model, Table, Column } from 'sequelize-typescript'");
  });
});
