import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBinary, repoRoot } from '@clarion/infra';

const run = promisify(execFile);
const rulesDir = join(repoRoot(), 'deploy', 'observability', 'prometheus');

/**
 * The Prometheus alerting rules are valid (promtool check rules) and fire as
 * intended on recorded series (promtool test rules): stalled fan-out, dead
 * letters, consumer lag, HTTP and send error rates, each also shown quiet
 * where it should be. promtool is built from source by the infra script, like nats-server.
 */
describe('Prometheus alerting rules', () => {
  let promtool: string;

  beforeAll(async () => {
    promtool = await ensureBinary('promtool');
  });

  it('pass promtool check rules', async () => {
    const { stdout } = await run(promtool, ['check', 'rules', join(rulesDir, 'clarion.rules.yml')], { timeout: 30_000 });
    expect(stdout).toContain('SUCCESS: 5 rules found');
  });

  it('pass promtool test rules on the recorded series', async () => {
    const { stdout } = await run(promtool, ['test', 'rules', join(rulesDir, 'clarion.rules.test.yml')], { timeout: 30_000 });
    expect(stdout).toContain('SUCCESS');
  });

  it('fail promtool test rules when a rule stops firing (the test can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clarion-rules-'));
    const rules = readFileSync(join(rulesDir, 'clarion.rules.yml'), 'utf8').replace('(increase(clarion_dead_letters_total[15m])) > 0', '(increase(clarion_dead_letters_total[15m])) > 5');
    writeFileSync(join(dir, 'clarion.rules.yml'), rules);
    copyFileSync(join(rulesDir, 'clarion.rules.test.yml'), join(dir, 'clarion.rules.test.yml'));
    const failure = await run(promtool, ['test', 'rules', join(dir, 'clarion.rules.test.yml')], { timeout: 30_000 }).then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(`${failure?.stdout}${failure?.stderr}`).toContain('ClarionDeadLetters');
  });
});
