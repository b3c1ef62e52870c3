import { strict as assert } from 'node:assert';
import {
  TagResourceCommand,
  UpdateContactFlowNameCommand,
  UpdateQueueNameCommand,
  UpdateRoutingProfileAgentAvailabilityTimerCommand,
  UpdateRoutingProfileQueuesCommand,
} from '@aws-sdk/client-connect';
import { DEV_ACCOUNT, TestEmulator } from '../helpers/emulator';
import { provisionSmallInstance, SmallInstance } from '../helpers/instance';
import { rejection } from '../helpers/errors';
import { pullFrom, TestRepo, useEmulatorAndRepo } from '../helpers/repo';
import { patchInstance } from '../helpers/flows';
import { pushEnvironment, PushOptions } from '../../src/actions/push';
import { renderCanonical } from '../../src/core/canonical';
import type { CallRecord } from '../../src/emulator/server';

const PER_PROFILE = ['DescribeRoutingProfile', 'ListRoutingProfileQueues'];

const perProfileCalls = (calls: CallRecord[]) =>
  calls.filter((c) => PER_PROFILE.includes(c.operation)).map((c) => c.operation);

/**
 * A routing profile costs two calls of its own; a pull after an earlier one keeps profiles whose
 * listing is unchanged, so it must still see every kind of change made in the console.
 */
