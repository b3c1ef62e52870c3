/**
 * The repository configuration, `connect-copy.json` on `main`. It is committed so a CI job can
 * run `connect-copy pull prod` with no flags; credentials never appear in it (`profile` names an
 * AWS profile, it does not hold keys).
 */
import { ConnectCopyError, ExitCode } from '../errors';

export const CONFIG_FILE = 'connect-copy.json';
export const CONFIG_VERSION = 1;

/** Lambda and Lex names are made portable by removing an environment's prefix and suffix. */
export interface NamingRule {
  prefix: string;
  suffix: string;
}

export interface EnvironmentConfig {
  /** Instance alias, id or ARN. */
  instance: string;
  region: string;
  /** AWS profile to read credentials from; the default credential chain when absent. */
  profile?: string;
  /** Endpoint override, for the local emulator. */
  endpointUrl?: string;
  naming: { lambda: NamingRule; lex: NamingRule };
  include: string[];
  exclude: string[];
}

export interface Config {
  version: typeof CONFIG_VERSION;
  environments: Record<string, EnvironmentConfig>;
  /** Globs over `<folder>/<resource name>`, applied to every environment. */
  include: string[];
  exclude: string[];
  /** `overrides.lambda[portable name][environment]` = the real function name there. */
  overrides: { lambda: Record<string, Record<string, string>> };
  /**
   * The client-side rate limit per API operation. Connect's default quota is 2 calls a second
   * with a burst of 5 per account, region and operation; raise it here when AWS raised yours.
   */
  quota?: { default?: RateQuota; operations?: Record<string, RateQuota> };
}

export interface RateQuota {
  /** Calls a second. */
  rate: number;
  /** Calls allowed at once after a quiet spell. */
  burst: number;
}

/** Environment names become branch names (`env/<name>`) and file-system paths. */
export const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const isEnvironmentName = (name: string): boolean => ENVIRONMENT_NAME.test(name);

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ENDPOINT_URL = /^https?:\/\/[^/\s]+/;

export const isRegionName = (region: string): boolean => REGION.test(region);
export const isEndpointUrl = (url: string): boolean => ENDPOINT_URL.test(url);

export const environmentBranch = (name: string): string => `env/${name}`;

export function defaultConfig(): Config {
  return {
    version: CONFIG_VERSION,
    environments: {},
    include: ['**'],
    exclude: [],
    overrides: { lambda: {} },
  };
}

export function defaultEnvironment(instance: string, region: string): EnvironmentConfig {
  return {
    instance,
    region,
    naming: { lambda: { prefix: '', suffix: '' }, lex: { prefix: '', suffix: '' } },
    include: [],
    exclude: [],
  };
}

/** Throws a usage error when `name` cannot be an environment name. */
export function assertEnvironmentName(name: string): void {
  if (isEnvironmentName(name)) return;
  throw new ConnectCopyError(
    'INVALID_ENVIRONMENT_NAME',
    `"${name}" is not a valid environment name: use 1 to 63 lower-case letters, digits and ` +
      'hyphens, starting with a letter or digit (for example "dev" or "prod-eu").',
    { exitCode: ExitCode.usage, data: { name } },
  );
}

/** The named environment's settings, or a usage error listing the configured ones. */
export function environmentOf(config: Config, name: string): EnvironmentConfig {
  assertEnvironmentName(name);
  const environment = config.environments[name];
  if (environment) return environment;
  const known = Object.keys(config.environments);
  throw new ConnectCopyError(
    'UNKNOWN_ENVIRONMENT',
    `Environment "${name}" is not configured in ${CONFIG_FILE}` +
      (known.length ? ` (configured: ${known.join(', ')}).` : ' (no environment is configured).'),
    {
      exitCode: ExitCode.usage,
      data: { name, known },
      suggestions: [`Add "${name}" under "environments" in ${CONFIG_FILE} on main and commit it`],
    },
  );
}

export interface ConfigProblem {
  /** Dotted path of the offending key, e.g. `environments.dev.region`. */
  key: string;
  message: string;
}

/**
 * Parses and validates the configuration. Every problem is collected so a user fixes the file in
 * one go; the error names `file` and each exact key. Optional settings are filled with defaults.
 */
export function parseConfig(text: string, file: string = CONFIG_FILE): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalidJson(text, file, error);
  }

  const problems: ConfigProblem[] = [];
  const config = readConfig(raw, problems);
  if (problems.length > 0) throw invalidConfig(file, problems);
  return config;
}

