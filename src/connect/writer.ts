/**
 * Carries out a push plan against an instance with @aws-sdk/client-connect. Requests are built
 * from the writable fields of the branch files only, with every token resolved against the target
 * mapping plus what this push has created so far. Every write is journaled before and after, so
 * running push again after an interruption skips what was done and never creates twice.
 */
import {
  AssociateQueueQuickConnectsCommand,
  AssociateRoutingProfileQueuesCommand,
  CreateContactFlowCommand,
  CreateContactFlowModuleCommand,
  CreateHoursOfOperationCommand,
  CreateQueueCommand,
  CreateRoutingProfileCommand,
  DisassociateRoutingProfileQueuesCommand,
  ListQueueQuickConnectsCommand,
  ListRoutingProfileQueuesCommand,
  SearchContactFlowModulesCommand,
  SearchContactFlowsCommand,
  SearchHoursOfOperationsCommand,
  SearchQueuesCommand,
  SearchRoutingProfilesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContactFlowContentCommand,
  UpdateContactFlowMetadataCommand,
  UpdateContactFlowModuleContentCommand,
  UpdateContactFlowModuleMetadataCommand,
  UpdateHoursOfOperationCommand,
  UpdateQueueHoursOfOperationCommand,
  UpdateQueueMaxContactsCommand,
  UpdateQueueNameCommand,
  UpdateQueueOutboundCallerConfigCommand,
  UpdateQueueStatusCommand,
  UpdateRoutingProfileAgentAvailabilityTimerCommand,
  UpdateRoutingProfileConcurrencyCommand,
  UpdateRoutingProfileDefaultOutboundQueueCommand,
  UpdateRoutingProfileNameCommand,
  UpdateRoutingProfileQueuesCommand,
  type ContactFlowType,
  type HoursOfOperationConfig,
  type MediaConcurrency,
  type OutboundCallerConfig,
  type RoutingProfileQueueConfig,
  type RoutingProfileQueueReference,
} from '@aws-sdk/client-connect';
import { createHash } from 'node:crypto';
import stableStringify from 'json-stable-stringify';
import { ConnectCopyError, ExitCode } from '../errors';
import {
  callerIdResolves,
  jsonEqual,
  type Plan,
  type PlanStep,
  type PushKind,
  type ResourceBody,
} from '../core/plan';
import { MappingIndex, type Mapping } from '../core/mapping';
import { resolve, type Json } from '../core/tokens';
import type { JournalResult, PushJournal } from '../store/journal';
import type { Clients } from './clients';
import { translateError } from './errors';

export interface PushProgress {
  /** Steps finished, of `total` writes in the plan. */
  done: number;
  total: number;
  key: string;
  operation: string;
}

export interface ApplyContext {
  instanceId: string;
  /** The target mapping as read with the plan; a copy is returned with what push created. */
  mapping: Mapping;
  journal: PushJournal;
  onProgress?: (event: PushProgress) => void;
}

export interface StepResult {
  kind: PushKind;
  name: string;
  key: string;
  action: 'create' | 'update';
  /** API operations that ran for this resource in this run (skipped journal entries excluded). */
  operations: string[];
  id?: string;
  arn?: string;
}

export interface ApplyResult {
  mapping: Mapping;
  results: StepResult[];
}

/** Connect's batch limits per call. */
const ROUTING_QUEUE_BATCH = 10;
const QUICK_CONNECT_BATCH = 50;

/**
 * Placeholders for members of reference cycles. A SAVED flow is not validated, so one action is
 * enough; a module is validated on create (no Status parameter), so it ends properly.
 */
const STUB_FLOW = {
  Version: '2019-10-30',
  StartAction: 'connect-copy-stub',
  Actions: [
    {
      Identifier: 'connect-copy-stub',
      Type: 'DisconnectParticipant',
      Parameters: {},
      Transitions: {},
    },
  ],
};
const STUB_MODULE = {
  Version: '2019-10-30',
  StartAction: 'connect-copy-stub',
  Actions: [
    {
      Identifier: 'connect-copy-stub',
      Type: 'EndFlowModuleExecution',
      Parameters: {},
      Transitions: {},
    },
  ],
};

export async function applyPlan(
  clients: Clients,
  plan: Plan,
  context: ApplyContext,
): Promise<ApplyResult> {
  if (plan.blocked) {
    throw new ConnectCopyError(
      'PUSH_BLOCKED',
      'The push plan has unresolved references, conflicts or problems; nothing was written.',
      {
        exitCode: plan.unresolved.length > 0 ? ExitCode.unresolvedReferences : ExitCode.conflict,
        data: {
          unresolved: plan.unresolved,
          conflicts: plan.conflicts,
          problems: plan.problems,
        },
        suggestions: ['run push with --dry-run to see the plan and what blocks it'],
      },
    );
  }
  context.journal.assertInstance(context.instanceId);
  const writer = new Writer(clients, plan, context);
  await writer.run();
  await context.journal.remove();
  return { mapping: writer.mapping, results: writer.results };
}

/**
 * Steps in flight at once. Connect paces every operation on its own bucket (about 2 calls/s, see
 * clients.ts), so a few steps per kind keep each bucket busy; more only lengthens the list of
 * half-done steps a failure leaves for the next run to resume.
 */
const MAX_IN_FLIGHT = 16;

