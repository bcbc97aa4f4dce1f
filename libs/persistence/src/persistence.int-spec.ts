import { Injectable, Module } from '@nestjs/common';
import { InjectModel, MongooseModule, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type { Model } from 'mongoose';
import { startTestInfra, uniqueDbName, type TestInfra } from '@clarion/testing';
import { PersistenceModule } from './persistence.module';

@Schema({ collection: 'notes' })
class Note {
  @Prop({ required: true }) orgId!: string;
  @Prop({ required: true }) text!: string;
}
const NoteSchema = SchemaFactory.createForClass(Note);
// One note per org and text: proves FerretDB enforces unique indexes created through mongoose.
NoteSchema.index({ orgId: 1, text: 1 }, { unique: true });

@Injectable()
class NoteRepository {
  constructor(@InjectModel(Note.name) private readonly notes: Model<Note>) {}
  async add(orgId: string, text: string) {
    await this.notes.create({ orgId, text });
  }
  list(orgId: string) {
    return this.notes.find({ orgId }, { _id: 0, orgId: 1, text: 1 }).sort({ text: 1 }).lean();
  }
  ensureIndexes() {
    return this.notes.syncIndexes();
  }
}

@Module({ imports: [MongooseModule.forFeature([{ name: Note.name, schema: NoteSchema }])], providers: [NoteRepository] })
class NoteModule {}

describe('PersistenceModule against FerretDB', () => {
  let infra: TestInfra;
  beforeAll(async () => {
    infra = await startTestInfra();
  });
  afterAll(async () => infra?.stop());

  it('writes through mongoose, reads back, and enforces a unique index', async () => {
    const module = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot(infra.mongoUrl(uniqueDbName('persistence'))), NoteModule],
    }).compile();
    const app = await module.init();
    const repo = app.get(NoteRepository);
    await repo.ensureIndexes();

    await repo.add('org-a', 'second');
    await repo.add('org-a', 'first');
    await repo.add('org-b', 'other tenant');

    expect(await repo.list('org-a')).toEqual([
      { orgId: 'org-a', text: 'first' },
      { orgId: 'org-a', text: 'second' },
    ]);
    await expect(repo.add('org-a', 'first')).rejects.toMatchObject({ code: 11000 });
    await app.close();
  });
});
