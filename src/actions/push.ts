/**
 * `connect-copy push ENV`: make the instance match the branch. Plan first against a fresh read;
 * stop before any write on a conflict (exit 4), an unresolved reference (exit 5) or a problem;
 * then apply in dependency order under a journal, re-read, and commit the new ids.
 */
import { FOLDERS } from '../core/canonical';
import {
  INTEGRATIONS_FILE,
  MappingMove,
  moveMappingEntries,
  parseMapping,
} from '../core/env-files';
import { lambdaOverridesFor } from '../core/config';
import {
  Association,
  associate,
  findMissingAssociations,
  wantedIntegrations,
  withAssociations,
} from '../connect/integrations';
import { Mapping } from '../core/mapping';
import { LISTING_SUFFIX } from '../core/snapshot';
import { Plan, planPush, printablePlan } from '../core/plan';
import { ClientOptions } from '../connect/clients';
import { PushProgress, StepResult, applyPlan } from '../connect/writer';
import { ReadProgress } from '../connect/reader';
import { ConnectCopyError, ExitCode } from '../errors';
import { recordFingerprints } from '../store/fingerprints';
import { memoryJournal, openJournal } from '../store/journal';
import { MAPPING_FILE, clientsFor, openEnvironment, readRemote } from './environment';
import { fromLastRead, loadLastMapping, loadLastRead, reuseFromRead } from './reuse';

export interface PushOptions {
  cwd: string;
  environment: string;
  dryRun?: boolean;
  force?: boolean;
  /** Change settings of queues that already exist (off by default: live routing uses them). */
  updateExistingQueues?: boolean;
  include?: string[];
  exclude?: string[];
  /**
   * Plan these files instead of the branch head's (rollback plans an older commit's). A promise
   * lets the caller prepare them while the instance is read; nothing is planned or written before
   * it settles, and its failure is the push's.
   */
  files?: Map<string, string> | Promise<Map<string, string>>;
  message?: string;
  /** Plan from a read of every resource, taking nothing unchanged from the last pull. */
  full?: boolean;
  onReadProgress?: (event: ReadProgress) => void;
  onPushProgress?: (event: PushProgress) => void;
  clientOptions?: Partial<ClientOptions>;
}

export interface PushResult {
  environment: string;
  branch: string;
  dryRun: boolean;
  plan: ReturnType<typeof printablePlan>;
  /** What ran, per resource (empty for a dry run or an empty plan). */
  applied: StepResult[];
  /** Lambda functions and Lex bots associated with the instance (or, dry, that would be). */
  associations: Association[];
  /** The commit recording new ids, when the push created anything. */
  commit?: string;
  /** What the instance still needs by hand: phone numbers, caller IDs, prompts. */
  followUps: Plan['followUps'];
}

export async function pushEnvironment(options: PushOptions): Promise<PushResult> {
  const opened = await openEnvironment(options.cwd, options.environment);
  const { store, config, environment, branch } = opened;
  // The branch loads while the first pages are on their way. Its files still exactly as the last
  // read rendered them stand for what that read saw: a resource unchanged in the instance since
  // is planned from them, not described again.
  const last = loadLastRead(store, branch);
  const given = Promise.resolve(options.files);
  // Both awaited below; a failed read of the instance comes first.
  last.catch(() => undefined);
  given.catch(() => undefined);
  const journal = options.dryRun ? memoryJournal() : openJournal(store.gitdir, options.environment);

  const clients = clientsFor(environment, config, options.clientOptions);
  try {
    const remote = await readRemote(opened, clients, {
      onProgress: options.onReadProgress,
      ...fromLastRead(last, !options.full),
      previousMapping: loadLastMapping(store, branch),
    });
    const { previous: head, fingerprints: lastPulled, asRead, values } = await last;
    const files = (await given) ?? head;
    journal.assertInstance(remote.mapping.instance.id);
    const renames = renamesOf(files, remote.mapping);
    const associations = await findMissingAssociations(
      clients,
      remote.mapping,
      wantedIntegrations(files.get(INTEGRATIONS_FILE)),
      lambdaOverridesFor(config, options.environment),
    );
    const target = withAssociations(moveMappingEntries(remote.mapping, renames), associations);
    const plan = planPush({
      files,
      remote: { files: remote.files, mapping: target },
      lastPulled,
      include: [...config.include, ...environment.include, ...(options.include ?? [])],
      exclude: [...config.exclude, ...environment.exclude, ...(options.exclude ?? [])],
      force: options.force,
      updateExistingQueues: options.updateExistingQueues,
      resumed: journal.touched(),
      renames,
      parsed: new Map([...values].map(([path, value]) => [asRead.get(path)!, value])),
    });
    const result = {
      environment: options.environment,
      branch,
      dryRun: Boolean(options.dryRun),
      plan: printablePlan(plan),
      applied: [] as StepResult[],
      associations,
      followUps: plan.followUps,
    };
    refuseBlockedPlan(plan, options.environment);
    const writes = plan.summary.create + plan.summary.update + associations.length;
    if (options.dryRun || writes === 0) {
      if (!options.dryRun) await journal.remove();
      return result;
    }

    // Flows publish only once what they call is associated.
    await associate(clients, target.instance.id, associations);

    const applied = await applyPlan(clients, plan, {
      instanceId: target.instance.id,
      mapping: target,
      journal,
      onProgress: options.onPushProgress,
    });

    // The instance now holds what the branch says; what it reads back (new ids, fingerprints of
    // what was written) is recorded so the next plan is empty and the next pull commits nothing.
    const after = await readRemote(opened, clients, {
      reuse: reuseFromRead(remote.raw),
      previousFiles: remote.files,
    });
    const commit = await store.commitFiles(
      branch,
      new Map([[MAPPING_FILE, after.files.get(MAPPING_FILE)!]]),
      options.message ?? pushMessage(options.environment, applied.results, associations),
      { base: 'keep' },
    );
    const written = new Set(applied.results.map((r) => r.key));
    await recordFingerprints(
      store,
      branch,
      commit ?? (await store.resolveRef(branch)),
      'push',
      fingerprintsAfterPush(lastPulled, after.fingerprints, written),
      after.files,
    );
    await journal.remove();
    return { ...result, applied: applied.results, commit };
  } finally {
    clients.close();
  }
}