describe('pull and push: routing profiles unchanged since the last pull are not read again', function () {
  this.timeout(120000);
  let emu: TestEmulator;
  let repo: TestRepo;
  let instance: { Id: string; Arn: string; Account: string; Region: string };
  let small: SmallInstance;
  const FILE = 'routing-profiles/Support Profile.json';

  useEmulatorAndRepo(
    (started) => (emu = started),
    (made) => (repo = made),
  );

  beforeEach(async () => {
    const created = await emu.control.createInstance({ Account: DEV_ACCOUNT, Region: 'us-east-1' });
    instance = {
      Id: created.Id,
      Arn: created.Arn,
      Account: created.Account,
      Region: created.Region,
    };
    small = await provisionSmallInstance(emu.connect(), instance);
    await pullFrom(emu, repo, 'dev', instance);
  });

  const pullAgain = async (extra: { full?: boolean } = {}) => {
    await emu.control.clearCalls();
    const result = await pullFrom(emu, repo, 'dev', instance, { again: true, ...extra });
    return { result, calls: await emu.control.calls() };
  };
  const profileFile = async () =>
    JSON.parse((await repo.store.readBranchFiles('env/dev')).get(FILE)!) as {
      AgentAvailabilityTimer: string;
      Queues: { Queue: string; Channel: string; Priority: number; Delay: number }[];
      Tags: Record<string, string>;
    };

  it('makes no per-profile call when nothing changed, and commits nothing', async () => {
    const { result, calls } = await pullAgain();
    assert.equal(result.commit, undefined);
    assert.deepEqual(perProfileCalls(calls), []);
  });

  it('reads again, and records, a profile whose queue priority changed', async () => {
    const queue = small.queues[1];
    const { routingProfile } = small;
    await emu.connect().send(
      new UpdateRoutingProfileQueuesCommand({
        InstanceId: instance.Id,
        RoutingProfileId: routingProfile.id,
        QueueConfigs: [
          {
            QueueReference: { QueueId: queue.id, Channel: 'VOICE' },
            Priority: 9,
            Delay: 42,
          },
        ],
      }),
    );
    const { result, calls } = await pullAgain();
    assert.deepEqual(result.changed, [FILE]);
    assert.deepEqual(perProfileCalls(calls).sort(), [...PER_PROFILE].sort());
    const row = (await profileFile()).Queues.find(
      (q) => q.Queue.endsWith(`:queue:${queue.name}}}`) && q.Channel === 'VOICE',
    );
    assert.deepEqual({ priority: row?.Priority, delay: row?.Delay }, { priority: 9, delay: 42 });

    const again = await pullAgain();
    assert.equal(again.result.commit, undefined, 'the re-read profile is kept next time');
    assert.deepEqual(perProfileCalls(again.calls), []);
  });

  it('sees a changed timer and changed tags', async () => {
    await emu.connect().send(
      new UpdateRoutingProfileAgentAvailabilityTimerCommand({
        InstanceId: instance.Id,
        RoutingProfileId: small.routingProfile.id,
        AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
      }),
    );
    await pullAgain();
    assert.equal((await profileFile()).AgentAvailabilityTimer, 'TIME_SINCE_LAST_ACTIVITY');

    const arn = `${instance.Arn}/routing-profile/${small.routingProfile.id}`;
    await emu.connect().send(new TagResourceCommand({ resourceArn: arn, tags: { tier: 'gold' } }));
    await pullAgain();
    assert.equal((await profileFile()).Tags.tier, 'gold');
  });

  it('sees a change that left the timestamp alone when the search shows it', async () => {
    // An association made without moving LastModifiedTime: the queue ids in the search differ.
    await patchInstance(emu, instance.Id, (record) => {
      const profile = record.routingProfiles[small.routingProfile.id];
      profile.QueueConfigs = profile.QueueConfigs.filter((c) => c.QueueId !== small.queues[2].id);
    });
    const { result } = await pullAgain();
    assert.deepEqual(result.changed, [FILE]);
    const queues = (await profileFile()).Queues.map((q) => q.Queue);
    assert.ok(!queues.some((q) => q.endsWith(`:queue:${small.queues[2].name}}}`)));
  });

  it('reads every profile again with full', async () => {
    const { result, calls } = await pullAgain({ full: true });
    assert.equal(result.commit, undefined);
    const profiles = result.counts['routing-profiles'];
    assert.ok(profiles >= 2, 'the default profile and the support profile');
    for (const operation of PER_PROFILE) {
      assert.equal(calls.filter((c) => c.operation === operation).length, profiles, operation);
    }
  });

  it('does not reuse a profile whose file was edited by hand on the branch', async () => {
    // A broken file in the last snapshot only costs the calls it would have saved.
    const files = await repo.store.readBranchFiles('env/dev');
    files.set(FILE, '{ not json');
    await repo.store.commitFiles('env/dev', files, 'break a file');
    const { result, calls } = await pullAgain();
    assert.deepEqual(result.changed, [FILE]);
    assert.deepEqual(perProfileCalls(calls).sort(), [...PER_PROFILE].sort());
    assert.equal((await profileFile()).AgentAvailabilityTimer, 'TIME_SINCE_LAST_INBOUND');
  });

  /** Commits `edit` of the branch's files, returning the files as the last pull wrote them. */
  const editBranch = async (edit: (files: Map<string, string>) => void) => {
    const files = await repo.store.readBranchFiles('env/dev');
    const pulled = new Map(files);
    edit(files);
    await repo.store.commitFiles('env/dev', files, 'hand edit');
    return pulled;
  };

  it('restores a profile file hand-edited to other valid JSON when the console did not change', async () => {
    // The branch mirrors the instance: a file the last pull did not write is not evidence of it.
    const pulled = await editBranch((files) => {
      const file = JSON.parse(files.get(FILE)!) as Record<string, unknown> & {
        Queues: { Priority: number }[];
      };
      file.Queues[0].Priority = 99;
      delete file.AgentAvailabilityTimer;
      files.set(FILE, JSON.stringify(file, null, 2) + '\n');
    });
    const { result } = await pullAgain();
    assert.deepEqual(result.changed, [FILE]);
    const after = await repo.store.readBranchFiles('env/dev');
    assert.equal(after.get(FILE), pulled.get(FILE));
  });

  it('restores a flow file whose content was edited by hand when the console did not change', async () => {
    const path = `flows/${small.flows.main.name}.json`;
    const pulled = await editBranch((files) => {
      const file = JSON.parse(files.get(path)!) as { Content: Record<string, unknown> };
      file.Content.Actions = [];
      files.set(path, JSON.stringify(file, null, 2) + '\n');
    });
    const { result } = await pullAgain();
    assert.deepEqual(result.changed, [path]);
    assert.equal((await repo.store.readBranchFiles('env/dev')).get(path), pulled.get(path));
  });

  it('renders again, with the new name, the flow naming a queue renamed in the console', async () => {
    // Flow content is tokenized against the last pull's mapping while the pages arrive; the
    // rename makes that stale for the flow naming the queue (in Content and in its draft).
    const queue = small.queues[0];
    await emu.connect().send(
      new UpdateQueueNameCommand({
        InstanceId: instance.Id,
        QueueId: queue.id,
        Name: 'Renamed queue',
      }),
    );
    const path = `flows/${small.flows.main.name}.json`;
    const { result } = await pullAgain();
    assert.ok(result.changed.includes(path), result.changed.join(', '));
    const text = (await repo.store.readBranchFiles('env/dev')).get(path)!;
    assert.ok(text.includes('{{cc:arn:queue:Renamed queue}}'), text);
    assert.ok(!text.includes(`{{cc:arn:queue:${queue.name}}}`));
  });

  it('does not read reused files through a mapping edited by hand', async () => {
    // Two queues' ids swapped: resolving the profile file through it would swap its rows.
    const [a, b] = [small.queues[0].name, small.queues[1].name];
    const pulled = await editBranch((files) => {
      const mapping = JSON.parse(files.get('mapping.json')!) as {
        resources: { queue: Record<string, { id: string; arn: string }> };
      };
      const queues = mapping.resources.queue;
      [queues[a], queues[b]] = [queues[b], queues[a]];
      files.set('mapping.json', JSON.stringify(mapping, null, 2) + '\n');
    });
    await pullAgain();
    const after = await repo.store.readBranchFiles('env/dev');
    assert.equal(after.get(FILE), pulled.get(FILE));
    assert.equal(after.get('mapping.json'), pulled.get('mapping.json'));
  });

  it('writes a hand-reformatted file of equal value back in canonical form', async () => {
    // Equal values, other bytes: one line, an escaped letter, a number written as 1.0.
    const path = `queues/${small.queues[0].name}.json`;
    const pulled = await editBranch((files) => {
      const text = JSON.stringify(JSON.parse(files.get(path)!))
        .replace(
          /"Name":"(.)/,
          (_m, c: string) => `"Name":"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        )
        .replace(/"MaxContacts":(\d+)/, '"MaxContacts":$1.0');
      files.set(path, text);
    });
    const edited = (await repo.store.readBranchFiles('env/dev')).get(path)!;
    assert.deepEqual(JSON.parse(edited), JSON.parse(pulled.get(path)!), 'the edit keeps the value');
    assert.notEqual(edited, pulled.get(path));
    const { result } = await pullAgain();
    assert.deepEqual(result.changed, [path]);
    assert.equal((await repo.store.readBranchFiles('env/dev')).get(path), pulled.get(path));
  });

  const push = (extra: Partial<PushOptions> = {}) =>
    pushEnvironment({
      cwd: repo.dir,
      environment: 'dev',
      clientOptions: {
        credentials: { accessKeyId: `AKIA${instance.Account}`, secretAccessKey: 'emulator-secret' },
        quota: false,
      },
      ...extra,
    });
  const changeTimerOnBranch = async () => {
    const files = await repo.store.readBranchFiles('env/dev');
    const edited = JSON.parse(files.get(FILE)!) as Record<string, unknown>;
    edited.AgentAvailabilityTimer = 'TIME_SINCE_LAST_ACTIVITY';
    files.set(FILE, await renderCanonical(edited));
    await repo.store.commitFiles('env/dev', files, 'change the timer');
    return files;
  };

  it('push plans from the last pull, then reads back only the profiles it wrote', async () => {
    await changeTimerOnBranch();
    await emu.control.clearCalls();
    const pushed = await push();
    assert.deepEqual(
      pushed.applied.map((a) => a.key),
      ['routing-profiles/Support Profile'],
    );
    const calls = await emu.control.calls();
    const firstWrite = calls.findIndex((c) => c.write);
    const lastWrite = calls.length - 1 - [...calls].reverse().findIndex((c) => c.write);
    assert.deepEqual(
      perProfileCalls(calls.slice(0, firstWrite)).sort(),
      [...PER_PROFILE].sort(),
      'plan: only the profile the branch changed',
    );
    assert.deepEqual(
      perProfileCalls(calls.slice(lastWrite + 1)).sort(),
      [...PER_PROFILE].sort(),
      'read back: the written profile alone',
    );
    const { result } = await pullAgain();
    assert.equal(result.commit, undefined, 'the push recorded what it wrote');
  });

  it('push with nothing to do reads no profile, and with full reads every one', async () => {
    await emu.control.clearCalls();
    const quiet = await push();
    assert.deepEqual(quiet.applied, []);
    assert.deepEqual(perProfileCalls(await emu.control.calls()), []);

    await emu.control.clearCalls();
    const full = await push({ full: true });
    assert.deepEqual(full.applied, []);
    const profiles = [...(await repo.store.readBranchFiles('env/dev')).keys()].filter((p) =>
      p.startsWith('routing-profiles/'),
    ).length;
    assert.equal(perProfileCalls(await emu.control.calls()).length, 2 * profiles);
  });

  it('push stops on a profile changed in the console and on the branch since the last pull', async () => {
    // Only the priority moves in the console; the search shows the queue ids unchanged, so the
    // changed LastModifiedTime is what sends the push to describe it again.
    await emu.connect().send(
      new UpdateRoutingProfileQueuesCommand({
        InstanceId: instance.Id,
        RoutingProfileId: small.routingProfile.id,
        QueueConfigs: [
          {
            QueueReference: { QueueId: small.queues[1].id, Channel: 'VOICE' },
            Priority: 7,
            Delay: 0,
          },
        ],
      }),
    );
    await changeTimerOnBranch();
    await emu.control.clearCalls();
    const failed = await rejection(push());
    assert.equal(failed.code, 'CONFLICT');
    assert.match(failed.message, /Support Profile/);
    assert.deepEqual(
      (await emu.control.calls()).filter((c) => c.write),
      [],
    );
  });

  it('push given files still being prepared fails with their error and writes nothing', async () => {
    // Rollback prepares its files while the push reads the instance.
    await changeTimerOnBranch();
    await emu.control.clearCalls();
    const files = Promise.reject(new Error('the older commit could not be read'));
    files.catch(() => undefined); // as rollback marks it: the push awaits it only after opening
    const failed = await push({ files }).then(
      () => assert.fail('the push went on without its files'),
      (error: Error) => error,
    );
    assert.match(failed.message, /older commit could not be read/);
    assert.deepEqual(
      (await emu.control.calls()).filter((c) => c.write),
      [],
    );
  });

  it('a push does not record a console change it left out, so the next push stops on it', async () => {
    const flow = small.flows.sub;
    await emu.connect().send(
      new UpdateContactFlowNameCommand({
        InstanceId: instance.Id,
        ContactFlowId: flow.id,
        Name: flow.name,
        Description: 'changed in the console',
      }),
    );
    await changeTimerOnBranch();
    const pushed = await push({ exclude: ['flows/*'] });
    assert.deepEqual(
      pushed.applied.map((a) => a.key),
      ['routing-profiles/Support Profile'],
    );
    const failed = await rejection(push({ dryRun: true }));
    assert.equal(failed.code, 'CONFLICT');
    assert.match(failed.message, new RegExp(`flows/${flow.name}`));
  });

  it("a note that is not connect-copy's stops a push, naming it, and the next pull replaces it", async () => {
    const head = await repo.store.resolveRef('env/dev');
    await repo.store.writeNote(head, 'garbage');
    const failed = await rejection(push({ dryRun: true }));
    assert.equal(failed.code, 'CORRUPT_NOTE');
    assert.match(failed.message, /refs\/notes\/connect-copy/);
    assert.ok(failed.suggestions.some((s) => s.startsWith('connect-copy pull dev')));

    const { result } = await pullAgain();
    assert.equal(result.commit, undefined, 'the instance and branch still match');
    const quiet = await push();
    assert.deepEqual(quiet.applied, []);
  });

  it('push still sees a console change to a profile the branch left alone', async () => {
    await emu.connect().send(
      new UpdateRoutingProfileAgentAvailabilityTimerCommand({
        InstanceId: instance.Id,
        RoutingProfileId: small.routingProfile.id,
        AgentAvailabilityTimer: 'TIME_SINCE_LAST_ACTIVITY',
      }),
    );
    const failed = await rejection(push({ dryRun: true }));
    assert.equal(failed.code, 'CONFLICT');
    assert.match(failed.message, /routing-profiles\/Support Profile/);
  });
});
