import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import { runCli } from '../helpers/cli';
import { corpusPath, FLOW_SETS, seedFolder } from '../helpers/fixtures';
import { repoRoot } from '../helpers/paths';
import { SeededInstance } from '../helpers/repo';

const schemaDir = join(repoRoot(), 'docs', 'schemas');
const ajv = new Ajv({ allErrors: true });

function validator(name: string) {
  const schema = JSON.parse(readFileSync(join(schemaDir, `${name}.schema.json`), 'utf8'));
  return ajv.compile(schema);
}

function assertMatches(name: string, output: unknown): void {
  const validate = validator(name);
  assert.ok(validate(output), `${name}: ${ajv.errorsText(validate.errors)}`);
}

/** Commands that print a result (the emulator command serves until stopped and prints none). */
const commandNames = () =>
  readdirSync(join(repoRoot(), 'commands'))
    .filter((f) => f.endsWith('.ts') && f !== 'emulator.ts')
    .map((f) => f.slice(0, -'.ts'.length))
    .sort();

describe('docs/schemas: every --json output matches its published schema', function () {
  this.timeout(180000);
  let emu: TestEmulator;
  let parent: string;
  let dir: string;
  let dev: SeededInstance;
  let prod: SeededInstance;
  const outputs = new Map<string, unknown>();

  const cli = async (name: string, args: string[], cwd = dir) => {
    const run = await runCli(cwd, [...args, '--json'], dev.Account);
    assert.equal(run.code, 0, `${args.join(' ')} failed: ${run.stdout}${run.stderr}`);
    const output: unknown = JSON.parse(run.stdout);
    outputs.set(name, output);
    return output as Record<string, unknown>;
  };

  before(async () => {
    emu = await startEmulator();
    const folder = seedFolder(FLOW_SETS.voicemail.map(corpusPath));
    try {
      dev = await emu.control.seed(folder.dir);
    } finally {
      folder.remove();
    }
    prod = await emu.control.createInstance({ Account: dev.Account, Region: dev.Region });
    parent = mkdtempSync(join(tmpdir(), 'connect-copy-schemas-'));
    dir = join(parent, 'snapshots');

    await cli('init', ['init', dir], parent);
    for (const [env, instance] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      await cli(`pull ${env}`, [
        'pull',
        env,
        '--instance',
        instance.Id,
        '--region',
        instance.Region,
        '--endpoint-url',
        emu.url,
      ]);
    }
  });
  after(async () => {
    await emu.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it('has a schema for each command, and each schema is valid JSON Schema', () => {
    const schemas = readdirSync(schemaDir)
      .filter((f) => f.endsWith('.schema.json'))
      .map((f) => f.slice(0, -'.schema.json'.length));
    for (const name of commandNames()) assert.ok(schemas.includes(name), `${name} has a schema`);
    for (const name of schemas) assert.doesNotThrow(() => validator(name), name);
  });

  it('init and pull', () => {
    assertMatches('init', outputs.get('init'));
    assertMatches('pull', outputs.get('pull dev'));
    assertMatches('pull', outputs.get('pull prod'));
  });

  it('diff, status and validate', async () => {
    const diff = await cli('diff', ['diff', 'dev', 'prod']);
    assert.ok((diff.resources as unknown[]).length > 0, 'the two environments differ');
    assertMatches('diff', diff);
    assertMatches('status', await cli('status', ['status', 'dev']));
    assertMatches('validate', await cli('validate', ['validate', 'prod']));
  });

  it('push, copy and rollback as dry runs', async () => {
    assertMatches('push', await cli('push', ['push', 'prod', '--dry-run']));
    const copy = await cli('copy', ['copy', 'dev', 'prod', '--dry-run']);
    assert.ok((copy.summary as { resources: unknown[] }).resources.length > 0);
    assertMatches('copy', copy);
    const pulled = outputs.get('pull dev') as { commit: string };
    assertMatches(
      'rollback',
      await cli('rollback', ['rollback', 'dev', pulled.commit, '--dry-run']),
    );
  });

  it('show in both formats with --compare, and uses', async () => {
    assertMatches('show', await cli('show', ['show', 'dev', 'Voicemail']));
    const svg = await cli('show svg', [
      'show',
      'dev',
      'Voicemail',
      '--format',
      'svg',
      '--compare',
      'prod',
    ]);
    assert.equal(typeof svg.svg, 'string');
    assertMatches('show', svg);
    const uses = await cli('uses', ['uses', 'dev', 'lambda:ac-voicemail-lambda']);
    assert.ok((uses.referrers as unknown[]).length > 0);
    assertMatches('uses', uses);
  });

  it('demo', async () => {
    assertMatches('demo', await cli('demo', ['demo', '--dir', join(parent, 'demo')], parent));
  });

  it('failures print the error schema, and the schemas reject what they should', async () => {
    const failed = await runCli(dir, ['show', 'dev', 'No such flow', '--json'], dev.Account);
    assert.equal(failed.code, 2);
    assertMatches('error', JSON.parse(failed.stdout));

    // A schema that accepted anything would make every check above pass.
    const pull = structuredClone(outputs.get('pull dev')) as Record<string, unknown>;
    delete pull.branch;
    assert.equal(validator('pull')(pull), false, 'a missing member is caught');
    assert.equal(validator('uses')({ ...(outputs.get('uses') as object), extra: 1 }), false);
  });
});