/**
 * What the note says after a push: for what the push wrote, the instance as read back; for the
 * rest, what the last pull saw. A resource the push did not write that someone changed in the
 * console meanwhile (left out by --exclude, or changed while the push ran) then still differs
 * from the note, and the next push stops on it instead of overwriting it.
 */
function fingerprintsAfterPush(
  lastPulled: Record<string, string>,
  read: Record<string, string>,
  written: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(read)) {
    const resource = key.endsWith(LISTING_SUFFIX) ? key.slice(0, -LISTING_SUFFIX.length) : key;
    if (written.has(resource) || lastPulled[resource] === undefined) out[key] = value;
    else if (lastPulled[key] !== undefined) out[key] = lastPulled[key];
  }
  return out;
}

function refuseBlockedPlan(plan: Plan, environment: string): void {
  const printable = printablePlan(plan);
  if (plan.conflicts.length > 0 && plan.blocked) {
    const names = plan.conflicts.map((c) => c.key);
    throw new ConnectCopyError(
      'CONFLICT',
      `${names.length} resource(s) changed in the console since the last pull of ${environment}: ` +
        `${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}. Nothing was written.`,
      {
        exitCode: ExitCode.conflict,
        data: { conflicts: plan.conflicts, plan: printable },
        suggestions: [
          `connect-copy status ${environment}`,
          `connect-copy pull ${environment}  (take the console's changes into the branch)`,
          `connect-copy push ${environment} --force  (overwrite them)`,
        ],
      },
    );
  }
  if (plan.unresolved.length > 0) {
    const first = plan.unresolved[0];
    throw new ConnectCopyError(
      'UNRESOLVED_REFERENCES',
      `${plan.unresolved.length} reference(s) name nothing in ${environment}, first ` +
        `${first.token} in ${first.file} at ${first.path}. Nothing was written.`,
      {
        exitCode: ExitCode.unresolvedReferences,
        data: { unresolved: plan.unresolved, plan: printable },
        suggestions: [
          `create what is missing in ${environment}'s instance (prompts, Lambda functions and ` +
            'Lex ' +
            'bots are set up per environment), or add a naming rule or override in ' +
            `connect-copy.json; then connect-copy pull ${environment} and run the same command ` +
            'again',
          `connect-copy validate ${environment} lists every reference the branch cannot resolve`,
        ],
      },
    );
  }
  if (plan.blocked) {
    throw new ConnectCopyError(
      'PLAN_PROBLEMS',
      `The push of ${environment} cannot run: ${plan.problems.map((p) => p.message).join('; ')}`,
      {
        exitCode: ExitCode.usage,
        data: { problems: plan.problems, plan: printable },
        suggestions: [`connect-copy validate ${environment}`],
      },
    );
  }
}

/**
 * Flows and modules the branch's mapping lists under another name than the instance does, by
 * id: a rename copied from the source (or undone by a rollback), to be done in place.
 */
function renamesOf(files: Map<string, string>, remote: Mapping): MappingMove[] {
  const branch = parseMapping(files.get(MAPPING_FILE), MAPPING_FILE);
  if (!branch) return [];
  const moves: MappingMove[] = [];
  for (const kind of ['flow', 'module'] as const) {
    const remoteNames = new Map(
      Object.entries(remote.resources[kind] ?? {}).map(([name, entry]) => [entry.id, name]),
    );
    for (const [name, entry] of Object.entries(branch.resources[kind] ?? {})) {
      const now = entry.id === undefined ? undefined : remoteNames.get(entry.id);
      if (now === undefined || now === name || remote.resources[kind]?.[name]) continue;
      moves.push({ kind, folder: FOLDERS[kind], from: now, to: name });
    }
  }
  return moves;
}

function pushMessage(
  environment: string,
  results: StepResult[],
  associations: Association[],
): string {
  const created = results.filter((r) => r.action === 'create');
  const updated = results.filter((r) => r.action === 'update');
  const lines = [
    ...associations.map((a) => `- associated ${a.kind} ${a.name}`),
    ...created.map((r) => `- created ${r.key}`),
    ...updated.map((r) => `- updated ${r.key}`),
  ];
  return (
    `push ${environment}: ${created.length} created, ${updated.length} updated\n\n` +
    `${lines.slice(0, 100).join('\n')}\n`
  );
}
