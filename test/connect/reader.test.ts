import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import {
  CreateContactFlowCommand,
  ListContactFlowsCommand,
  type ContactFlow,
  type ContactFlowModule,
} from '@aws-sdk/client-connect';
import { createClients, type ClientOptions, type Clients } from '../../src/connect/clients';
import {
  READ_OPERATIONS,
  LEX_READ_OPERATIONS,
  readInstance,
  type ReadProgress,
} from '../../src/connect/reader';
import type { RawFlow, RawInstance, RawModule } from '../../src/core/raw';
import type { CallRecord } from '../../src/emulator/server';
import { DEV_ACCOUNT, startEmulator, type TestEmulator } from '../helpers/emulator';
import { minimalFlow, patchInstance } from '../helpers/flows';
import { provisionSmallInstance, type SmallInstance } from '../helpers/instance';
import { startRewritingProxy } from '../helpers/proxy';
import type { InstanceSummary } from '../../src/emulator/control-client';

const REGION = 'us-east-1';

function countByOperation(calls: CallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  return counts;
}

const parsed = (content: string | undefined) => JSON.parse(content ?? 'null') as unknown;

describe('connect: readInstance', () => {
  let emu: TestEmulator;
  let instance: InstanceSummary;
  const open: Clients[] = [];

  /** Unthrottled tests lift the limiter's quota so they run at full speed. */
  const clientsFor = (endpointUrl: string, options: ClientOptions = {}) => {
    const clients = createClients({
      region: REGION,
      endpointUrl,
      credentials: { accessKeyId: `AKIA${DEV_ACCOUNT}`, secretAccessKey: 'emulator-secret' },
      quota: { default: { rate: 1000, burst: 1000 } },
      ...options,
    });
    open.push(clients);
    return clients;
  };

  const freshInstance = async () => {
    await emu.control.reset();
    instance = await emu.control.createInstance({ Alias: 'dev', Region: REGION });
  };

  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.stop());
  afterEach(() => {
    for (const clients of open.splice(0)) clients.close();
  });

  // One read of one provisioned instance, checked from several sides.
  describe('a provisioned instance', () => {
    let small: SmallInstance;
    let raw: RawInstance;
    let progress: ReadProgress[];
    let calls: CallRecord[];

    before(async () => {
      await freshInstance();
      small = await provisionSmallInstance(emu.connect(), instance);
      await emu.control.clearCalls();
      progress = [];
      raw = await readInstance(
        clientsFor(emu.url),
        { instance: 'dev', region: REGION },
        { onProgress: (e) => progress.push(e), draftDetection: 'describe' },
      );
      calls = await emu.control.calls();
    });

    it('identifies the instance from its alias', () => {
      assert.deepEqual(raw.instance, {
        id: instance.Id,
        arn: instance.Arn,
        alias: 'dev',
        region: REGION,
        account: DEV_ACCOUNT,
      });
    });

    it('reads hours, queues with their quick connects, and agent queues', () => {
      const hours = raw.hours.find((h) => h.Name === small.hours.name);
      assert.equal(hours?.HoursOfOperationId, small.hours.id);
      assert.equal(hours?.TimeZone, small.hours.timeZone);
      assert.deepEqual(hours?.Config, small.hours.config);

      const standard = raw.queues.map((q) => q.queue.Name).sort();
      assert.deepEqual(standard, ['BasicQueue', ...small.queues.map((q) => q.name)].sort());
      for (const created of small.queues) {
        const read = raw.queues.find((q) => q.queue.QueueId === created.id);
        assert.equal(read?.queue.Name, created.name);
        assert.equal(read?.queue.MaxContacts, created.maxContacts);
        assert.equal(read?.queue.Description, created.description);
        assert.equal(read?.queue.HoursOfOperationId, small.hours.id);
        const expected = small.quickConnect.queues.includes(created.name)
          ? [small.quickConnect.id]
          : [];
        assert.deepEqual(read?.quickConnectIds, expected, created.name);
      }
      assert.ok(raw.agentQueues.some((q) => q.Id === small.user.id));
      assert.ok(raw.agentQueues.every((q) => q.QueueType === 'AGENT'));
      assert.ok(
        raw.queues.every((q) => !('QueueType' in q.queue) || q.queue.QueueType !== 'AGENT'),
      );
    });

    it('reads all twelve queue configs of a routing profile with priority and delay', () => {
      const profile = raw.routingProfiles.find((p) => p.profile.Name === small.routingProfile.name);
      assert.ok(profile, 'routing profile missing');
      const configs = profile.queueConfigs
        .map((c) => ({
          queueName: c.QueueName,
          channel: c.Channel,
          priority: c.Priority,
          delay: c.Delay,
        }))
        .sort((a, b) => a.queueName!.localeCompare(b.queueName!));
      assert.equal(configs.length, 12);
      assert.deepEqual(configs, small.routingProfile.queueConfigs);
      // Search leaves these out; the reader must still return them.
      assert.equal(
        profile.profile.AgentAvailabilityTimer,
        small.routingProfile.agentAvailabilityTimer,
      );
      const concurrency = [...(profile.profile.MediaConcurrencies ?? [])].sort((a, b) =>
        a.Channel!.localeCompare(b.Channel!),
      );
      assert.deepEqual(
        concurrency.map((m) => [m.Channel, m.Concurrency, m.CrossChannelBehavior?.BehaviorType]),
        [...small.routingProfile.mediaConcurrencies]
          .sort((a, b) => a.Channel!.localeCompare(b.Channel!))
          .map((m) => [m.Channel, m.Concurrency, m.CrossChannelBehavior?.BehaviorType]),
      );
      assert.equal(profile.profile.DefaultOutboundQueueId, small.queues[0].id);
    });

    it('reads flows with content, drafts, and never-published flows', async () => {
      const listed = await emu
        .connect()
        .send(new ListContactFlowsCommand({ InstanceId: instance.Id, MaxResults: 1000 }));
      assert.deepEqual(
        raw.flows.map((f) => f.flow.Name).sort(),
        listed.ContactFlowSummaryList!.map((f) => f.Name).sort(),
      );
      const byName = (name: string) => raw.flows.find((f) => f.flow.Name === name)!;

      const main = byName(small.flows.main.name);
      assert.deepEqual(parsed(main.flow.Content), parsed(small.flows.main.content));
      assert.equal(main.flow.Status, 'PUBLISHED');
      assert.deepEqual(parsed(main.draft?.Content), parsed(small.mainDraft));

      const sub = byName(small.flows.sub.name);
      assert.deepEqual(parsed(sub.flow.Content), parsed(small.flows.sub.content));
      assert.equal(sub.draft, undefined);

      const wip = byName(small.flows.unpublished.name);
      assert.equal(wip.flow.Status, 'SAVED');
      assert.deepEqual(parsed(wip.flow.Content), parsed(small.flows.unpublished.content));
      assert.equal(wip.draft, undefined);

      const drafts = raw.flows.filter((f) => f.draft).map((f) => f.flow.Name);
      assert.deepEqual(drafts, [small.flows.main.name]);
    });

    it('reads modules with their drafts', () => {
      assert.equal(raw.modules.length, 1);
      const [module] = raw.modules;
      assert.equal(module.module.Name, small.module.name);
      assert.equal(module.module.Status?.toUpperCase(), 'PUBLISHED');
      assert.deepEqual(parsed(module.module.Content), parsed(small.module.content));
      assert.deepEqual(parsed(module.draft?.Content), parsed(small.module.draft));
    });

    it('reads prompts, quick connects, users, security profiles and integrations', () => {
      assert.ok(raw.prompts.some((p) => p.PromptId === small.prompt.id && p.Name === 'Welcome'));
      const qc = raw.quickConnects.find((q) => q.QuickConnectId === small.quickConnect.id);
      assert.equal(qc?.Name, small.quickConnect.name);
      assert.equal(qc?.QuickConnectConfig?.QueueConfig?.QueueId, small.queues[0].id);
      assert.ok(
        raw.users.some((u) => u.Id === small.user.id && u.Username === small.user.username),
      );
      const profiles = raw.securityProfiles.map((p) => p.Name);
      for (const name of ['Admin', 'Agent', 'CallCenterManager', 'QualityAnalyst']) {
        assert.ok(profiles.includes(name), name);
      }
      assert.deepEqual(raw.lambdaFunctions, [...small.lambdaArns].sort());
      assert.deepEqual(raw.lexBots, [small.lexV1]);
      assert.deepEqual(raw.lexV2Aliases, [
        { aliasArn: small.lexV2AliasArn, botName: 'OrderBotV2', aliasName: 'TestBotAlias' },
      ]);
    });

    it('makes one call per page, plus per-item calls only where search cannot answer', () => {
      const counts = countByOperation(calls);
      const standardQueues = small.queues.length + 1;
      const published = raw.flows.filter((f) => f.flow.Status === 'PUBLISHED').length;
      assert.deepEqual(counts, {
        ListInstances: 1,
        SearchContactFlows: 1,
        // describe mode: one `:$SAVED` look per published flow and module
        DescribeContactFlow: published,
        SearchContactFlowModules: 1,
        DescribeContactFlowModule: 1,
        SearchQueues: 1,
        SearchQuickConnects: 1,
        ListQueueQuickConnects: standardQueues,
        ListRoutingProfiles: 1,
        DescribeRoutingProfile: 2,
        ListRoutingProfileQueues: 2,
        SearchHoursOfOperations: 1,
        SearchPrompts: 1,
        ListUsers: 1,
        ListSecurityProfiles: 1,
        ListQueues: 1,
        ListLambdaFunctions: 1,
        ListBots: 2,
        // the one associated Lex V2 alias is named through the Lex models API
        DescribeBot: 1,
        DescribeBotAlias: 1,
      });
      assert.ok(calls.every((c) => c.status === 200 && !c.write));
      const documented = new Set<string>([...READ_OPERATIONS, ...LEX_READ_OPERATIONS]);
      assert.deepEqual(
        Object.keys(counts).filter((operation) => !documented.has(operation)),
        [],
        'every operation a read calls is in READ_OPERATIONS (the IAM policy)',
      );
    });

    it('reports progress per kind', () => {
      const last = new Map<string, ReadProgress>();
      for (const event of progress) last.set(event.kind, event);
      assert.equal(last.get('flows')?.done, raw.flows.length);
      assert.equal(last.get('queues')?.done, raw.queues.length);
      assert.equal(last.get('routing-profiles')?.done, raw.routingProfiles.length);
      assert.equal(last.get('queue-quick-connects')?.done, raw.queues.length);
      assert.equal(last.get('instance')?.done, 1);
    });
  });

  describe('on a fresh instance', () => {
    beforeEach(freshInstance);

    it('tells never-published flows from drafts with search-based detection', async () => {
      const client = emu.connect();
      const create = (Name: string, Status?: 'SAVED') =>
        client.send(
          new CreateContactFlowCommand({
            InstanceId: instance.Id,
            Name,
            Type: 'CONTACT_FLOW',
            Content: minimalFlow(),
            Status,
          }),
        );
      await create('Published');
      await create('Never Published', 'SAVED');
      await emu.control.clearCalls();

      const raw = await readInstance(clientsFor(emu.url), {
        instance: instance.Id,
        region: REGION,
      });

      const flow = (name: string) => raw.flows.find((f) => f.flow.Name === name)!;
      assert.equal(flow('Never Published').flow.Status, 'SAVED');
      assert.equal(flow('Never Published').draft, undefined);
      assert.equal(flow('Published').flow.Status, 'PUBLISHED');
      assert.ok(raw.flows.every((f) => f.draft === undefined));
      const counts = countByOperation(await emu.control.calls());
      assert.equal(counts.DescribeInstance, 1);
      assert.equal(counts.SearchContactFlows, 2, 'one search, one SAVED search');
      assert.equal(counts.DescribeContactFlow, undefined);
    });

    it('reads 250 flows in three search pages and no describe calls', async () => {
      const client = emu.connect();
      // Unthrottled, so 25 at a time is only about speed.
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            client.send(
              new CreateContactFlowCommand({
                InstanceId: instance.Id,
                Name: `Generated ${batch * 25 + i}`,
                Type: 'CONTACT_FLOW',
                Content: minimalFlow(),
              }),
            ),
          ),
        );
      }
      const listed = await client.send(
        new ListContactFlowsCommand({ InstanceId: instance.Id, MaxResults: 1000 }),
      );
      const total = listed.ContactFlowSummaryList!.length;
      assert.ok(total > 250 && total <= 300, `expected 250 flows plus the defaults, got ${total}`);
      await emu.control.clearCalls();

      const raw = await readInstance(clientsFor(emu.url), {
        instance: instance.Arn,
        region: REGION,
      });

      assert.equal(raw.flows.length, total);
      const calls = await emu.control.calls();
      const counts = countByOperation(calls);
      // Three pages of 100, plus the one SAVED search that finds no drafts.
      assert.equal(counts.SearchContactFlows, 3 + 1);
      assert.equal(counts.DescribeContactFlow, undefined);
      assert.ok(calls.length < 25, `${calls.length} calls`);
    });

    it('reads 1,000 flows and 300 queues cold in well under 60 calls', async () => {
      await patchInstance(emu, instance.Id, (record) => {
        const hoursId = Object.values(record.hours)[0].Id;
        const now = Date.now() / 1000;
        for (let i = 0; i < 1000; i++) {
          const Id = randomUUID();
          record.flows[Id] = {
            Id,
            Name: `Bulk flow ${i}`,
            Type: 'CONTACT_FLOW',
            State: 'ACTIVE',
            Status: 'PUBLISHED',
            Content: minimalFlow(),
            Tags: {},
            LastModifiedTime: now,
          };
        }
        for (let i = 0; i < 300; i++) {
          const Id = randomUUID();
          record.queues[Id] = {
            Id,
            Name: `Bulk queue ${i}`,
            QueueType: 'STANDARD',
            HoursOfOperationId: hoursId,
            Status: 'ENABLED',
            QuickConnectIds: [],
            Tags: {},
            LastModifiedTime: now,
          };
        }
      });
      await emu.control.clearCalls();

      const raw = await readInstance(clientsFor(emu.url), { instance: 'dev', region: REGION });

      assert.ok(raw.flows.length > 1000);
      assert.equal(raw.queues.length, 301);
      const calls = await emu.control.calls();
      const counts = countByOperation(calls);
      assert.ok(calls.length < 40, `${calls.length} calls: ${JSON.stringify(counts)}`);
      assert.equal(counts.ListQueueQuickConnects, undefined);
      assert.equal(counts.DescribeContactFlow, undefined);
    });

    describe('an endpoint whose search results carry no content', () => {
      const stripContent = (path: string, body: unknown) => {
        const page = body as {
          ContactFlows?: ContactFlow[];
          ContactFlowModules?: ContactFlowModule[];
        };
        if (path === '/search-contact-flows') {
          return {
            ...page,
            ContactFlows: page.ContactFlows?.map(({ Content: _c, ...rest }) => rest),
          };
        }
        if (path === '/search-contact-flow-modules') {
          return {
            ...page,
            ContactFlowModules: page.ContactFlowModules?.map(({ Content: _c, ...rest }) => rest),
          };
        }
        return body;
      };

      it('describes each flow and module, unless the caller reuses what it has', async () => {
        const small = await provisionSmallInstance(emu.connect(), instance);
        const proxy = await startRewritingProxy(emu.url, stripContent);
        try {
          await emu.control.clearCalls();
          const cold = await readInstance(
            clientsFor(proxy.url),
            { instance: 'dev', region: REGION },
            { draftDetection: 'describe' },
          );
          const coldCounts = countByOperation(await emu.control.calls());
          const flows = cold.flows.length;
          const published = cold.flows.filter((f) => f.flow.Status === 'PUBLISHED').length;
          assert.equal(coldCounts.DescribeContactFlow, flows + published);
          assert.equal(coldCounts.DescribeContactFlowModule, 2);
          const main = cold.flows.find((f) => f.flow.Name === small.flows.main.name)!;
          assert.deepEqual(parsed(main.flow.Content), parsed(small.flows.main.content));
          assert.deepEqual(parsed(main.draft?.Content), parsed(small.mainDraft));

          // Everything but Sub Flow is offered from the cold read.
          const cachedFlows = new Map(cold.flows.map((f) => [f.flow.Id, f]));
          const cachedModules = new Map(cold.modules.map((m) => [m.module.Id, m]));
          const offered: string[] = [];
          await emu.control.clearCalls();
          const warm = await readInstance(
            clientsFor(proxy.url),
            { instance: 'dev', region: REGION },
            {
              draftDetection: 'describe',
              reuse: {
                flow: (summary): RawFlow | undefined => {
                  offered.push(summary.Name!);
                  assert.equal(summary.Content, undefined);
                  return summary.Id === small.flows.sub.id
                    ? undefined
                    : cachedFlows.get(summary.Id);
                },
                module: (summary): RawModule | undefined => cachedModules.get(summary.Id),
              },
            },
          );
          const warmCounts = countByOperation(await emu.control.calls());
          assert.equal(warmCounts.DescribeContactFlow, 2, 'Sub Flow: published and $SAVED');
          assert.equal(warmCounts.DescribeContactFlowModule, undefined);
          assert.equal(offered.length, flows);
          assert.deepEqual(warm.flows, cold.flows);
          assert.deepEqual(warm.modules, cold.modules);
        } finally {
          await proxy.stop();
        }
      });
    });

    it('finds drafts with one SAVED search per kind and no describe calls', async () => {
      const small = await provisionSmallInstance(emu.connect(), instance, 3);
      // The emulator answers a SAVED search as Connect does: every flow or module whose latest
      // saved content is unpublished, with that content, under its own Id.
      await emu.control.clearCalls();
      const raw = await readInstance(clientsFor(emu.url), { instance: 'dev', region: REGION });

      const flow = (name: string) => raw.flows.find((f) => f.flow.Name === name)!;
      const main = flow(small.flows.main.name);
      assert.deepEqual(parsed(main.flow.Content), parsed(small.flows.main.content));
      assert.deepEqual(parsed(main.draft?.Content), parsed(small.mainDraft));
      assert.equal(flow(small.flows.sub.name).draft, undefined);
      const wip = flow(small.flows.unpublished.name);
      assert.equal(wip.flow.Status, 'SAVED');
      assert.equal(wip.draft, undefined);
      assert.deepEqual(
        raw.flows.filter((f) => f.draft).map((f) => f.flow.Name),
        [small.flows.main.name],
      );
      assert.deepEqual(parsed(raw.modules[0].draft?.Content), parsed(small.module.draft));

      const counts = countByOperation(await emu.control.calls());
      assert.equal(counts.SearchContactFlows, 2);
      assert.equal(counts.SearchContactFlowModules, 2);
      assert.equal(counts.DescribeContactFlow, undefined);
      assert.equal(counts.DescribeContactFlowModule, undefined);
    });

    it('stays under the throttling quota with the limiter at the same quota', async () => {
      await provisionSmallInstance(emu.connect(), instance, 6);
      await emu.control.setThrottle({ enabled: true, default: { rate: 2, burst: 5 } });
      await emu.control.clearCalls();

      const clients = clientsFor(emu.url, { quota: { default: { rate: 2, burst: 5 } } });
      const raw = await readInstance(clients, { instance: 'dev', region: REGION });

      assert.equal(raw.queues.length, 7);
      const calls = await emu.control.calls();
      const throttled = calls.filter((c) => c.status === 429).length;
      assert.ok(throttled < calls.length * 0.02, `${throttled} of ${calls.length} calls throttled`);
      // 7 ListQueueQuickConnects at once, more than the burst: the limiter held some back.
      const stats = clients.stats()['connect:ListQueueQuickConnects'];
      assert.equal(stats.attempts, 7);
      assert.ok(stats.waitedMs > 1000, `waited ${stats.waitedMs} ms`);
    });

    it('still completes through adaptive retries when the limiter is off', async () => {
      await provisionSmallInstance(emu.connect(), instance, 6);
      await emu.control.setThrottle({ enabled: true, default: { rate: 2, burst: 5 } });
      await emu.control.clearCalls();

      const clients = clientsFor(emu.url, { quota: false });
      const raw = await readInstance(clients, { instance: 'dev', region: REGION });

      assert.equal(raw.queues.length, 7);
      assert.ok(raw.queues.some((q) => q.quickConnectIds.length === 1));
      const calls = await emu.control.calls();
      assert.ok(
        calls.some((c) => c.status === 429),
        'expected Connect to throttle the burst',
      );
      assert.equal(clients.stats()['connect:ListQueueQuickConnects'].waitedMs, 0);
    });
  });
});