/** One unit of scheduling: a step's write, or the placeholder of a reference cycle's member. */
interface Job {
  step: PlanStep;
  stub: boolean;
  /** Position in plan order: the earlier step goes first when several are ready. */
  order: number;
  /** Jobs that must finish before this one starts. */
  waitingFor: number;
  /** Jobs that wait for this one. */
  unblocks: Job[];
}

class Writer {
  readonly mapping: Mapping;
  /** One per write, in plan order whatever order the writes finish in. */
  readonly results: StepResult[];
  private readonly resultByKey: Map<string, StepResult>;
  /** Lookups over `mapping`, kept in step with it as resources are created. */
  private index: MappingIndex;
  private readonly writes: PlanStep[];
  private done = 0;

  constructor(
    private readonly clients: Clients,
    private readonly plan: Plan,
    private readonly context: ApplyContext,
  ) {
    this.mapping = structuredClone(context.mapping);
    this.index = new MappingIndex(this.mapping);
    this.writes = plan.steps.filter((s) => s.action !== 'unchanged');
    this.results = this.writes.map((step) => ({
      kind: step.kind,
      name: step.name,
      key: step.key,
      action: step.action === 'create' ? 'create' : 'update',
      operations: [],
    }));
    this.resultByKey = new Map(this.results.map((r) => [r.key, r]));
  }

  /**
   * Runs every job as soon as the jobs it waits for are done, up to MAX_IN_FLIGHT at once. After
   * the first failure nothing new starts; what is in flight settles (so its journal records are
   * written) and the first error is thrown.
   */
  async run(): Promise<void> {
    const jobs = this.jobs();
    const ready = jobs.filter((job) => job.waitingFor === 0);
    const inFlight = new Map<PushKind, number>();
    const running = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    let finished = 0;

    const start = (job: Job) => {
      inFlight.set(job.step.kind, (inFlight.get(job.step.kind) ?? 0) + 1);
      const settled: Promise<void> = this.runJob(job)
        .then(
          () => {
            finished++;
            for (const next of job.unblocks) if (--next.waitingFor === 0) ready.push(next);
          },
          (error: unknown) => {
            failure ??= { error };
          },
        )
        .finally(() => {
          inFlight.set(job.step.kind, inFlight.get(job.step.kind)! - 1);
          running.delete(settled);
        });
      running.add(settled);
    };

    while (failure === undefined) {
      while (running.size < MAX_IN_FLIGHT && ready.length > 0) {
        start(ready.splice(nextJob(ready, inFlight), 1)[0]);
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
    await Promise.allSettled(running);
    if (failure) throw failure.error;
    if (finished < jobs.length) {
      const stuck = jobs.filter((job) => job.waitingFor > 0).map((job) => job.step.key);
      throw new ConnectCopyError(
        'PUSH_UNORDERED',
        `Push could not order these writes: ${stuck.join(', ')}. Nothing after them was written.`,
        { exitCode: ExitCode.internal, data: { resources: stuck } },
      );
    }
  }

  /**
   * A step waits for the steps that create what it references. Every member of a reference cycle
   * gets its stub (an id) before any member gets content that names another; the stubs wait for
   * whatever the cycle references outside itself.
   */
  private jobs(): Job[] {
    const job = (step: PlanStep, stub: boolean, order: number): Job => ({
      step,
      stub,
      order,
      waitingFor: 0,
      unblocks: [],
    });
    const writeJobs = this.writes.map((step, i) => job(step, false, i));
    const writeOf = new Map(writeJobs.map((j) => [j.step.key, j]));
    const wait = (before: Job, after: Job) => {
      before.unblocks.push(after);
      after.waitingFor++;
    };
    const onCycle = (step: PlanStep) => step.stub === true && step.cycle !== undefined;
    const cycles = new Map<number, Job[]>();
    for (const j of writeJobs.filter((j) => onCycle(j.step))) {
      cycles.set(j.step.cycle!, [...(cycles.get(j.step.cycle!) ?? []), j]);
    }

    const stubJobs: Job[] = [];
    for (const members of cycles.values()) {
      const keys = new Set(members.map((m) => m.step.key));
      const outside = new Set(
        members.flatMap((m) => m.step.dependsOn).filter((key) => !keys.has(key)),
      );
      const stubs = members.map((m) => job(m.step, true, m.order));
      for (const stub of stubs) {
        for (const key of outside) {
          const before = writeOf.get(key);
          if (before) wait(before, stub);
        }
        for (const member of members) wait(stub, member);
      }
      stubJobs.push(...stubs);
    }
    for (const j of writeJobs.filter((j) => !onCycle(j.step))) {
      for (const key of j.step.dependsOn) {
        const before = writeOf.get(key);
        if (before && before !== j) wait(before, j);
      }
    }
    return [...stubJobs, ...writeJobs];
  }

  private async runJob(job: Job): Promise<void> {
    const { step } = job;
    if (job.stub) {
      await this.stub(step);
    } else {
      await this.write(step);
      this.done++;
      this.context.onProgress?.({
        done: this.done,
        total: this.writes.length,
        key: step.key,
        operation: step.action,
      });
    }
    const result = this.resultByKey.get(step.key)!;
    const entry = this.mapping.resources[step.kind]?.[step.name];
    if (entry?.id) result.id = entry.id;
    if (entry?.arn) result.arn = entry.arn;
  }

  private body(step: PlanStep): { desired: ResourceBody; current?: ResourceBody } {
    return this.plan.bodies[step.key];
  }

  // ---- journaled operations -------------------------------------------------------------

  /**
   * One write. A journaled `done` is skipped (a create's result is taken from the journal); a
   * `started` create whose result was never recorded is looked up by name first, because the
   * process may have died after Connect created it.
   */
  private async op(
    step: PlanStep,
    operation: string,
    call: (resumed: boolean) => Promise<JournalResult | void>,
    lookup?: () => Promise<JournalResult | undefined>,
    payload?: unknown,
  ): Promise<void> {
    const key = `${step.key}#${operation}`;
    const digest = this.digest(step, payload);
    const record = this.context.journal.get(key);
    // A create that is done stays done; other writes are redone if the branch changed since.
    if (record?.state === 'done' && (record.result || record.digest === digest)) {
      if (record.result) this.register(step, record.result);
      return;
    }
    if (record?.state === 'started' && lookup) {
      const found = await this.guard(step, operation, lookup);
      if (found) {
        await this.context.journal.finish(key, found);
        this.register(step, found);
        return;
      }
    }
    await this.context.journal.begin(
      { key, resource: step.key, operation, digest },
      this.context.instanceId,
    );
    const result = await this.guard(step, operation, () => call(record?.state === 'started'));
    this.resultByKey.get(step.key)!.operations.push(operation);
    await this.context.journal.finish(key, result ?? undefined);
    if (result) this.register(step, result);
  }

  /**
   * What a journaled write was meant to do: the branch's body, and for writes whose arguments
   * depend on the instance's state (which queues to add, which tags to set) those arguments too,
   * so a re-run that has to send other ones under the same name does not take them as done.
   */
  private digest(step: PlanStep, payload?: unknown): string {
    const hash = createHash('sha256').update(
      stableStringify(this.plan.bodies[step.key].desired) ?? '',
    );
    if (payload !== undefined) hash.update('\n').update(stableStringify(payload) ?? '');
    return hash.digest('hex');
  }

  private async guard<T>(step: PlanStep, operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ConnectCopyError && error.code.startsWith('PUSH_')) throw error;
      const cause = translateError(error, { ...this.clients.context });
      throw new ConnectCopyError(
        'PUSH_WRITE_FAILED',
        `Push stopped at ${step.kind} "${step.name}" (${step.path}), ` +
          `step "${operation}": ${cause.message}`,
        {
          exitCode: cause instanceof ConnectCopyError ? cause.exitCode : ExitCode.aws,
          data: {
            resource: step.key,
            file: step.path,
            step: operation,
            // Other steps may have been in flight: they settle before this error is thrown.
            finishedResources: this.done,
            cause: cause instanceof ConnectCopyError ? cause.code : cause.name,
          },
          suggestions: [
            'fix the cause, then run push again: the journal under .git/connect-copy/ ' +
              'records what was written, and those steps are skipped',
            ...(cause instanceof ConnectCopyError ? cause.suggestions : []),
          ],
          cause: error,
        },
      );
    }
  }