/**
 * The file text written on `main`: two-space JSON with a trailing newline, short lists kept on
 * one line. Key order is the documented one so a reviewer finds settings where the README says.
 */
export function formatConfig(config: Config): string {
  const ordered = {
    version: config.version,
    environments: Object.fromEntries(
      Object.entries(config.environments).map(([name, env]) => [name, orderEnvironment(env)]),
    ),
    include: config.include,
    exclude: config.exclude,
    overrides: { lambda: config.overrides.lambda },
    ...(config.quota === undefined ? {} : { quota: config.quota }),
  };
  return formatJson(ordered, '') + '\n';
}

function orderEnvironment(env: EnvironmentConfig): Record<string, unknown> {
  return {
    instance: env.instance,
    region: env.region,
    ...(env.profile === undefined ? {} : { profile: env.profile }),
    ...(env.endpointUrl === undefined ? {} : { endpointUrl: env.endpointUrl }),
    naming: {
      lambda: { prefix: env.naming.lambda.prefix, suffix: env.naming.lambda.suffix },
      lex: { prefix: env.naming.lex.prefix, suffix: env.naming.lex.suffix },
    },
    include: env.include,
    exclude: env.exclude,
  };
}

const LINE_WIDTH = 100;

function formatJson(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every(isFlat);
    const oneLine = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    if (scalars && indent.length + oneLine.length <= LINE_WIDTH - 20) return oneLine;
    return `[\n${value.map((item) => inner + formatJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (entries.every(([, v]) => isFlat(v))) {
    const pairs = entries.map(([k, v]) => `${JSON.stringify(k)}: ${formatJson(v, inner)}`);
    const oneLine = `{ ${pairs.join(', ')} }`;
    if (indent.length + oneLine.length <= LINE_WIDTH - 20) return oneLine;
  }
  const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** Scalars and empty containers: what may share a line with its siblings. */
const isFlat = (value: unknown): boolean =>
  value === null ||
  typeof value !== 'object' ||
  (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0);

// ---- validation ------------------------------------------------------------------------------

const ROOT_KEYS = ['version', 'environments', 'include', 'exclude', 'overrides', 'quota'];
const ENVIRONMENT_KEYS = [
  'instance',
  'region',
  'profile',
  'endpointUrl',
  'naming',
  'include',
  'exclude',
];
const INSTANCE_ARN = /^arn:aws[a-z-]*:connect:([a-z0-9-]+):\d{12}:instance\/[0-9a-f-]+$/;

type Problems = ConfigProblem[];

function readConfig(raw: unknown, problems: Problems): Config {
  const config = defaultConfig();
  if (!isObject(raw)) {
    problems.push({ key: '(root)', message: 'must be a JSON object' });
    return config;
  }
  unknownKeys(raw, ROOT_KEYS, '', problems);

  if (!('version' in raw)) {
    problems.push({ key: 'version', message: `is missing: add "version": ${CONFIG_VERSION}` });
  } else if (raw.version !== CONFIG_VERSION) {
    problems.push({
      key: 'version',
      message:
        typeof raw.version === 'number' && raw.version > CONFIG_VERSION
          ? `is ${raw.version}, written by a newer connect-copy: upgrade connect-copy`
          : `must be ${CONFIG_VERSION}`,
    });
  }

  if ('environments' in raw) {
    if (isObject(raw.environments)) {
      for (const [name, value] of Object.entries(raw.environments)) {
        const key = keyPath('environments', name);
        if (!isEnvironmentName(name)) {
          problems.push({
            key,
            message:
              'is not a valid environment name: use 1 to 63 lower-case letters, digits and ' +
              'hyphens, starting with a letter or digit',
          });
          continue;
        }
        const env = readEnvironment(value, key, problems);
        if (env) config.environments[name] = env;
      }
    } else {
      problems.push({ key: 'environments', message: 'must be an object of environment names' });
    }
  }

  config.include = readGlobs(raw, 'include', '', problems) ?? config.include;
  config.exclude = readGlobs(raw, 'exclude', '', problems) ?? config.exclude;

  if ('overrides' in raw) config.overrides = readOverrides(raw.overrides, raw, problems);
  if ('quota' in raw) config.quota = readQuota(raw.quota, problems);
  return config;
}

function readQuota(raw: unknown, problems: Problems): Config['quota'] {
  if (!isObject(raw)) {
    problems.push({ key: 'quota', message: 'must be an object with "default" and "operations"' });
    return undefined;
  }
  unknownKeys(raw, ['default', 'operations'], 'quota', problems);
  const rate = (value: unknown, key: string): RateQuota | undefined => {
    const ok =
      isObject(value) &&
      typeof value.rate === 'number' &&
      value.rate > 0 &&
      typeof value.burst === 'number' &&
      Number.isInteger(value.burst) &&
      value.burst >= 1;
    if (!ok) {
      problems.push({
        key,
        message: 'must be { "rate": calls a second (> 0), "burst": a whole number >= 1 }',
      });
      return undefined;
    }
    return { rate: value.rate as number, burst: value.burst as number };
  };
  const quota: NonNullable<Config['quota']> = {};
  if ('default' in raw) quota.default = rate(raw.default, 'quota.default');
  if ('operations' in raw) {
    if (!isObject(raw.operations)) {
      problems.push({ key: 'quota.operations', message: 'must map operation names to quotas' });
    } else {
      quota.operations = {};
      for (const [operation, value] of Object.entries(raw.operations)) {
        const parsed = rate(value, keyPath('quota.operations', operation));
        if (parsed) quota.operations[operation] = parsed;
      }
    }
  }
  return quota;
}

function readEnvironment(
  raw: unknown,
  path: string,
  problems: Problems,
): EnvironmentConfig | undefined {
  if (!isObject(raw)) {
    problems.push({
      key: path,
      message: 'must be an object with at least "instance" and "region"',
    });
    return undefined;
  }
  unknownKeys(raw, ENVIRONMENT_KEYS, path, problems);

  const instance = readString(raw, 'instance', path, problems, true) ?? '';
  let region = readString(raw, 'region', path, problems, false);
  const arnRegion = INSTANCE_ARN.exec(instance)?.[1];
  if (region === undefined) {
    if (arnRegion) region = arnRegion;
    else if (!('region' in raw)) {
      problems.push({
        key: keyPath(path, 'region'),
        message: 'is missing: add the AWS region of the instance, e.g. "us-east-1"',
      });
    }
  } else if (!isRegionName(region)) {
    problems.push({
      key: keyPath(path, 'region'),
      message: `"${region}" is not an AWS region name such as "us-east-1"`,
    });
  }

  const env = defaultEnvironment(instance, region ?? '');
  const profile = readString(raw, 'profile', path, problems, false);
  if (profile !== undefined) env.profile = profile;
  const endpointUrl = readString(raw, 'endpointUrl', path, problems, false);
  if (endpointUrl !== undefined) {
    if (isEndpointUrl(endpointUrl)) env.endpointUrl = endpointUrl;
    else {
      problems.push({
        key: keyPath(path, 'endpointUrl'),
        message: `"${endpointUrl}" is not an http(s) URL such as "http://127.0.0.1:4566"`,
      });
    }
  }
  if ('naming' in raw) env.naming = readNaming(raw.naming, keyPath(path, 'naming'), problems);
  env.include = readGlobs(raw, 'include', path, problems) ?? env.include;
  env.exclude = readGlobs(raw, 'exclude', path, problems) ?? env.exclude;
  return env;
}

function readNaming(raw: unknown, path: string, problems: Problems): EnvironmentConfig['naming'] {
  const naming = defaultEnvironment('', '').naming;
  if (!isObject(raw)) {
    problems.push({ key: path, message: 'must be an object with "lambda" and/or "lex" rules' });
    return naming;
  }
  unknownKeys(raw, ['lambda', 'lex'], path, problems);
  for (const kind of ['lambda', 'lex'] as const) {
    if (!(kind in raw)) continue;
    const rulePath = keyPath(path, kind);
    const rule = raw[kind];
    if (!isObject(rule)) {
      problems.push({ key: rulePath, message: 'must be an object { "prefix", "suffix" }' });
      continue;
    }
    unknownKeys(rule, ['prefix', 'suffix'], rulePath, problems);
    naming[kind] = {
      prefix: readString(rule, 'prefix', rulePath, problems, false, true) ?? '',
      suffix: readString(rule, 'suffix', rulePath, problems, false, true) ?? '',
    };
  }
  return naming;
}

function readOverrides(
  raw: unknown,
  root: Record<string, unknown>,
  problems: Problems,
): Config['overrides'] {
  const overrides: Config['overrides'] = { lambda: {} };
  if (!isObject(raw)) {
    problems.push({ key: 'overrides', message: 'must be an object such as { "lambda": {} }' });
    return overrides;
  }
  unknownKeys(raw, ['lambda'], 'overrides', problems);
  if (!('lambda' in raw)) return overrides;
  if (!isObject(raw.lambda)) {
    problems.push({ key: 'overrides.lambda', message: 'must be an object of portable names' });
    return overrides;
  }
  const configured = isObject(root.environments) ? Object.keys(root.environments) : [];
  for (const [portable, perEnv] of Object.entries(raw.lambda)) {
    const path = keyPath('overrides.lambda', portable);
    if (!isObject(perEnv)) {
      problems.push({ key: path, message: 'must map environment names to function names' });
      continue;
    }
    const names: Record<string, string> = {};
    for (const [env, value] of Object.entries(perEnv)) {
      const envPath = keyPath(path, env);
      if (!configured.includes(env)) {
        problems.push({
          key: envPath,
          message:
            `"${env}" is not a configured environment` +
            (configured.length ? ` (configured: ${configured.join(', ')})` : ''),
        });
      } else if (typeof value !== 'string' || value === '') {
        problems.push({ key: envPath, message: 'must be a non-empty function name (string)' });
      } else {
        names[env] = value;
      }
    }
    overrides.lambda[portable] = names;
  }
  return overrides;
}

function readGlobs(
  raw: Record<string, unknown>,
  name: string,
  path: string,
  problems: Problems,
): string[] | undefined {
  if (!(name in raw)) return undefined;
  const value = raw[name];
  const key = keyPath(path, name);
  if (!Array.isArray(value)) {
    problems.push({ key, message: 'must be a list of glob patterns, e.g. ["flows/*"]' });
    return undefined;
  }
  const globs: string[] = [];
  value.forEach((item, index) => {
    if (typeof item === 'string' && item !== '') globs.push(item);
    else problems.push({ key: `${key}[${index}]`, message: 'must be a non-empty string' });
  });
  return globs;
}

function readString(
  raw: Record<string, unknown>,
  name: string,
  path: string,
  problems: Problems,
  required: boolean,
  allowEmpty = false,
): string | undefined {
  const key = keyPath(path, name);
  if (!(name in raw)) {
    if (required) problems.push({ key, message: 'is missing' });
    return undefined;
  }
  const value = raw[name];
  if (typeof value !== 'string') {
    problems.push({ key, message: `must be a string, not ${describe(value)}` });
    return undefined;
  }
  if (value === '' && !allowEmpty) {
    problems.push({ key, message: 'must not be empty' });
    return undefined;
  }
  return value;
}

function unknownKeys(
  raw: Record<string, unknown>,
  allowed: string[],
  path: string,
  problems: Problems,
): void {
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    problems.push({
      key: keyPath(path, key),
      message: `is not a known setting (expected one of: ${allowed.join(', ')})`,
    });
  }
}

function keyPath(parent: string, key: string): string {
  const part = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (!parent) return part;
  return part.startsWith('"') ? `${parent}[${part}]` : `${parent}.${part}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function invalidConfig(file: string, problems: ConfigProblem[]): ConnectCopyError {
  const lines = problems.map((problem) => `  ${problem.key}: ${problem.message}`);
  return new ConnectCopyError(
    'CONFIG_INVALID',
    `${file} is not a valid configuration:\n${lines.join('\n')}`,
    {
      exitCode: ExitCode.usage,
      data: { file, problems },
      suggestions: [`Fix ${file} (the README on main describes every setting) and commit it`],
    },
  );
}

function invalidJson(text: string, file: string, error: unknown): ConnectCopyError {
  const detail = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(detail);
  let where = '';
  const data: Record<string, unknown> = { file };
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    where = ` at line ${line}, column ${column}`;
    Object.assign(data, { line, column });
  }
  return new ConnectCopyError(
    'CONFIG_INVALID_JSON',
    `${file} is not valid JSON${where}: ${detail}`,
    {
      exitCode: ExitCode.usage,
      data,
      suggestions: [`Fix the JSON syntax in ${file} and commit it`],
    },
  );
}

/** This environment's Lambda overrides: portable name -> the real function name there. */
export function lambdaOverridesFor(config: Config, environment: string): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [portable, byEnvironment] of Object.entries(config.overrides.lambda)) {
    const real = byEnvironment[environment];
    if (real !== undefined) overrides[portable] = real;
  }
  return overrides;
}
