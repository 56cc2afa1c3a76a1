import { expect } from 'chai';
import { BelongsToMany, Column, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { AppLabelRouter, createProject, defineApp } from '@fbs/core';
import { createDatabases, queryDatabase, testServer } from '../harness/postgres';

@Table({ timestamps: false })
class Book extends Model {
  @Column(DataType.STRING) declare title: string;
  @BelongsToMany(() => Writer, () => BookWriter) declare writers?: Writer[];
  @BelongsToMany(() => Writer, { through: 'BookEditor', as: 'editors', foreignKey: 'bookId', otherKey: 'editorId' }) declare editors?: Writer[];
}
@Table({ timestamps: false })
class Writer extends Model {
  @Column(DataType.STRING) declare name: string;
  @BelongsToMany(() => Book, () => BookWriter) declare books?: Book[];
}
@Table({ timestamps: false })
class BookWriter extends Model {
  @ForeignKey(() => Book) @Column(DataType.INTEGER) declare bookId: number;
  @ForeignKey(() => Writer) @Column(DataType.INTEGER) declare writerId: number;
  @Column(DataType.STRING) declare role: string;
}
@Table({ timestamps: false })
class Setting extends Model {
  @Column(DataType.STRING) declare key: string;
}

const library = defineApp({ label: 'library', models: [Book, Writer, BookWriter] });
const system = defineApp({ label: 'system', models: [Setting] });

const tables = async (db: string) =>
  (await queryDatabase(db, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.table_name);

describe('project.sync() and many-to-many, routed', () => {
  let names: string[];
  let project: ReturnType<typeof createProject>;
  before(async () => {
    const server = await testServer();
    names = await createDatabases(2, 'm2m');
    project = createProject({
      databases: { default: server.url(names[0]!), books: server.url(names[1]!) },
      routers: [new AppLabelRouter({ library: 'books', system: 'default' })],
      apps: [library, system],
    });
    await project.sync();
  });
  after(() => project.close());

  it("sync() creates each app's tables only where allowMigrate allows it", async () => {
    expect(await tables(names[0]!)).to.deep.equal(['system_setting']);
    expect(await tables(names[1]!)).to.deep.equal(['BookEditor', 'library_book', 'library_book_writer', 'library_writer']);
  });

  it('findAll with a belongsToMany include (explicit and generated through model) works on the routed database', async () => {
    const book = await project.model(Book).create({ title: 'Dune' });
    const writer = await project.model(Writer).create({ name: 'Herbert' });
    await book.$add('writers', writer, { through: { role: 'author' } });
    await book.$add('editors', writer);
    const [found] = await project.model(Book).findAll({ where: { id: book.id }, include: [{ model: Writer, as: 'writers' }, { model: Writer, as: 'editors' }] });
    expect(found!.writers!.map((w) => w.name)).to.deep.equal(['Herbert']);
    expect((found!.writers![0] as any).BookWriter.role).to.equal('author');
    expect(found!.editors!.map((w) => w.name)).to.deep.equal(['Herbert']);
    expect(project.dbOf(found!.writers![0])).to.equal('books');
    expect(await queryDatabase(names[1]!, 'SELECT role FROM library_book_writer')).to.deep.equal([{ role: 'author' }]);
    expect(await queryDatabase(names[1]!, 'SELECT count(*)::int AS n FROM "BookEditor"')).to.deep.equal([{ n: 1 }]);
  });
});
