import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { initRepository } from '../../src/actions/init';
import { pullEnvironment, PullOptions } from '../../src/actions/pull';
import { SnapshotStore } from '../../src/store/git-store';
import { startEmulator, type TestEmulator } from './emulator';

export interface TestRepo {
  dir: string;
  store: SnapshotStore;
  remove(): void;
}

/** A fresh snapshot repository made by `init`, in a temporary folder. */
export async function makeRepo(): Promise<TestRepo> {
  const parent = mkdtempSync(join(tmpdir(), 'connect-copy-repo-'));
  const dir = join(parent, 'snapshots');
  await initRepository({ dir, version: 'test' });
  return {
    dir,
    store: new SnapshotStore(dir),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

export interface SeededInstance {
  Id: string;
  Account: string;
  Region: string;
}

/**
 * Pulls through the emulator with a dummy key naming the instance's account. The first pull of
 * an environment names the instance; later ones (`{ again: true }`) give only the name, as a CI
 * job would.
 */
export function pullFrom(
  emu: TestEmulator,
  repo: TestRepo,
  environment: string,
  instance: SeededInstance,
  extra: Partial<PullOptions> & { again?: boolean } = {},
) {
  const { again, ...options } = extra;
  return pullEnvironment({
    cwd: repo.dir,
    environment,
    instance: again ? undefined : instance.Id,
    region: again ? undefined : instance.Region,
    endpointUrl: again ? undefined : emu.url,
    clientOptions: {
      credentials: { accessKeyId: `AKIA${instance.Account}`, secretAccessKey: 'emulator-secret' },
      // Tests leave pacing to the emulator (throttling is off unless a test turns it on).
      quota: false,
    },
    ...options,
  });
}

const CONNECT_ARN =
  /arn:aws:connect:([a-z0-9-]+):(\d{12}):instance\/([0-9a-f-]{36})((?:\/[a-z-]+(?:\/agent)?\/)([0-9a-f-]{36}))?/g;

/**
 * Copies of exported files re-pointed at another instance: the instance id, account, region and
 * every resource id inside its Connect ARNs are replaced (consistently, everywhere they occur), as
 * if the same flows had been built by hand in a second instance.
 */
export function retargetedCopies(
  files: string[],
  target: { account: string; region: string },
): { files: string[]; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'connect-copy-retarget-'));
  const ids = new Map<string, string>();
  const fresh = (id: string) => {
    if (!ids.has(id)) ids.set(id, randomUUID());
    return ids.get(id)!;
  };
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  let source: { region: string; account: string } | undefined;
  for (const text of texts) {
    for (const match of text.matchAll(CONNECT_ARN)) {
      source ??= { region: match[1], account: match[2] };
      fresh(match[3]);
      if (match[5]) fresh(match[5]);
    }
  }
  const out = files.map((file, i) => {
    let text = texts[i].replace(CONNECT_ARN, (_all, _region, _account, instance, rest, id) => {
      const tail = rest ? rest.slice(0, rest.length - id.length) + fresh(id) : '';
      return `arn:aws:connect:${target.region}:${target.account}:instance/${fresh(instance)}${tail}`;
    });
    // Functions and bots of the instance's own account and region move with it.
    text = text.replace(
      new RegExp(`arn:aws:(lambda|lex):${source?.region}:${source?.account}:`, 'g'),
      `arn:aws:$1:${target.region}:${target.account}:`,
    );
    // The same ids also occur bare (a queue id in a parameter or attribute).
    for (const [from, to] of ids) text = text.split(from).join(to);
    const path = join(dir, basename(file));
    writeFileSync(path, text);
    return path;
  });
  return { files: out, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The hooks every end-to-end suite needs: one emulator for the suite, reset before each test,
 * and a fresh snapshot repository per test, removed after it.
 */
export function useEmulatorAndRepo(
  onEmulator: (emu: TestEmulator) => void,
  onRepo: (repo: TestRepo) => void,
): void {
  let emu: TestEmulator | undefined;
  let repo: TestRepo | undefined;
  before(async () => {
    emu = await startEmulator();
    onEmulator(emu);
  });
  after(() => emu?.stop());
  beforeEach(async () => {
    await emu!.control.reset();
    repo = await makeRepo();
    onRepo(repo);
  });
  afterEach(() => repo?.remove());
}
