/**
 * `connect-copy demo`: the whole job on the embedded emulator, no AWS account needed. A dev
 * instance imported from bundled real flows, an empty prod instance in another account and
 * region, a snapshot repository, pull both, diff, copy with a dry run and for real, pull prod
 * again and show that the two environments now match.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Emulator } from '../emulator/server';
import { seedInstanceFromDirectory } from '../emulator/seed';
import { ConnectCopyError, ExitCode } from '../errors';
import { SnapshotStore } from '../store/git-store';
import { diffAction, DiffResult } from './compare';
import { copyAction, CopyResult } from './copy';
import { initRepository } from './init';
import { pullEnvironment, PullResult } from './pull';

/** The bundled real exports the dev instance is imported from (see test/fixtures/corpus). */
const DEV_EXPORTS = ['flows/zhangyuezhong__amazonconnectvoicemail__Voicemail.json'];
const PROD = { account: '444455556666', region: 'eu-west-2', alias: 'demo-prod' };

export interface DemoStep {
  title: string;
  /** What a user would type to do this step themselves. */
  command: string;
  output: string;
}

export interface DemoResult {
  dir: string;
  emulator: string;
  /** The emulator's state when the demo ended, to serve the same instances again. */
  emulatorState: string;
  steps: DemoStep[];
  pulls: PullResult[];
  diffBefore: DiffResult;
  copy: CopyResult;
  diffAfter: DiffResult;
}

export interface DemoOptions {
  /** Where to create the snapshot repository; a new temporary folder by default. */
  dir?: string;
  /** Root of the installed package, where test/fixtures/corpus lives. */
  packageRoot: string;
  version: string;
  onStep?: (step: DemoStep) => void;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const dir = resolve(
    options.dir ?? join(mkdtempSync(join(tmpdir(), 'connect-copy-demo-')), 'snapshots'),
  );
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ConnectCopyError(
      'DEMO_DIR_NOT_EMPTY',
      `${dir} is not empty; the demo needs a new folder.`,
      {
        exitCode: ExitCode.usage,
        suggestions: ['connect-copy demo --dir ./connect-copy-demo', 'connect-copy demo'],
      },
    );
  }
  // Saved on stop, so `connect-copy emulator --state FILE --port PORT` serves the same two
  // instances again and the repository's recorded endpoint keeps working.
  const emulatorState = `${dir}-emulator.json`;
  const emulator = new Emulator({ logUnknownRoutes: true, stateFile: emulatorState });
  const url = await emulator.start();
  const steps: DemoStep[] = [];
  const step = (title: string, command: string, output: string) => {
    const s = { title, command, output };
    steps.push(s);
    options.onStep?.(s);
  };
  // The demo's credentials name each account (see docs/emulator.md); nothing leaves 127.0.0.1.
  const as = (account: string) => ({
    credentials: { accessKeyId: `AKIA${account}`, secretAccessKey: 'emulator' },
  });

  try {
    // dev's account and region come from the ARNs in the exported flow.
    const dev = await seedFolder(emulator, options.packageRoot, { alias: 'demo-dev' }, DEV_EXPORTS);
    const init = await initRepository({ dir, version: options.version, environments: [] });
    step(
      'Start the emulator with a dev instance imported from a real exported flow',
      'connect-copy emulator --seed <folder of exported flows>',
      `${url}\n  dev ${dev.id} (account ${dev.account}, ${dev.region})`,
    );
    step(
      'Create a snapshot repository',
      `connect-copy init ${dir}`,
      `main at ${init.commit.slice(0, 7)}`,
    );

    const pulls: PullResult[] = [];
    const pull = async (name: string, instance: SeededIdentity) => {
      const pulled = await pullEnvironment({
        cwd: dir,
        environment: name,
        instance: instance.id,
        region: instance.region,
        endpointUrl: url,
        clientOptions: as(instance.account),
      });
      pulls.push(pulled);
      step(
        `Pull ${name}`,
        `connect-copy pull ${name} --instance ${instance.id} --region ${instance.region} ` +
          `--endpoint-url ${url}`,
        `${Object.entries(pulled.counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}; commit ${pulled.commit?.slice(0, 7)} on env/${name}`,
      );
      return pulled;
    };
    await pull('dev', dev);

    // prod is set up the way teams prepare a target: its own prompts and its own Lambda
    // functions (named prod-*) exist before the first copy.
    const store = await SnapshotStore.open(dir);
    const mapping = JSON.parse((await store.readFile('env/dev', 'mapping.json'))!) as {
      resources: Record<string, Record<string, unknown>>;
    };
    const names = (kind: string) => Object.keys(mapping.resources[kind] ?? {});
    const prod = await seedFolder(emulator, options.packageRoot, PROD, [], {
      resources: {
        prompts: names('prompt'),
        lambdaFunctions: names('lambda').map((name) => `prod-${name}`),
      },
    });
    step(
      'Add an empty prod instance in another account and region',
      'connect-copy emulator --seed <folder with an instance.json>',
      `prod ${prod.id} (account ${prod.account}, ${prod.region}), with ${names('prompt').length} ` +
        `prompts and ${names('lambda').length} Lambda function(s) named prod-*`,
    );
    await pull('prod', prod);
    // Recorded before prod's files are read again, so its functions get their portable names.
    const settings = await store.readConfig();
    settings.environments.prod.naming.lambda.prefix = 'prod-';
    await store.writeConfig(settings, 'prod names its Lambda functions prod-*');
    await pullEnvironment({ cwd: dir, environment: 'prod', clientOptions: as(prod.account) });
    step(
      "Record prod's naming rule for Lambda functions (prod-*) in connect-copy.json, pull again",
      'edit connect-copy.json on main, commit, then: connect-copy pull prod',
      'the function prod-ac-voicemail-lambda is now known by its portable name ac-voicemail-lambda',
    );

    const diffBefore = await diffAction({ cwd: dir, a: 'dev', b: 'prod' });
    step(
      'Compare the environments',
      'connect-copy diff dev prod --stat',
      summarizeDiff(diffBefore),
    );

    const dry = await copyAction({
      cwd: dir,
      from: 'dev',
      to: 'prod',
      dryRun: true,
      push: true,
      pushOptions: { clientOptions: as(PROD.account) },
    });
    step(
      'Copy dev to prod, dry run: nothing is committed or written',
      'connect-copy copy dev prod --push --dry-run',
      `${dry.summary.resources.filter((r) => r.change !== 'unchanged').length} resource(s) ` +
        `would change; the push would create ${dry.push!.plan.summary.create} and update ` +
        `${dry.push!.plan.summary.update}`,
    );

    const copy = await copyAction({
      cwd: dir,
      from: 'dev',
      to: 'prod',
      push: true,
      pushOptions: { clientOptions: as(PROD.account) },
    });
    step(
      'Copy dev to prod for real, and push prod',
      'connect-copy copy dev prod --push',
      `commit ${copy.commit?.slice(0, 7)} "copy dev@${copy.source.slice(0, 7)} to prod"; ` +
        `${copy.push!.applied.length} resource(s) written to prod` +
        (copy.push!.followUps.length
          ? `\n  still to do by hand: ${copy.push!.followUps.map((f) => f.message).join('; ')}`
          : ''),
    );

    const again = await pullEnvironment({
      cwd: dir,
      environment: 'prod',
      clientOptions: as(PROD.account),
    });
    pulls.push(again);
    const diffAfter = await diffAction({ cwd: dir, a: 'dev', b: 'prod' });
    step(
      'Pull prod again and compare: the environments now match outside mapping.json',
      'connect-copy pull prod && connect-copy diff dev prod',
      summarizeDiff(diffAfter),
    );
    return { dir, emulator: url, emulatorState, steps, pulls, diffBefore, copy, diffAfter };
  } finally {
    await emulator.stop();
  }
}

