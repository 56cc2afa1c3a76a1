import { expect } from 'chai';
import { Op } from 'sequelize';
import { Author, Book, Comment, Like, Post, Profile, Tag, blogApp, blogIds, seedBlog } from '../../fixtures/features/blog';
import { SHARDS, onlyOn, otherShard, setupFeatures, type FeatureWorld } from './setup';

describe('features: associations and includes, routed to two databases', () => {
  let w: FeatureWorld;
  before(async () => {
    w = await setupFeatures('assoc', [blogApp]);
    for (const db of SHARDS) await seedBlog((sql) => w.sql(db, sql), db);
  });
  after(() => w?.close());

  for (const db of SHARDS) {
    describe(`routed to ${db}`, () => {
      const ids = blogIds(db);
      const on = <T>(fn: () => Promise<T>) => w.on(db, fn);
      const dbOf = (x: any) => w.project.dbOf(x);

      it('hasOne and belongsTo include the row of the same database', async () => {
        const author = (await on(() => w.project.model(Author).findByPk(ids.author, { include: [Profile] })))!;
        expect(author.name).to.equal(`ann-${db}`);
        expect(author.profile!.bio).to.equal(`bio-${db}`);
        expect([dbOf(author), dbOf(author.profile)]).to.deep.equal([db, db]);
        const profile = (await on(() => w.project.model(Profile).findOne({ include: ['author'] })))!;
        expect(profile.author!.name).to.equal(`ann-${db}`);
        expect(dbOf(profile.author)).to.equal(db);
      });

      it('hasMany and belongsTo', async () => {
        const author = (await on(() => w.project.model(Author).findByPk(ids.author, { include: [Post], order: [['posts', 'id', 'ASC']] })))!;
        expect(author.posts!.map((p) => p.title)).to.deep.equal([`p1-${db}`, `p2-${db}`]);
        expect(author.posts!.map(dbOf)).to.deep.equal([db, db]);
        const posts = await on(() => w.project.model(Post).findAll({ include: [{ model: Author }], order: [['id', 'ASC']] }));
        expect(posts.map((p) => p.author!.name)).to.deep.equal([`ann-${db}`, `ann-${db}`]);
      });

      it('belongsToMany with an explicit through model, both directions, through attributes included', async () => {
        const post = (await on(() => w.project.model(Post).findByPk(ids.post1, { include: [Tag], order: [['tags', 'id', 'ASC']] })))!;
        expect(post.tags!.map((t) => t.name)).to.deep.equal([`t1-${db}`, `t2-${db}`]);
        expect(post.tags!.map((t) => (t as any).PostTag.note)).to.deep.equal([`n1-${db}`, `n2-${db}`]);
        expect(post.tags!.map(dbOf)).to.deep.equal([db, db]);
        const tags = await on(() => w.project.model(Tag).findAll({ include: [{ model: Post, through: { attributes: ['note'] } }], order: [['id', 'ASC']] }));
        expect(tags.map((t) => t.posts!.map((p) => p.title).sort())).to.deep.equal([[`p1-${db}`, `p2-${db}`], [`p1-${db}`]]);
      });

      it('belongsToMany with a generated through model, both directions', async () => {
        const author = (await on(() => w.project.model(Author).findByPk(ids.author, { include: [Book] })))!;
        expect(author.books!.map((b) => b.title)).to.deep.equal([`b1-${db}`]);
        expect(dbOf(author.books![0])).to.equal(db);
        const books = await on(() => w.project.model(Book).findAll({ include: ['authors'] }));
        expect(books.map((b) => b.authors!.map((a) => a.name))).to.deep.equal([[`ann-${db}`]]);
      });

      it('nested includes three levels deep', async () => {
        const author = (await on(() =>
          w.project.model(Author).findByPk(ids.author, {
            include: [{ model: Post, include: [{ model: Comment, include: [Like] }] }],
            order: [['posts', 'id', 'ASC'], ['posts', 'comments', 'id', 'ASC'], ['posts', 'comments', 'likes', 'id', 'ASC']],
          }),
        ))!;
        const p1 = author.posts![0]!;
        expect(p1.comments!.map((c) => c.body)).to.deep.equal([`c1-${db}`, `c2-${db}`]);
        expect(p1.comments![0]!.likes!.map((l) => l.who)).to.deep.equal([`x-${db}`, `y-${db}`]);
        expect(dbOf(p1.comments![0]!.likes![0])).to.equal(db);
        expect(author.posts![1]!.comments).to.deep.equal([]);
      });

      it('order by an included model ({ model, as }, as sequelize-typescript needs)', async () => {
        const author = (await on(() =>
          w.project.model(Author).findByPk(ids.author, { include: [{ model: Post, include: [Comment] }], order: [[{ model: Post, as: 'posts' }, 'id', 'DESC'], [{ model: Post, as: 'posts' }, { model: Comment, as: 'comments' }, 'id', 'DESC']] }),
        ))!;
        expect(author.posts!.map((p) => p.title)).to.deep.equal([`p2-${db}`, `p1-${db}`]);
        expect(author.posts![1]!.comments!.map((c) => c.body)).to.deep.equal([`c2-${db}`, `c1-${db}`]);
      });

      it('required: true keeps only parents with a match', async () => {
        const all = await on(() => w.project.model(Author).findAll({ include: [{ model: Post, required: false }] }));
        const required = await on(() => w.project.model(Author).findAll({ include: [{ model: Post, required: true }] }));
        expect(all.map((a) => a.name).sort()).to.deep.equal([`ann-${db}`, `solo-${db}`]);
        expect(required.map((a) => a.name)).to.deep.equal([`ann-${db}`]);
      });

      it('separate: true loads the children with a second query on the same database', async () => {
        const authors = await on(() =>
          w.project.model(Author).findAll({ where: { id: ids.author }, include: [{ model: Post, separate: true, order: [['id', 'DESC']] }] }),
        );
        expect(authors[0]!.posts!.map((p) => p.title)).to.deep.equal([`p2-${db}`, `p1-${db}`]);
        expect(authors[0]!.posts!.map(dbOf)).to.deep.equal([db, db]);
      });

      it('include where filters the children (and the parents, as it implies required)', async () => {
        const authors = await on(() => w.project.model(Author).findAll({ include: [{ model: Post, where: { title: { [Op.like]: 'p2-%' } } }] }));
        expect(authors.map((a) => [a.name, a.posts!.map((p) => p.title)])).to.deep.equal([[`ann-${db}`, [`p2-${db}`]]]);
        const tagged = await on(() => w.project.model(Post).findAll({ include: [{ model: Tag, where: { name: `t2-${db}` } }] }));
        expect(tagged.map((p) => p.title)).to.deep.equal([`p1-${db}`]);
        const byThrough = await on(() => w.project.model(Post).findAll({ include: [{ model: Tag, required: true, through: { where: { note: `n3-${db}` } } }] }));
        expect(byThrough.map((p) => p.title)).to.deep.equal([`p2-${db}`]);
      });

      it('count and findAndCountAll with an include', async () => {
        expect(await on(() => w.project.model(Author).count({ include: [{ model: Post, required: true }], distinct: true }))).to.equal(1);
        const { count, rows } = await on(() => w.project.model(Post).findAndCountAll({ include: [Tag], distinct: true }));
        expect([count, rows.length]).to.deep.equal([2, 2]);
      });

      it('create with nested include writes every row to the routed database only', async () => {
        const name = `nested-${db}`;
        const author = await on(() =>
          w.project.model(Author).create(
            { name, profile: { bio: `${name}-bio` }, posts: [{ title: `${name}-post`, comments: [{ body: `${name}-c` }] }] } as any,
            { include: [Profile, { model: Post, include: [Comment] }] },
          ),
        );
        expect(dbOf(author)).to.equal(db);
        expect(await w.counts('feat_authors', `name = '${name}'`)).to.deep.equal(onlyOn(db, 1));
        expect(await w.counts('feat_profiles', `bio = '${name}-bio'`)).to.deep.equal(onlyOn(db, 1));
        expect(await w.counts('feat_posts', `title = '${name}-post'`)).to.deep.equal(onlyOn(db, 1));
        const [comment] = await w.rows(db, 'feat_comments', `body = '${name}-c'`);
        const [post] = await w.rows(db, 'feat_posts', `title = '${name}-post'`);
        expect(comment.postId).to.equal(post.id);
        expect(await w.rows(otherShard(db), 'feat_comments', `body = '${name}-c'`)).to.have.length(0);
      });
    });
  }
});
