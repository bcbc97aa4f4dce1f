import { standardNetwork } from '../support/standard-network';
import { Api, expectStatus } from '../support/api';
import { createOrg, subscribe, type Org } from '../support/directory-fixture';

/**
 * Public pages in the supporter's language, from the catalogues (en, fr, es,
 * pt, sw), and the join page offering the topics its coalitions configured.
 */
describe('public pages in the supporter’s language', () => {
  const net = standardNetwork();
  let admin: Api;
  let org: Org;
  let lonelyOrg: Org;

  const page = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${net.network.gatewayUrl}${path}`, { headers });
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    admin = new Api(net.network.gatewayUrl, net.network.adminToken);
    const topics = [
      { id: 'land-rights', label: 'Land rights', labels: { fr: 'Droits fonciers', sw: 'Haki za ardhi' } },
      { id: 'press-freedom', label: 'Press freedom' },
    ];
    const created = expectStatus(await admin.post('/coalitions', { name: 'Sahel Voices', slug: `sahel-${process.pid}`, topics }), 201).body;
    expect(created.topics).toEqual(topics);
    const coordinator = expectStatus(await admin.post('/tokens', { name: 'c', grant: { role: 'coordinator', coalitionId: created.id } }), 201).body.token;
    [org, lonelyOrg] = await Promise.all([createOrg(admin, 'Langues Vivantes', ['fr', 'en']), createOrg(admin, 'Alone Rights')]);
    await subscribe({ id: created.id, coordinator: admin.as(coordinator), secondCoordinator: admin.as(coordinator) }, org, { channels: ['email'], relayPolicy: { mode: 'auto' } });
  });

  it('answers the join page in French for Accept-Language: fr, with the coalition’s topics named in French', async () => {
    const { status, body } = await page(`/join/${org.slug}`, { 'accept-language': 'fr' });
    expect(status).toBe(200);
    expect(body).toContain('<html lang="fr">');
    expect(body).toContain('Solidaires avec Langues Vivantes');
    expect(body).toContain('Rejoindre par e-mail');
    expect(body).toContain('>Droits fonciers</label>');
    expect(body).toContain('>Press freedom</label>');
    expect(body).toContain('value="land-rights"');
    // The fixed list of before is gone.
    expect(body).not.toContain('civic-space');
  });

  it('answers in English without a language it speaks, and follows the switch over Accept-Language', async () => {
    const english = await page(`/join/${org.slug}`, { 'accept-language': 'de-DE, ja;q=0.5' });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Stand with Langues Vivantes');
    expect(english.body).toContain('>Land rights</label>');
    const swahili = await page(`/join/${org.slug}?lang=sw`, { 'accept-language': 'fr' });
    expect(swahili.body).toContain('<html lang="sw">');
    expect(swahili.body).toContain('Jiunge kwa barua pepe');
    expect(swahili.body).toContain('>Haki za ardhi</label>');
    for (const lang of ['es', 'pt']) expect((await page(`/join/${org.slug}?lang=${lang}`)).body).toContain(`<html lang="${lang}">`);
  });

  it('offers no topics where the organisation’s coalitions configured none, and ignores a language switch it does not know', async () => {
    const { body } = await page(`/join/${lonelyOrg.slug}?lang=%3Cscript%3E`, { 'accept-language': 'es' });
    expect(body).toContain('<html lang="es">');
    expect(body).not.toContain('<fieldset class="topics">');
    expect(body).not.toContain('<script>');
  });

  it('answers a missing page in the visitor’s language', async () => {
    const { status, body } = await page('/join/no-such-organisation-here', { 'accept-language': 'pt-BR' });
    expect(status).toBe(404);
    expect(body).toContain('Página não encontrada');
  });

  it('refuses coalition topics that are not valid, naming the field', async () => {
    const bad = await admin.post('/coalitions', { name: 'Bad Topics', slug: `bad-topics-${process.pid}`, topics: [{ id: 'Not A Topic', label: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toMatch(/^topics/);
    const repeated = await admin.post('/coalitions', { name: 'Repeat', slug: `repeat-${process.pid}`, topics: [{ id: 'a', label: 'A' }, { id: 'a', label: 'B' }] });
    expect(repeated.status).toBe(400);
  });
});