  private register(step: PlanStep, result: JournalResult): void {
    if (!result.id && !result.arn) return;
    const entry = {
      ...(result.id ? { id: result.id } : {}),
      ...(result.arn ? { arn: result.arn } : {}),
    };
    const known = this.index.entry(step.kind, step.name);
    if (!known) {
      this.index.add(step.kind, step.name, entry);
    } else if (known.id !== entry.id || known.arn !== entry.arn) {
      (this.mapping.resources[step.kind] ??= {})[step.name] = entry;
      this.index = new MappingIndex(this.mapping);
    }
  }

  private entry(step: PlanStep): { id: string; arn: string } {
    const e = this.mapping.resources[step.kind]?.[step.name];
    if (!e?.id || !e.arn) {
      throw new ConnectCopyError(
        'PUSH_NO_ID',
        `${step.key} has no id in the target mapping; pull the environment again and re-plan.`,
        { exitCode: ExitCode.internal, data: { resource: step.key } },
      );
    }
    return { id: e.id, arn: e.arn };
  }

  /** Resolves tokens with the target mapping and what this push created so far. */
  private resolved<T extends Json>(step: PlanStep, value: T): T {
    const { value: out, unresolved } = resolve(value, this.index);
    if (unresolved.length > 0) {
      throw new ConnectCopyError(
        'PUSH_UNRESOLVED',
        `${step.path}: ${unresolved.map((u) => `${u.token} at ${u.path}`).join(', ')} ` +
          'did not resolve while writing.',
        { exitCode: ExitCode.unresolvedReferences, data: { resource: step.key, unresolved } },
      );
    }
    return out;
  }

  private get instanceId(): string {
    return this.context.instanceId;
  }

  // ---- per kind ---------------------------------------------------------------------------

