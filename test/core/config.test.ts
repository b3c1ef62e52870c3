import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Config,
  ConfigProblem,
  defaultConfig,
  environmentOf,
  formatConfig,
  isEnvironmentName,
  parseConfig,
} from '../../src/core/config';
import { ConnectCopyError, ExitCode } from '../../src/errors';
import { repoRoot } from '../helpers/paths';

const FILE = 'connect-copy.json';

const full = {
  version: 1,
  environments: {
    dev: {
      instance: 'dev-centre',
      region: 'us-east-1',
      profile: 'dev-admin',
      endpointUrl: 'http://127.0.0.1:4566',
      naming: { lambda: { prefix: 'dev-', suffix: '' }, lex: { prefix: '', suffix: '_dev' } },
      include: ['flows/*'],
      exclude: ['flows/Test *'],
    },
    'prod-eu': {
      instance:
        'arn:aws:connect:eu-west-2:123456789012:instance/0f1e2d3c-aaaa-4bbb-8ccc-123456789abc',
      region: 'eu-west-2',
      naming: { lambda: { prefix: 'prod-', suffix: '' }, lex: { prefix: '', suffix: '' } },
      include: [],
      exclude: [],
    },
  },
  include: ['**'],
  exclude: ['queues/Old*'],
  overrides: { lambda: { lookup: { 'prod-eu': 'customer-lookup-v2' } } },
};

/** The problems of an invalid configuration, asserting the error names the file. */
function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    assert.ok(error instanceof ConnectCopyError);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.exitCode, ExitCode.usage);
    assert.equal(error.data.file, FILE);
    assert.ok(error.message.startsWith(FILE), error.message);
    const problems = error.data.problems as ConfigProblem[];
    for (const problem of problems) assert.ok(error.message.includes(problem.key));
    return problems;
  }
  assert.fail('the configuration was accepted');
}

const keysOf = (text: string) => problemsOf(text).map((problem) => problem.key);

