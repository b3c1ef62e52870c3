import { strict as assert } from 'node:assert';
import { CreateContactFlowCommand, ListContactFlowsCommand } from '@aws-sdk/client-connect';
import { findResourceUses } from '../../src/actions/uses';
import { findUses, formatUsesTree } from '../../src/core/uses';
import { ConnectCopyError } from '../../src/errors';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import { corpusPath, FLOW_SETS, seedFolder } from '../helpers/fixtures';
import { flowContent, step, endAction } from '../helpers/flows';
import { makeRepo, pullFrom, SeededInstance, TestRepo } from '../helpers/repo';

/** Files of the branch whose text holds a token naming `kind` `name`, found by plain search. */
function filesNaming(files: Map<string, string>, kind: string, name: string): string[] {
  const pattern = new RegExp(
    `\\{\\{cc:[a-z]+:${kind}:${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}\\}`,
  );
  return [...files]
    .filter(([path, text]) => path.includes('/') && pattern.test(text))
    .map(([path]) => path)
    .sort();
}

describe('uses: what refers to a resource in an environment branch', function () {
  this.timeout(120000);
  let emu: TestEmulator;
  let repo: TestRepo;
  let instance: SeededInstance;

  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.stop());
  beforeEach(async () => {
    await emu.control.reset();
    repo = await makeRepo();
    const folder = seedFolder(FLOW_SETS.voicemail.map(corpusPath));
    try {
      instance = await emu.control.seed(folder.dir);
    } finally {
      folder.remove();
    }
  });
  afterEach(() => repo.remove());

  it('finds the flow that invokes a Lambda function and the flow that transfers to it', async () => {
    const client = emu.connect(instance.Account, instance.Region);
    const flows = await client.send(new ListContactFlowsCommand({ InstanceId: instance.Id }));
    const voicemail = flows.ContactFlowSummaryList!.find((f) => f.Name === 'Voicemail')!;
    await client.send(
      new CreateContactFlowCommand({
        InstanceId: instance.Id,
        Name: 'Front door',
        Type: 'CONTACT_FLOW',
        Content: flowContent([
          step('to-voicemail', 'TransferToFlow', { ContactFlowId: voicemail.Arn }),
          endAction(),
        ]),
      }),
    );
    await pullFrom(emu, repo, 'dev', instance);
    const files = await repo.store.readBranchFiles('env/dev');

    const result = await findResourceUses({
      cwd: repo.dir,
      environment: 'dev',
      resource: 'lambda:ac-voicemail-lambda',
    });
    assert.equal(result.exists, true);
    const direct = result.referrers.filter((r) => r.depth === 1).map((r) => r.path);
    assert.deepEqual(direct.sort(), filesNaming(files, 'lambda', 'ac-voicemail-lambda'));
    const frontDoor = result.referrers.find((r) => r.name === 'Front door');
    assert.deepEqual(
      frontDoor && { kind: frontDoor.kind, depth: frontDoor.depth, via: frontDoor.via },
      { kind: 'flow', depth: 2, via: 'flow:Voicemail' },
    );
    assert.match(frontDoor!.locations[0], /^\$\.Content\.Actions\[0\]\.Parameters\.ContactFlowId$/);

    const text = formatUsesTree(result.tree);
    assert.match(
      text,
      /^lambda ac-voicemail-lambda\n└─ flow Voicemail {2}\(.*\)\n {3}└─ flow Front door {2}\(/,
    );
  });

  it('follows hours to queues, and queues to routing profiles and flows', async () => {
    await pullFrom(emu, repo, 'dev', instance);
    const files = await repo.store.readBranchFiles('env/dev');
    const hoursName = (
      JSON.parse(files.get('queues/BasicQueue.json')!) as { HoursOfOperation: string }
    ).HoursOfOperation.replace(/^\{\{cc:id:hours:(.*)\}\}$/, '$1');

    const result = await findResourceUses({
      cwd: repo.dir,
      environment: 'dev',
      resource: `hours:${hoursName}`,
    });
    const queue = result.referrers.find((r) => r.kind === 'queue' && r.name === 'BasicQueue');
    assert.deepEqual(queue?.locations, ['$.HoursOfOperation']);
    assert.equal(queue?.depth, 1);

    // Everything naming the queue is listed one level further out (unless it names the hours too).
    for (const path of filesNaming(files, 'queue', 'BasicQueue')) {
      const entry = result.referrers.find((r) => r.path === path);
      assert.ok(entry, `${path} uses the hours through the queue`);
      assert.ok(entry.depth === 2 ? entry.via === 'queue:BasicQueue' : entry.depth === 1);
    }
    const profile = result.referrers.find((r) => r.kind === 'routing-profile');
    assert.ok(profile?.locations.includes('$.Queues[0].Queue'));
  });

  it('rejects a bad RESOURCE and one that neither exists nor is referred to', async () => {
    await pullFrom(emu, repo, 'dev', instance);
    const fails = async (resource: string, code: string) =>
      assert.rejects(
        findResourceUses({ cwd: repo.dir, environment: 'dev', resource }),
        (e: unknown) => e instanceof ConnectCopyError && e.code === code,
      );
    await fails('Sales', 'BAD_RESOURCE');
    await fails('table:Sales', 'BAD_RESOURCE');
    await fails('queue:', 'BAD_RESOURCE');
    await fails('queue:No such queue', 'RESOURCE_NOT_FOUND');
    const unused = await findResourceUses({
      cwd: repo.dir,
      environment: 'dev',
      resource: 'prompt:CustomerQueue.wav',
    });
    assert.equal(unused.exists, true);
  });

  it('lists each referrer once and stops at cycles', () => {
    const flow = (name: string, target: string) =>
      JSON.stringify({
        Name: name,
        Content: { Actions: [{ Parameters: { ContactFlowId: `{{cc:arn:flow:${target}}}` } }] },
      });
    const files = new Map([
      ['flows/A.json', flow('A', 'B')],
      ['flows/B.json', flow('B', 'A')],
      ['flows/C.json', flow('C', 'A')],
    ]);
    const report = findUses(files, { kind: 'flow', name: 'A' });
    assert.deepEqual(
      report.referrers.map((r) => [r.name, r.depth]),
      [
        ['B', 1],
        ['C', 1],
      ],
    );
    assert.equal(report.tree.children[0].children[0].repeated, true, 'A under B is a cycle');
  });
});