interface SeededIdentity {
  id: string;
  account: string;
  region: string;
}

async function seedFolder(
  emulator: Emulator,
  packageRoot: string,
  env: { account?: string; region?: string; alias: string },
  exports: string[],
  extra: Record<string, unknown> = {},
): Promise<SeededIdentity> {
  const folder = mkdtempSync(join(tmpdir(), 'connect-copy-seed-'));
  await mkdir(folder, { recursive: true });
  for (const file of exports) {
    await cp(
      join(packageRoot, 'test', 'fixtures', 'corpus', file),
      join(folder, file.split('/').pop()!),
    );
  }
  await writeFile(
    join(folder, 'instance.json'),
    JSON.stringify({ alias: env.alias, account: env.account, region: env.region, ...extra }),
  );
  const { instance } = await seedInstanceFromDirectory(emulator.state, folder);
  await rm(folder, { recursive: true, force: true });
  return { id: instance.Id, account: instance.Account, region: instance.Region };
}

function summarizeDiff(diff: DiffResult): string {
  const { added, removed, changed } = diff.counts;
  if (added + removed + changed === 0) {
    return `no difference outside mapping.json (${diff.counts.unchanged} resources equal)`;
  }
  const side = { added: 'only in prod', removed: 'only in dev', changed: 'different' };
  const lines = diff.resources
    .slice(0, 12)
    .map((r) => `  ${side[r.change]}: ${r.folder}/${r.name}`);
  if (diff.resources.length > 12) lines.push(`  … and ${diff.resources.length - 12} more`);
  const counts = `only in dev: ${removed}, only in prod: ${added}, different: ${changed}`;
  return [counts, ...lines].join('\n');
}
