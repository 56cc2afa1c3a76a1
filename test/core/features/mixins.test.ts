import { expect } from 'chai';
import type { Model, ModelStatic } from 'sequelize';
import type { RoutedModel } from '@fbs/core';
import { Author, Book, Post, Profile, Tag, blogApp } from '../../fixtures/features/blog';
import { setupFeatures, type FeatureWorld, type Shard } from './setup';

interface Context {
  name: string;
  db: Shard;
  world: () => FeatureWorld;
  model<M extends Model>(m: ModelStatic<M>): RoutedModel<M>;
  run<T>(fn: () => Promise<T>): Promise<T>;
}

describe('features: association mixins on instances of a non-default database', () => {
  let routed: FeatureWorld;
  let plain: FeatureWorld;
  before(async () => {
    routed = await setupFeatures('mixins', [blogApp]);
    plain = await setupFeatures('mixins_plain', [blogApp], { routers: [] });
  });
  after(async () => {
    await routed?.close();
    await plain?.close();
  });

  const contexts: Context[] = [
    { name: 'routed to a', db: 'a', world: () => routed, model: (m) => routed.project.model(m), run: (fn) => routed.on('a', fn) },
    { name: 'routed to b', db: 'b', world: () => routed, model: (m) => routed.project.model(m), run: (fn) => routed.on('b', fn) },
    { name: "loaded with using('b'), no routers (the instance's database decides)", db: 'b', world: () => plain, model: (m) => plain.project.using('b', m), run: (fn) => fn() },
  ];

  for (const ctx of contexts) {
    describe(ctx.name, () => {
      const { db } = ctx;
      const w = () => ctx.world();
      /** Inserts a row over a direct connection on the context's database; returns its id. */
      const fresh = async (table: string, row: Record<string, unknown>) => {
        const cols = Object.keys(row);
        const [r] = await w().sql(db, `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`, Object.values(row));
        return r.id as number;
      };
      const titles = (rows: { title: string }[]) => rows.map((r) => r.title).sort();
      /** The rows of `table` matching `where` on default, a and b. */
      const spread = (table: string, where: string) => w().counts(table, where);
      const only = (n: number) => ({ default: 0, a: db === 'a' ? n : 0, b: db === 'b' ? n : 0 });

      it('$count and the native countX of hasMany, belongsToMany (explicit and generated through)', async () => {
        const aId = await fresh('feat_authors', { name: `cn-${db}` });
        const pId = await fresh('feat_posts', { title: `cn-${db}`, authorId: aId });
        await fresh('feat_posts', { title: `cn2-${db}`, authorId: aId });
        const tId = await fresh('feat_tags', { name: `cn-${db}` });
        const bId = await fresh('feat_books', { title: `cn-${db}` });
        await w().sql(db, `INSERT INTO feat_post_tags ("postId", "tagId") VALUES ($1, $2)`, [pId, tId]);
        await w().sql(db, `INSERT INTO "BookAuthor" ("authorId", "bookId", "createdAt", "updatedAt") VALUES ($1, $2, now(), now())`, [aId, bId]);
        await ctx.run(async () => {
          const author = (await ctx.model(Author).findByPk(aId))!;
          const post = (await ctx.model(Post).findByPk(pId))!;
          expect([await author.$count('posts'), await (author as any).countPosts()]).to.deep.equal([2, 2]);
          expect([await post.$count('tags'), await (post as any).countTags()]).to.deep.equal([1, 1]);
          expect([await author.$count('books'), await (author as any).countBooks()]).to.deep.equal([1, 1]);
        });
      });

      it('hasMany: $get $has $add $remove $set $create and getPosts / addPost / createPost', async () => {
        const aId = await fresh('feat_authors', { name: `hm-${db}` });
        await fresh('feat_posts', { title: `hm1-${db}`, authorId: aId });
        const p2 = await fresh('feat_posts', { title: `hm2-${db}`, authorId: null });
        const p3 = await fresh('feat_posts', { title: `hm3-${db}`, authorId: null });
        await ctx.run(async () => {
          const author = (await ctx.model(Author).findByPk(aId))!;
          expect(w().project.dbOf(author)).to.equal(db);
          expect(titles(await author.$get('posts'))).to.deep.equal([`hm1-${db}`]);
          expect(titles(await (author as any).getPosts())).to.deep.equal([`hm1-${db}`]);
          const post2 = (await ctx.model(Post).findByPk(p2))!;
          const post3 = (await ctx.model(Post).findByPk(p3))!;
          expect(await author.$has('posts', post2)).to.equal(false);
          await author.$add('posts', post2);
          await (author as any).addPost(post3);
          expect([await author.$has('posts', post2), await (author as any).hasPost(post3)]).to.deep.equal([true, true]);
          await author.$remove('posts', post3);
          const made = await author.$create('post', { title: `hm4-${db}` });
          const native = await (author as any).createPost({ title: `hm5-${db}` });
          expect([w().project.dbOf(made), w().project.dbOf(native)]).to.deep.equal([db, db]);
          expect(titles(await author.$get('posts'))).to.deep.equal([`hm1-${db}`, `hm2-${db}`, `hm4-${db}`, `hm5-${db}`]);
        });
        const rows = await w().rows(db, 'feat_posts', `"authorId" = ${aId}`);
        expect(titles(rows)).to.deep.equal([`hm1-${db}`, `hm2-${db}`, `hm4-${db}`, `hm5-${db}`]);
        expect(await spread('feat_posts', `title IN ('hm4-${db}', 'hm5-${db}')`)).to.deep.equal(only(2));
        await ctx.run(async () => {
          const author = (await ctx.model(Author).findByPk(aId))!;
          const keep = (await ctx.model(Post).findByPk(p3))!;
          await author.$set('posts', [keep]);
        });
        expect(titles(await w().rows(db, 'feat_posts', `"authorId" = ${aId}`))).to.deep.equal([`hm3-${db}`]);
      });

      it('belongsTo and hasOne: $get $set $create and getAuthor / setAuthor / createProfile', async () => {
        const a1 = await fresh('feat_authors', { name: `bt1-${db}` });
        const a2 = await fresh('feat_authors', { name: `bt2-${db}` });
        const pId = await fresh('feat_posts', { title: `bt-${db}`, authorId: a1 });
        await ctx.run(async () => {
          const post = (await ctx.model(Post).findByPk(pId))!;
          expect((await post.$get('author'))!.name).to.equal(`bt1-${db}`);
          expect(w().project.dbOf(await (post as any).getAuthor())).to.equal(db);
          await post.$set('author', (await ctx.model(Author).findByPk(a2))!);
          const made = await (post as any).createAuthor({ name: `bt3-${db}` });
          expect(w().project.dbOf(made)).to.equal(db);
          const author = (await ctx.model(Author).findByPk(a1))!;
          const profile = await author.$create('profile', { bio: `bt-bio-${db}` });
          expect(w().project.dbOf(profile)).to.equal(db);
          expect((await author.$get('profile'))!.bio).to.equal(`bt-bio-${db}`);
          const other = await (author as any).createProfile({ bio: `bt-bio2-${db}` }); // replaces: the old profile is unlinked
          await author.$set('profile', other);
          expect((await (author as any).getProfile()).bio).to.equal(`bt-bio2-${db}`);
        });
        const [post] = await w().rows(db, 'feat_posts', `id = ${pId}`);
        const [made] = await w().rows(db, 'feat_authors', `name = 'bt3-${db}'`);
        expect(post.authorId).to.equal(made.id);
        expect(await spread('feat_authors', `name = 'bt3-${db}'`)).to.deep.equal(only(1));
        expect(await spread('feat_profiles', `bio LIKE 'bt-bio%-${db}'`)).to.deep.equal(only(2));
        expect((await w().rows(db, 'feat_profiles', `"authorId" = ${a1}`)).map((p) => p.bio)).to.deep.equal([`bt-bio2-${db}`]);
      });

      it('belongsToMany with an explicit through model: $add (through values) $get $has $remove $set $create, native accessors', async () => {
        const pId = await fresh('feat_posts', { title: `mm-${db}` });
        const t1 = await fresh('feat_tags', { name: `mm1-${db}` });
        const t2 = await fresh('feat_tags', { name: `mm2-${db}` });
        await ctx.run(async () => {
          const post = (await ctx.model(Post).findByPk(pId))!;
          const [tag1, tag2] = [(await ctx.model(Tag).findByPk(t1))!, (await ctx.model(Tag).findByPk(t2))!];
          await post.$add('tags', tag1, { through: { note: 'via-$add' } });
          await (post as any).addTag(tag2, { through: { note: 'via-addTag' } });
          expect((await post.$get('tags')).map((t) => t.name).sort()).to.deep.equal([`mm1-${db}`, `mm2-${db}`]);
          expect([await post.$has('tags', tag1), await (post as any).hasTag(tag2)]).to.deep.equal([true, true]);
          await post.$remove('tags', tag1);
          const made = await post.$create('tag', { name: `mm3-${db}` });
          expect(w().project.dbOf(made)).to.equal(db);
          expect((await (post as any).getTags()).map((t: Tag) => t.name).sort()).to.deep.equal([`mm2-${db}`, `mm3-${db}`]);
        });
        const links = await w().sql(db, `SELECT t.name, pt.note FROM feat_post_tags pt JOIN feat_tags t ON t.id = pt."tagId" WHERE pt."postId" = $1 ORDER BY 1`, [pId]);
        expect(links.map((l) => [l.name, l.note])).to.deep.equal([[`mm2-${db}`, 'via-addTag'], [`mm3-${db}`, null]]);
        expect(await spread('feat_tags', `name = 'mm3-${db}'`)).to.deep.equal(only(1));
        await ctx.run(async () => {
          const post = (await ctx.model(Post).findByPk(pId))!;
          await post.$set('tags', [(await ctx.model(Tag).findByPk(t1))!]);
        });
        expect((await w().rows(db, 'feat_post_tags', `"postId" = ${pId}`)).map((l) => l.tagId)).to.deep.equal([t1]);
      });

      it('belongsToMany with a generated through model: $add $get $has $remove $set $create, native accessors', async () => {
        const aId = await fresh('feat_authors', { name: `gm-${db}` });
        const b1 = await fresh('feat_books', { title: `gm1-${db}` });
        const b2 = await fresh('feat_books', { title: `gm2-${db}` });
        await ctx.run(async () => {
          const author = (await ctx.model(Author).findByPk(aId))!;
          const [book1, book2] = [(await ctx.model(Book).findByPk(b1))!, (await ctx.model(Book).findByPk(b2))!];
          await author.$add('books', book1);
          await (author as any).addBook(book2);
          expect(titles(await author.$get('books'))).to.deep.equal([`gm1-${db}`, `gm2-${db}`]);
          expect([await author.$has('books', book1), await (author as any).hasBook(book2)]).to.deep.equal([true, true]);
          await (author as any).removeBook(book1);
          const made = await author.$create('book', { title: `gm3-${db}` });
          expect(w().project.dbOf(made)).to.equal(db);
          expect(titles(await (author as any).getBooks())).to.deep.equal([`gm2-${db}`, `gm3-${db}`]);
          await author.$set('books', [book1]);
        });
        expect((await w().rows(db, 'BookAuthor', `"authorId" = ${aId}`)).map((l) => l.bookId)).to.deep.equal([b1]);
        expect(await spread('feat_books', `title = 'gm3-${db}'`)).to.deep.equal(only(1));
      });
    });
  }
});