  private async stub(step: PlanStep): Promise<void> {
    const { desired } = this.body(step);
    if (step.kind === 'flow') {
      await this.op(
        step,
        'stub',
        async () => {
          const out = await this.clients.connect.send(
            new CreateContactFlowCommand({
              InstanceId: this.instanceId,
              Name: step.name,
              Type: str(desired.Type) as ContactFlowType,
              Description: optionalText(desired.Description),
              Content: JSON.stringify(STUB_FLOW),
              Status: 'SAVED',
              Tags: this.tags(step, desired),
            }),
          );
          return { id: out.ContactFlowId, arn: out.ContactFlowArn };
        },
        () => this.lookup(step),
      );
    } else if (step.kind === 'module') {
      await this.op(
        step,
        'stub',
        async () => {
          const out = await this.clients.connect.send(
            new CreateContactFlowModuleCommand({
              InstanceId: this.instanceId,
              Name: step.name,
              Description: optionalText(desired.Description),
              Content: JSON.stringify(STUB_MODULE),
              Tags: this.tags(step, desired),
            }),
          );
          return { id: out.Id, arn: out.Arn };
        },
        () => this.lookup(step),
      );
    } else if (step.kind === 'queue') {
      await this.createQueue(step, 'stub', true);
    }
  }

  private async write(step: PlanStep): Promise<void> {
    switch (step.kind) {
      case 'hours':
        return this.writeHours(step);
      case 'queue':
        return this.writeQueue(step);
      case 'routing-profile':
        return this.writeRoutingProfile(step);
      case 'module':
        return this.writeModule(step);
      case 'flow':
        return this.writeFlow(step);
    }
  }

  private async writeHours(step: PlanStep): Promise<void> {
    const { desired, current } = this.body(step);
    const fields = {
      Name: step.name,
      Description: optionalText(desired.Description),
      TimeZone: str(desired.TimeZone),
      Config: this.resolved(step, desired.Config ?? []) as unknown as HoursOfOperationConfig[],
    };
    if (step.action === 'create') {
      await this.op(
        step,
        'create',
        async () => {
          const out = await this.clients.connect.send(
            new CreateHoursOfOperationCommand({
              InstanceId: this.instanceId,
              ...fields,
              Tags: this.tags(step, desired),
            }),
          );
          return { id: out.HoursOfOperationId, arn: out.HoursOfOperationArn };
        },
        () => this.lookup(step),
      );
      return;
    }
    if (['Description', 'TimeZone', 'Config'].some((f) => step.changedFields.includes(f))) {
      await this.op(step, 'update', async () => {
        await this.clients.connect.send(
          new UpdateHoursOfOperationCommand({
            InstanceId: this.instanceId,
            HoursOfOperationId: this.entry(step).id,
            ...fields,
          }),
        );
      });
    }
    await this.syncTags(step, desired, current);
  }

  private callerConfig(
    step: PlanStep,
    body: ResourceBody,
    withFlow: boolean,
  ): OutboundCallerConfig {
    const config = isObject(body.OutboundCallerConfig) ? body.OutboundCallerConfig : {};
    const out: OutboundCallerConfig = {};
    if (typeof config.OutboundCallerIdName === 'string') {
      out.OutboundCallerIdName = config.OutboundCallerIdName;
    }
    if (typeof config.OutboundCallerIdNumber === 'string' && callerIdResolves(body, this.mapping)) {
      out.OutboundCallerIdNumberId = idOf(this.resolved(step, config.OutboundCallerIdNumber));
    }
    if (withFlow && typeof config.OutboundFlow === 'string') {
      out.OutboundFlowId = idOf(this.resolved(step, config.OutboundFlow));
    }
    return out;
  }

  private quickConnectIds(names: Json | undefined): string[] {
    const entries = this.mapping.resources['quick-connect'] ?? {};
    return (Array.isArray(names) ? names : [])
      .map((n) => (typeof n === 'string' ? entries[n]?.id : undefined))
      .filter((id): id is string => typeof id === 'string');
  }

  private async createQueue(step: PlanStep, operation: string, stub: boolean): Promise<void> {
    const { desired } = this.body(step);
    const quickConnects = this.quickConnectIds(desired.QuickConnects);
    await this.op(
      step,
      operation,
      async () => {
        const config = this.callerConfig(step, desired, !stub);
        const out = await this.clients.connect.send(
          new CreateQueueCommand({
            InstanceId: this.instanceId,
            Name: step.name,
            Description: optionalText(desired.Description),
            HoursOfOperationId: idOf(this.resolved(step, str(desired.HoursOfOperation))),
            MaxContacts: typeof desired.MaxContacts === 'number' ? desired.MaxContacts : undefined,
            OutboundCallerConfig: Object.keys(config).length > 0 ? config : undefined,
            QuickConnectIds:
              quickConnects.length > 0 ? quickConnects.slice(0, QUICK_CONNECT_BATCH) : undefined,
            Tags: this.tags(step, desired),
          }),
        );
        return { id: out.QueueId, arn: out.QueueArn };
      },
      () => this.lookup(step),
    );
    await this.associateQuickConnects(step, quickConnects.slice(QUICK_CONNECT_BATCH));
    if (desired.Status === 'DISABLED') {
      await this.op(step, 'status', async () => {
        await this.clients.connect.send(
          new UpdateQueueStatusCommand({
            InstanceId: this.instanceId,
            QueueId: this.entry(step).id,
            Status: 'DISABLED',
          }),
        );
      });
    }
  }

