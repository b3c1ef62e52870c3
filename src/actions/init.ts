/**
 * `connect-copy init`: a new snapshot repository whose `main` holds the configuration and a
 * README explaining the layout, both rendered from templates/.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  CONFIG_FILE,
  assertEnvironmentName,
  defaultEnvironment,
  formatConfig,
  isEndpointUrl,
  isRegionName,
  parseConfig,
} from '../core/config';
import { ConnectCopyError, ExitCode } from '../errors';
import { MAIN_BRANCH, SnapshotStore } from '../store/git-store';

export const README_FILE = 'README.md';

export interface InitOptions {
  dir: string;
  /** `name=instance` pairs, as given to `--env`. */
  environments?: string[];
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** The connect-copy version, recorded in the README. */
  version: string;
  date?: Date;
}

export interface InitResult {
  dir: string;
  branch: string;
  commit: string;
  files: string[];
  environments: string[];
}

export async function initRepository(options: InitOptions): Promise<InitResult> {
  if (options.dir.trim() === '') {
    throw new ConnectCopyError('INVALID_DIR', 'The repository folder is an empty string.', {
      exitCode: ExitCode.usage,
      suggestions: ['connect-copy init connect-snapshots', 'connect-copy init . (this folder)'],
    });
  }
  const dir = path.resolve(options.dir);
  const configText = await renderConfig(options);
  const readme = renderTemplate(await readTemplate(README_FILE), { version: options.version });

  const files = new Map([
    [CONFIG_FILE, configText],
    [README_FILE, readme],
  ]);
  const store = existsSync(path.join(dir, '.git'))
    ? await refuseInitialised(new SnapshotStore(dir))
    : await SnapshotStore.init(refuseFilesInTheWay(dir, [...files.keys()]));
  const commit = await store.commitFiles(
    MAIN_BRANCH,
    files,
    'Initialise the connect-copy snapshot repository',
    { date: options.date },
  );
  // The branch is new and the files are not empty, so a commit is always made.
  if (commit === undefined) throw new Error('init made no commit');

  return {
    dir,
    branch: MAIN_BRANCH,
    commit,
    files: [...files.keys()].sort(),
    environments: Object.keys(parseConfig(configText).environments),
  };
}

/** Splits an `--env` value `name=instance`. */
export function parseEnvironmentFlag(value: string): { name: string; instance: string } {
  const equals = value.indexOf('=');
  const name = equals < 0 ? '' : value.slice(0, equals);
  const instance = equals < 0 ? '' : value.slice(equals + 1);
  if (!name || !instance) {
    throw invalidFlag(
      'env',
      value,
      'expected NAME=INSTANCE, for example --env dev=my-dev-instance (alias, id or ARN)',
    );
  }
  assertEnvironmentName(name);
  return { name, instance };
}

/**
 * Replaces `{{name}}` placeholders. Only word characters count as a placeholder name, so the
 * README's token examples (`{{cc:arn:queue:Sales}}`) are left as they are.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return value;
  });
}

/** templates/ sits at the package root, next to dist/ (the compiled code) and package.json. */
export function templatesDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates');
    if (
      existsSync(path.join(candidate, CONFIG_FILE)) &&
      existsSync(path.join(dir, 'package.json'))
    ) {
      return candidate;
    }
    if (path.dirname(dir) === dir) throw new Error(`templates/ not found above ${__dirname}`);
  }
}

async function readTemplate(name: string): Promise<string> {
  return readFile(path.join(templatesDir(), name), 'utf8');
}

async function renderConfig(options: InitOptions): Promise<string> {
  const config = parseConfig(await readTemplate(CONFIG_FILE), `templates/${CONFIG_FILE}`);
  const requested = (options.environments ?? []).map(parseEnvironmentFlag);
  if (requested.length > 0 && !options.region) {
    throw new ConnectCopyError('MISSING_FLAG', '--region is required with --env.', {
      exitCode: ExitCode.usage,
      data: { flag: 'region' },
      suggestions: ['connect-copy init --env dev=my-dev-instance --region us-east-1'],
    });
  }
  if (options.region !== undefined && !isRegionName(options.region)) {
    throw invalidFlag('region', options.region, 'is not an AWS region name such as us-east-1');
  }
  if (options.endpointUrl !== undefined && !isEndpointUrl(options.endpointUrl)) {
    throw invalidFlag('endpoint-url', options.endpointUrl, 'is not an http(s) URL');
  }
  for (const { name, instance } of requested) {
    if (config.environments[name]) {
      throw invalidFlag('env', name, 'is given twice');
    }
    const env = defaultEnvironment(instance, options.region ?? '');
    if (options.profile) env.profile = options.profile;
    if (options.endpointUrl) env.endpointUrl = options.endpointUrl;
    config.environments[name] = env;
  }
  return formatConfig(config);
}

function invalidFlag(flag: string, value: string, problem: string): ConnectCopyError {
  return new ConnectCopyError('INVALID_FLAG', `--${flag} ${value}: ${problem}.`, {
    exitCode: ExitCode.usage,
    data: { flag, value },
  });
}

/** Checked before `git init`, so a refused init leaves no half-made repository behind. */
function refuseFilesInTheWay(dir: string, names: string[]): string {
  const present = names.filter((name) => existsSync(path.join(dir, name)));
  if (present.length === 0) return dir;
  throw new ConnectCopyError(
    'FILES_IN_THE_WAY',
    `${dir} already has ${present.join(' and ')}, which connect-copy init would overwrite.`,
    {
      exitCode: ExitCode.repositoryState,
      data: { dir, paths: present },
      suggestions: ['connect-copy init NEW_DIRECTORY', `Move ${present.join(' and ')} away`],
    },
  );
}

async function refuseInitialised(store: SnapshotStore): Promise<SnapshotStore> {
  if (!(await store.branchExists(MAIN_BRANCH))) {
    await store.adoptUnbornHead(MAIN_BRANCH);
    return store;
  }
  const initialised = (await store.readFile(MAIN_BRANCH, CONFIG_FILE)) !== undefined;
  throw new ConnectCopyError(
    initialised ? 'ALREADY_INITIALISED' : 'MAIN_EXISTS',
    initialised
      ? `${store.dir} is already a connect-copy snapshot repository (${CONFIG_FILE} is on ` +
          `${MAIN_BRANCH}).`
      : `${store.dir} is a git repository whose branch ${MAIN_BRANCH} already exists; ` +
          'connect-copy init needs a new directory or a repository without that branch.',
    {
      exitCode: ExitCode.repositoryState,
      data: { dir: store.dir },
      suggestions: initialised
        ? [`Edit ${CONFIG_FILE} on ${MAIN_BRANCH} to add environments`, 'connect-copy pull ENV']
        : ['connect-copy init NEW_DIRECTORY'],
    },
  );
}