describe('core: configuration', () => {
  it('reads client-side rate limits and writes them back', () => {
    const quota = {
      default: { rate: 2, burst: 5 },
      operations: { SearchContactFlows: { rate: 10, burst: 10 } },
    };
    const config = parseConfig(JSON.stringify({ ...full, quota }), FILE);
    assert.deepEqual(config.quota, quota);
    assert.deepEqual(parseConfig(formatConfig(config), FILE).quota, quota);
  });

  it('names each bad rate limit', () => {
    const quota = {
      default: { rate: 0, burst: 5 },
      operations: { SearchQueues: { rate: 1 } },
      x: 1,
    };
    assert.deepEqual(keysOf(JSON.stringify({ ...full, quota })).sort(), [
      'quota.default',
      'quota.operations.SearchQueues',
      'quota.x',
    ]);
  });

  it('accepts a complete configuration as written', () => {
    assert.deepEqual(parseConfig(JSON.stringify(full), FILE), full);
  });

  it('fills defaults for optional settings', () => {
    const config = parseConfig(
      JSON.stringify({ version: 1, environments: { dev: { instance: 'x', region: 'us-east-1' } } }),
    );
    assert.deepEqual(config.include, ['**']);
    assert.deepEqual(config.exclude, []);
    assert.deepEqual(config.overrides, { lambda: {} });
    assert.deepEqual(config.environments.dev.naming.lambda, { prefix: '', suffix: '' });
    assert.deepEqual(config.environments.dev.include, []);
    assert.equal(config.environments.dev.profile, undefined);
  });

  it('takes the region from an instance ARN when it is not given', () => {
    const arn = 'arn:aws:connect:ap-southeast-2:123456789012:instance/abc-123';
    const config = parseConfig(
      JSON.stringify({ version: 1, environments: { p: { instance: arn } } }),
    );
    assert.equal(config.environments.p.region, 'ap-southeast-2');
  });

  it('formats so that parsing gives the same configuration back', () => {
    const text = formatConfig(full as Config);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(parseConfig(text), full);
    assert.equal(formatConfig(parseConfig(text)), text);
    assert.match(text, /^ {6}"include": \["flows\/\*"\],$/m, 'short lists stay on one line');
    assert.match(text, /^ {8}"lambda": \{ "prefix": "dev-", "suffix": "" \},$/m);
  });

  it('ships a template equal to the default configuration, formatted the same way', () => {
    const template = readFileSync(join(repoRoot(), 'templates', FILE), 'utf8');
    assert.deepEqual(parseConfig(template, `templates/${FILE}`), defaultConfig());
    assert.equal(formatConfig(defaultConfig()), template);
  });

  it('accepts the example configuration shown in the repository README', () => {
    const readme = readFileSync(join(repoRoot(), 'templates', 'README.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(readme)?.[1];
    assert.ok(example, 'the README shows a configuration');
    const config = parseConfig(example, 'templates/README.md');
    assert.equal(config.environments.prod.region, 'us-east-1', 'taken from the instance ARN');
  });

  it('reports invalid JSON with the file, line and column', () => {
    const text = '{\n  "version": 1,\n  "environments": {,}\n}\n';
    assert.throws(
      () => parseConfig(text, FILE),
      (error: unknown) => {
        assert.ok(error instanceof ConnectCopyError);
        assert.equal(error.code, 'CONFIG_INVALID_JSON');
        assert.equal(error.exitCode, ExitCode.usage);
        assert.match(error.message, /^connect-copy\.json is not valid JSON at line 3, column \d+/);
        assert.equal(error.data.line, 3);
        return true;
      },
    );
  });

  it('names an invalid environment name and an override for an unknown environment', () => {
    const text = JSON.stringify({
      version: 1,
      environments: { Prod: { instance: 'x', region: 'us-east-1' }, dev: full.environments.dev },
      overrides: { lambda: { lookup: { dev: 'a', staging: 'b' } } },
    });
    assert.deepEqual(keysOf(text), ['environments.Prod', 'overrides.lambda.lookup.staging']);
    assert.match(problemsOf(text)[1].message, /"staging" is not a configured environment/);
  });

  it('names every key of the wrong type, with its exact path', () => {
    const text = JSON.stringify({
      version: '1',
      environments: {
        dev: {
          instance: 42,
          region: 'us-east-1',
          naming: { lambda: { prefix: 7 }, lex: 'dev-' },
          include: 'flows/*',
          exclude: ['ok', ''],
        },
        test: 'not an object',
      },
      include: [1],
      overrides: { lambda: { 'my fn': { dev: 3 } } },
    });
    assert.deepEqual(
      keysOf(text).sort(),
      [
        'version',
        'environments.dev.instance',
        'environments.dev.include',
        'environments.dev.exclude[1]',
        'environments.dev.naming.lambda.prefix',
        'environments.dev.naming.lex',
        'environments.test',
        'include[0]',
        'overrides.lambda["my fn"].dev',
      ].sort(),
    );
  });

  it('names unknown keys so a typo does not silently drop a setting', () => {
    const text = JSON.stringify({
      version: 1,
      environments: { dev: { instance: 'x', regoin: 'us-east-1' } },
      exclud: [],
    });
    const problems = problemsOf(text);
    assert.deepEqual(problems.map((p) => p.key).sort(), [
      'environments.dev.region',
      'environments.dev.regoin',
      'exclud',
    ]);
    assert.match(problems.find((p) => p.key === 'exclud')!.message, /expected one of/);
  });

  it('checks the version, the region and the endpoint syntax', () => {
    assert.deepEqual(keysOf('{}'), ['version']);
    assert.match(problemsOf('{ "version": 2 }')[0].message, /newer connect-copy/);
    assert.deepEqual(keysOf('[]'), ['(root)']);
    const env = { instance: 'x', region: 'US East', endpointUrl: 'localhost:4566' };
    assert.deepEqual(keysOf(JSON.stringify({ version: 1, environments: { dev: env } })), [
      'environments.dev.region',
      'environments.dev.endpointUrl',
    ]);
  });

  it('validates environment names like branch names', () => {
    for (const good of ['dev', 'prod-eu', '1', 'a'.repeat(63)]) assert.ok(isEnvironmentName(good));
    for (const bad of ['', 'Dev', '-dev', 'dev/x', 'dev_x', 'a'.repeat(64), 'dev.x', '../x']) {
      assert.equal(isEnvironmentName(bad), false, bad);
    }
  });

  describe('environmentOf', () => {
    const config = full as Config;

    it('returns a configured environment', () => {
      assert.equal(environmentOf(config, 'prod-eu').region, 'eu-west-2');
    });

    it('lists the configured environments for an unknown one', () => {
      assert.throws(
        () => environmentOf(config, 'test'),
        (error: unknown) => {
          assert.ok(error instanceof ConnectCopyError);
          assert.equal(error.code, 'UNKNOWN_ENVIRONMENT');
          assert.equal(error.exitCode, ExitCode.usage);
          assert.match(error.message, /"test" is not configured in connect-copy\.json/);
          assert.match(error.message, /dev, prod-eu/);
          return true;
        },
      );
    });

    it('rejects an invalid name before looking it up', () => {
      assert.throws(
        () => environmentOf(config, 'Prod'),
        (error: unknown) =>
          error instanceof ConnectCopyError && error.code === 'INVALID_ENVIRONMENT_NAME',
      );
    });
  });
});