  private async associateQuickConnects(step: PlanStep, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += QUICK_CONNECT_BATCH) {
      const batch = ids.slice(i, i + QUICK_CONNECT_BATCH);
      await this.op(
        step,
        `quick-connects:${i / QUICK_CONNECT_BATCH}`,
        async (resumed) => {
          const queueId = this.entry(step).id;
          // A batch that may have gone through before an interruption is trimmed to what is
          // missing.
          const have = resumed ? await this.queueQuickConnects(queueId) : new Set<string>();
          const missing = batch.filter((id) => !have.has(id));
          if (missing.length === 0) return;
          await this.clients.connect.send(
            new AssociateQueueQuickConnectsCommand({
              InstanceId: this.instanceId,
              QueueId: queueId,
              QuickConnectIds: missing,
            }),
          );
        },
        undefined,
        batch,
      );
    }
  }

  private async queueQuickConnects(queueId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await this.clients.connect.send(
        new ListQueueQuickConnectsCommand({
          InstanceId: this.instanceId,
          QueueId: queueId,
          NextToken,
          MaxResults: 100,
        }),
      );
      for (const q of page.QuickConnectSummaryList ?? []) if (q.Id) ids.add(q.Id);
      NextToken = page.NextToken || undefined;
    } while (NextToken);
    return ids;
  }

  private async writeQueue(step: PlanStep): Promise<void> {
    const { desired, current } = this.body(step);
    if (step.stub) {
      // The stub has everything but the outbound whisper flow, which is on the cycle.
      await this.op(step, 'outbound-caller-config', async () => {
        await this.clients.connect.send(
          new UpdateQueueOutboundCallerConfigCommand({
            InstanceId: this.instanceId,
            QueueId: this.entry(step).id,
            OutboundCallerConfig: this.callerConfig(step, desired, true),
          }),
        );
      });
      return;
    }
    if (step.action === 'create') return this.createQueue(step, 'create', false);

    const changed = new Set(step.changedFields);
    const queueId = () => this.entry(step).id;
    if (changed.has('Description')) {
      await this.op(step, 'name', async () => {
        await this.clients.connect.send(
          new UpdateQueueNameCommand({
            InstanceId: this.instanceId,
            QueueId: queueId(),
            Name: step.name,
            Description: optionalText(desired.Description),
          }),
        );
      });
    }
    if (changed.has('HoursOfOperation')) {
      await this.op(step, 'hours', async () => {
        await this.clients.connect.send(
          new UpdateQueueHoursOfOperationCommand({
            InstanceId: this.instanceId,
            QueueId: queueId(),
            HoursOfOperationId: idOf(this.resolved(step, str(desired.HoursOfOperation))),
          }),
        );
      });
    }
    if (changed.has('MaxContacts')) {
      await this.op(step, 'max-contacts', async () => {
        await this.clients.connect.send(
          new UpdateQueueMaxContactsCommand({
            InstanceId: this.instanceId,
            QueueId: queueId(),
            MaxContacts: typeof desired.MaxContacts === 'number' ? desired.MaxContacts : undefined,
          }),
        );
      });
    }
    if (changed.has('Status')) {
      await this.op(step, 'status', async () => {
        await this.clients.connect.send(
          new UpdateQueueStatusCommand({
            InstanceId: this.instanceId,
            QueueId: queueId(),
            Status: desired.Status === 'DISABLED' ? 'DISABLED' : 'ENABLED',
          }),
        );
      });
    }
    if (changed.has('OutboundCallerConfig')) {
      const config = this.callerConfig(step, desired, true);
      if (config.OutboundCallerIdNumberId === undefined && current) {
        // The whole config is replaced: keep the instance's number when the branch's is foreign.
        const kept = this.callerConfig(step, current, false).OutboundCallerIdNumberId;
        if (kept) config.OutboundCallerIdNumberId = kept;
      }
      await this.op(step, 'outbound-caller-config', async () => {
        await this.clients.connect.send(
          new UpdateQueueOutboundCallerConfigCommand({
            InstanceId: this.instanceId,
            QueueId: queueId(),
            OutboundCallerConfig: config,
          }),
        );
      });
    }
    if (changed.has('QuickConnects')) {
      const have = new Set(this.quickConnectIds(current?.QuickConnects));
      const missing = this.quickConnectIds(desired.QuickConnects).filter((id) => !have.has(id));
      await this.associateQuickConnects(step, missing);
    }
    await this.syncTags(step, desired, current);
  }

  private queueConfigs(
    step: PlanStep,
    body: ResourceBody | undefined,
  ): RoutingProfileQueueConfig[] {
    const rows = body && Array.isArray(body.Queues) ? body.Queues : [];
    return rows.filter(isObject).map((row) => ({
      QueueReference: {
        QueueId: idOf(this.resolved(step, str(row.Queue))),
        Channel: str(row.Channel) as RoutingProfileQueueReference['Channel'],
      },
      Priority: Number(row.Priority),
      Delay: Number(row.Delay),
    }));
  }

  private async writeRoutingProfile(step: PlanStep): Promise<void> {
    const { desired, current } = this.body(step);
    const profileId = () => this.entry(step).id;
    const concurrencies = this.resolved(
      step,
      desired.MediaConcurrencies ?? [],
    ) as unknown as MediaConcurrency[];
    const timer =
      typeof desired.AgentAvailabilityTimer === 'string'
        ? (desired.AgentAvailabilityTimer as 'TIME_SINCE_LAST_ACTIVITY' | 'TIME_SINCE_LAST_INBOUND')
        : undefined;

    if (step.action === 'create') {
      const configs = this.queueConfigs(step, desired);
      await this.op(
        step,
        'create',
        async () => {
          const out = await this.clients.connect.send(
            new CreateRoutingProfileCommand({
              InstanceId: this.instanceId,
              Name: step.name,
              // Connect requires a description on create.
              Description: optionalText(desired.Description) ?? step.name,
              DefaultOutboundQueueId: idOf(this.resolved(step, str(desired.DefaultOutboundQueue))),
              MediaConcurrencies: concurrencies,
              AgentAvailabilityTimer: timer,
              // At most 10 queue configs per call, create included.
              QueueConfigs: configs.length > 0 ? configs.slice(0, ROUTING_QUEUE_BATCH) : undefined,
              Tags: this.tags(step, desired),
            }),
          );
          return { id: out.RoutingProfileId, arn: out.RoutingProfileArn };
        },
        () => this.lookup(step),
      );
      await this.associateQueues(step, configs.slice(ROUTING_QUEUE_BATCH));
      return;
    }

    const changed = new Set(step.changedFields);
    if (changed.has('Description')) {
      await this.op(step, 'name', async () => {
        await this.clients.connect.send(
          new UpdateRoutingProfileNameCommand({
            InstanceId: this.instanceId,
            RoutingProfileId: profileId(),
            Name: step.name,
            Description: optionalText(desired.Description) ?? step.name,
          }),
        );
      });
    }
    if (changed.has('MediaConcurrencies')) {
      await this.op(step, 'concurrency', async () => {
        await this.clients.connect.send(
          new UpdateRoutingProfileConcurrencyCommand({
            InstanceId: this.instanceId,
            RoutingProfileId: profileId(),
            MediaConcurrencies: concurrencies,
          }),
        );
      });
    }
    if (changed.has('DefaultOutboundQueue')) {
      await this.op(step, 'default-outbound-queue', async () => {
        await this.clients.connect.send(
          new UpdateRoutingProfileDefaultOutboundQueueCommand({
            InstanceId: this.instanceId,
            RoutingProfileId: profileId(),
            DefaultOutboundQueueId: idOf(this.resolved(step, str(desired.DefaultOutboundQueue))),
          }),
        );
      });
    }
    if (changed.has('AgentAvailabilityTimer') && timer) {
      await this.op(step, 'agent-availability-timer', async () => {
        await this.clients.connect.send(
          new UpdateRoutingProfileAgentAvailabilityTimerCommand({
            InstanceId: this.instanceId,
            RoutingProfileId: profileId(),
            AgentAvailabilityTimer: timer,
          }),
        );
      });
    }
    if (changed.has('Queues')) {
      const pair = (c: RoutingProfileQueueConfig) =>
        `${c.QueueReference?.QueueId}|${c.QueueReference?.Channel}`;
      const want = new Map(this.queueConfigs(step, desired).map((c) => [pair(c), c]));
      const have = new Map(this.queueConfigs(step, current).map((c) => [pair(c), c]));
      const removed = [...have.keys()].filter((k) => !want.has(k)).map((k) => have.get(k)!);
      const added = [...want.keys()].filter((k) => !have.has(k)).map((k) => want.get(k)!);
      const updated = [...want.keys()]
        .filter((k) => have.has(k) && !jsonEqual(toJson(want.get(k)), toJson(have.get(k))))
        .map((k) => want.get(k)!);
      for (let i = 0; i < removed.length; i += ROUTING_QUEUE_BATCH) {
        const batch = removed.slice(i, i + ROUTING_QUEUE_BATCH);
        await this.op(
          step,
          `queues-disassociate:${i / ROUTING_QUEUE_BATCH}`,
          async () => {
            await this.clients.connect.send(
              new DisassociateRoutingProfileQueuesCommand({
                InstanceId: this.instanceId,
                RoutingProfileId: profileId(),
                QueueReferences: batch.map((c) => c.QueueReference!),
              }),
            );
          },
          undefined,
          batch,
        );
      }
      for (let i = 0; i < updated.length; i += ROUTING_QUEUE_BATCH) {
        const batch = updated.slice(i, i + ROUTING_QUEUE_BATCH);
        await this.op(
          step,
          `queues-update:${i / ROUTING_QUEUE_BATCH}`,
          async () => {
            await this.clients.connect.send(
              new UpdateRoutingProfileQueuesCommand({
                InstanceId: this.instanceId,
                RoutingProfileId: profileId(),
                QueueConfigs: batch,
              }),
            );
          },
          undefined,
          batch,
        );
      }
      await this.associateQueues(step, added);
    }
    await this.syncTags(step, desired, current);
  }

  private async associateQueues(
    step: PlanStep,
    configs: RoutingProfileQueueConfig[],
  ): Promise<void> {
    for (let i = 0; i < configs.length; i += ROUTING_QUEUE_BATCH) {
      const batch = configs.slice(i, i + ROUTING_QUEUE_BATCH);
      await this.op(
        step,
        `queues-associate:${i / ROUTING_QUEUE_BATCH}`,
        async (resumed) => {
          const profileId = this.entry(step).id;
          // Associating a pair twice is an error: a batch that may have gone through is trimmed.
          const have = resumed ? await this.profileQueues(profileId) : new Set<string>();
          const missing = batch.filter(
            (c) => !have.has(`${c.QueueReference?.QueueId}|${c.QueueReference?.Channel}`),
          );
          if (missing.length === 0) return;
          await this.clients.connect.send(
            new AssociateRoutingProfileQueuesCommand({
              InstanceId: this.instanceId,
              RoutingProfileId: profileId,
              QueueConfigs: missing,
            }),
          );
        },
        undefined,
        batch,
      );
    }
  }

  private async profileQueues(profileId: string): Promise<Set<string>> {
    const pairs = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await this.clients.connect.send(
        new ListRoutingProfileQueuesCommand({
          InstanceId: this.instanceId,
          RoutingProfileId: profileId,
          NextToken,
          MaxResults: 100,
        }),
      );
      for (const row of page.RoutingProfileQueueConfigSummaryList ?? []) {
        pairs.add(`${row.QueueId}|${row.Channel}`);
      }
      NextToken = page.NextToken || undefined;
    } while (NextToken);
    return pairs;
  }

  private async writeModule(step: PlanStep): Promise<void> {
    const { desired, current } = this.body(step);
    const content = () => JSON.stringify(this.resolved(step, desired.Content ?? {}));
    const settings = () =>
      desired.Settings === undefined
        ? undefined
        : JSON.stringify(this.resolved(step, desired.Settings));
    const publish = async () => {
      await this.op(step, 'content', async () => {
        await this.clients.connect.send(
          new UpdateContactFlowModuleContentCommand({
            InstanceId: this.instanceId,
            ContactFlowModuleId: this.entry(step).id,
            Content: content(),
            Settings: settings(),
          }),
        );
      });
    };

    const changed = new Set(step.changedFields);
    if (step.action === 'create' && !step.stub) {
      await this.op(
        step,
        'create',
        async () => {
          const external = desired.ExternalInvocationConfiguration;
          const out = await this.clients.connect.send(
            new CreateContactFlowModuleCommand({
              InstanceId: this.instanceId,
              Name: step.name,
              Description: optionalText(desired.Description),
              Content: content(),
              Settings: settings(),
              ExternalInvocationConfiguration: isObject(external)
                ? { Enabled: external.Enabled === true }
                : undefined,
              Tags: this.tags(step, desired),
            }),
          );
          return { id: out.Id, arn: out.Arn };
        },
        () => this.lookup(step),
      );
    } else if (
      step.stub ||
      changed.has('Content') ||
      changed.has('Settings') ||
      (changed.has('Draft') && desired.Draft === undefined)
    ) {
      // Publishing also replaces a draft the branch no longer has.
      await publish();
    }
    if (desired.Draft !== undefined && (step.action === 'create' || changed.has('Draft'))) {
      await this.op(step, 'draft', async () => {
        await this.clients.connect.send(
          new UpdateContactFlowModuleContentCommand({
            InstanceId: this.instanceId,
            ContactFlowModuleId: `${this.entry(step).id}:$SAVED`,
            Content: JSON.stringify(this.resolved(step, desired.Draft!)),
          }),
        );
      });
    }
    const archived = str(desired.State).toUpperCase() === 'ARCHIVED';
    if (
      (step.action === 'create' && archived) ||
      (step.action === 'update' &&
        (changed.has('Description') || changed.has('State') || changed.has('Name')))
    ) {
      await this.op(step, 'metadata', async () => {
        await this.clients.connect.send(
          new UpdateContactFlowModuleMetadataCommand({
            InstanceId: this.instanceId,
            ContactFlowModuleId: this.entry(step).id,
            // A rename copied from the source keeps the module's id (see PushInput.renames).
            Name: changed.has('Name') ? String(desired.Name) : undefined,
            Description: optionalText(desired.Description),
            State: archived ? 'ARCHIVED' : 'ACTIVE',
          }),
        );
      });
    }
    if (step.action === 'update') await this.syncTags(step, desired, current);
  }

  private async writeFlow(step: PlanStep): Promise<void> {
    const { desired, current } = this.body(step);
    const saved = desired.Status === 'SAVED';
    const content = () => JSON.stringify(this.resolved(step, desired.Content ?? {}));
    const changed = new Set(step.changedFields);

    if (step.action === 'create' && !step.stub) {
      await this.op(
        step,
        'create',
        async () => {
          const out = await this.clients.connect.send(
            new CreateContactFlowCommand({
              InstanceId: this.instanceId,
              Name: step.name,
              Type: str(desired.Type) as ContactFlowType,
              Description: optionalText(desired.Description),
              Content: content(),
              Status: saved ? 'SAVED' : 'PUBLISHED',
              Tags: this.tags(step, desired),
            }),
          );
          return { id: out.ContactFlowId, arn: out.ContactFlowArn };
        },
        () => this.lookup(step),
      );
    } else if (
      step.stub ||
      changed.has('Content') ||
      changed.has('Status') ||
      (changed.has('Draft') && desired.Draft === undefined)
    ) {
      // The plain id publishes (and drops any draft); `:$SAVED` keeps a never-published flow so.
      await this.op(step, 'content', async () => {
        const id = this.entry(step).id;
        await this.clients.connect.send(
          new UpdateContactFlowContentCommand({
            InstanceId: this.instanceId,
            ContactFlowId: saved ? `${id}:$SAVED` : id,
            Content: content(),
          }),
        );
      });
    }
    if (desired.Draft !== undefined && (step.action === 'create' || changed.has('Draft'))) {
      await this.op(step, 'draft', async () => {
        await this.clients.connect.send(
          new UpdateContactFlowContentCommand({
            InstanceId: this.instanceId,
            ContactFlowId: `${this.entry(step).id}:$SAVED`,
            Content: JSON.stringify(this.resolved(step, desired.Draft!)),
          }),
        );
      });
    }
    const archived = desired.State === 'ARCHIVED';
    if (
      (step.action === 'create' && archived) ||
      (step.action === 'update' &&
        (changed.has('Description') || changed.has('State') || changed.has('Name')))
    ) {
      await this.op(step, 'metadata', async () => {
        await this.clients.connect.send(
          new UpdateContactFlowMetadataCommand({
            InstanceId: this.instanceId,
            ContactFlowId: this.entry(step).id,
            Name: changed.has('Name') ? String(desired.Name) : undefined,
            Description: typeof desired.Description === 'string' ? desired.Description : undefined,
            ContactFlowState: archived ? 'ARCHIVED' : 'ACTIVE',
          }),
        );
      });
    }
    if (step.action === 'update') await this.syncTags(step, desired, current);
  }

  // ---- shared -----------------------------------------------------------------------------

  private tags(step: PlanStep, body: ResourceBody): Record<string, string> | undefined {
    const tags = isObject(body.Tags) ? this.resolved(step, body.Tags) : {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(tags)) if (typeof v === 'string') out[k] = v;
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private async syncTags(step: PlanStep, desired: ResourceBody, current?: ResourceBody) {
    if (!step.changedFields.includes('Tags')) return;
    const want = this.tags(step, desired) ?? {};
    const have = current ? (this.tags(step, current) ?? {}) : {};
    const set = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
    const unset = Object.keys(have).filter((k) => !(k in want));
    if (Object.keys(set).length > 0) {
      await this.op(
        step,
        'tag',
        async () => {
          await this.clients.connect.send(
            new TagResourceCommand({ resourceArn: this.entry(step).arn, tags: set }),
          );
        },
        undefined,
        set,
      );
    }
    if (unset.length > 0) {
      await this.op(
        step,
        'untag',
        async () => {
          await this.clients.connect.send(
            new UntagResourceCommand({ resourceArn: this.entry(step).arn, tagKeys: unset }),
          );
        },
        undefined,
        unset,
      );
    }
  }

  /** The resource of this kind with exactly this name, if the instance has one. */
  private async lookup(step: PlanStep): Promise<JournalResult | undefined> {
    const SearchCriteria = {
      StringCondition: { FieldName: 'name', Value: step.name, ComparisonType: 'EXACT' as const },
    };
    const base = { InstanceId: this.instanceId, SearchCriteria };
    const pick = <T extends { Name?: string }>(
      items: T[] | undefined,
      id: (t: T) => string | undefined,
      arn: (t: T) => string | undefined,
    ): JournalResult | undefined => {
      const found = (items ?? []).find((t) => t.Name === step.name);
      return found ? { id: id(found), arn: arn(found) } : undefined;
    };
    const connect = this.clients.connect;
    switch (step.kind) {
      case 'flow': {
        const out = await connect.send(new SearchContactFlowsCommand(base));
        return pick(
          out.ContactFlows,
          (f) => f.Id,
          (f) => f.Arn,
        );
      }
      case 'module': {
        const out = await connect.send(new SearchContactFlowModulesCommand(base));
        return pick(
          out.ContactFlowModules,
          (m) => m.Id,
          (m) => m.Arn,
        );
      }
      case 'queue': {
        const out = await connect.send(new SearchQueuesCommand(base));
        return pick(
          out.Queues,
          (q) => q.QueueId,
          (q) => q.QueueArn,
        );
      }
      case 'hours': {
        const out = await connect.send(new SearchHoursOfOperationsCommand(base));
        return pick(
          out.HoursOfOperations,
          (h) => h.HoursOfOperationId,
          (h) => h.HoursOfOperationArn,
        );
      }
      case 'routing-profile': {
        const out = await connect.send(new SearchRoutingProfilesCommand(base));
        return pick(
          out.RoutingProfiles,
          (r) => r.RoutingProfileId,
          (r) => r.RoutingProfileArn,
        );
      }
    }
  }
}

/**
 * The ready job of the kind with the fewest steps in flight, earliest in plan order among those:
 * Connect's buckets are per operation, and each kind writes through its own operations, so
 * spreading the slots over kinds keeps every bucket busy instead of queueing on one.
 */
function nextJob(ready: Job[], inFlight: Map<PushKind, number>): number {
  let best = 0;
  const load = (job: Job) => inFlight.get(job.step.kind) ?? 0;
  for (let i = 1; i < ready.length; i++) {
    const [a, b] = [ready[i], ready[best]];
    if (load(a) < load(b) || (load(a) === load(b) && a.order < b.order)) best = i;
  }
  return best;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: Json | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** Connect rejects empty descriptions on most resources; absent is the portable "none". */
function optionalText(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Settings fields take bare ids; a token may have been written in its ARN form. */
function idOf(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
}

function toJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}
