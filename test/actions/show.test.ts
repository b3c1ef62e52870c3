import { strict as assert } from 'node:assert';
import {
  DescribeContactFlowCommand,
  ListContactFlowsCommand,
  UpdateContactFlowContentCommand,
} from '@aws-sdk/client-connect';
import { showFlow } from '../../src/actions/show';
import { ConnectCopyError } from '../../src/errors';
import { startEmulator, TestEmulator } from '../helpers/emulator';
import { corpusPath, FLOW_SETS, seedFolder } from '../helpers/fixtures';
import { makeRepo, pullFrom, SeededInstance, TestRepo } from '../helpers/repo';

interface FlowAction {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: string;
    Errors?: { NextAction: string; ErrorType: string }[];
    Conditions?: { NextAction: string; Condition: { Operator: string; Operands: string[] } }[];
  };
}

/** Designer UUIDs are shown by their first group, other identifiers whole. */
const shortName = (identifier: string) =>
  /^[0-9a-f-]{36}$/.test(identifier) ? identifier.slice(0, 8) : identifier;

describe('show: a flow of an environment branch as a diagram', function () {
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
    await pullFrom(emu, repo, 'dev', instance);
  });
  afterEach(() => repo.remove());

  const storedActions = async (flow: string): Promise<FlowAction[]> => {
    const text = await repo.store.readFile('env/dev', `flows/${flow}.json`);
    return (JSON.parse(text!) as { Content: { Actions: FlowAction[] } }).Content.Actions;
  };

  it('draws every block, transition and referenced resource of a real flow in Mermaid', async () => {
    const result = await showFlow({
      cwd: repo.dir,
      environment: 'dev',
      flow: 'Voicemail',
      format: 'mermaid',
    });
    const mermaid = result.mermaid!;
    assert.match(mermaid, /^flowchart LR\n/);
    assert.deepEqual(result.changedBlocks, []);

    const actions = await storedActions('Voicemail');
    const nodeOf = new Map<string, string>();
    for (const action of actions) {
      const line = mermaid
        .split('\n')
        .find((l) => l.includes(`["${action.Type}<br/>${shortName(action.Identifier)}"]`));
      assert.ok(line, `a node for ${action.Type} ${action.Identifier}`);
      nodeOf.set(action.Identifier, line.trim().split('[')[0]);
    }
    for (const action of actions) {
      const from = nodeOf.get(action.Identifier)!;
      const t = action.Transitions;
      if (t.NextAction) assert.ok(mermaid.includes(`${from} --> ${nodeOf.get(t.NextAction)}\n`));
      for (const e of t.Errors ?? []) {
        const edge = `${from} ==>|"${e.ErrorType}"| ${nodeOf.get(e.NextAction)}\n`;
        assert.ok(mermaid.includes(edge), `error edge ${edge}`);
      }
      for (const c of t.Conditions ?? []) {
        assert.ok(mermaid.includes(`${from} -->|"${c.Condition.Operator} `), 'a condition edge');
      }
    }

    // Resources appear by the name in their token, linked from the block that uses them.
    const text = (await repo.store.readFile('env/dev', 'flows/Voicemail.json'))!;
    const tokens = [...text.matchAll(/\{\{cc:(?:arn|id):([a-z-]+):([^}]+)\}\}/g)];
    assert.ok(tokens.length >= 3, 'the voicemail flow references a module, a prompt and a Lambda');
    for (const [, kind, name] of tokens) {
      const node = new RegExp(`  (r\\d+)\\[/"${kind}<br/>${name.replace(/\./g, '\\.')}"/\\]`);
      const id = node.exec(mermaid)?.[1];
      assert.ok(id, `a side node for ${kind} ${name}`);
      assert.match(mermaid, new RegExp(` -\\.-> ${id}\\n`));
    }
    assert.ok(!/[0-9a-f]{8}-[0-9a-f]{4}-/.test(mermaid), 'no ids or ARNs in the diagram');
  });

  it('highlights blocks added or changed since another environment or an older commit', async () => {
    const first = await repo.store.resolveRef('env/dev');
    await pullFrom(emu, repo, 'prod', instance);

    const client = emu.connect(instance.Account, instance.Region);
    const summaries = await client.send(new ListContactFlowsCommand({ InstanceId: instance.Id }));
    const flowId = summaries.ContactFlowSummaryList!.find((f) => f.Name === 'Voicemail')!.Id!;
    const described = await client.send(
      new DescribeContactFlowCommand({ InstanceId: instance.Id, ContactFlowId: flowId }),
    );
    const content = JSON.parse(described.ContactFlow!.Content!) as {
      StartAction: string;
      Actions: FlowAction[];
    };
    const edited = content.Actions.find((a) => a.Type === 'MessageParticipant')!;
    edited.Parameters = { Text: 'Please leave a message after the tone, <b>"now"</b>.' };
    const added: FlowAction = {
      Identifier: 'new-greeting',
      Type: 'MessageParticipant',
      Parameters: { Text: 'Hello' },
      Transitions: { NextAction: content.StartAction, Errors: [], Conditions: [] },
    };
    content.Actions.push(added);
    content.StartAction = added.Identifier;
    await client.send(
      new UpdateContactFlowContentCommand({
        InstanceId: instance.Id,
        ContactFlowId: flowId,
        Content: JSON.stringify(content),
      }),
    );
    const second = await pullFrom(emu, repo, 'dev', instance, { again: true });
    assert.ok(second.commit);

    for (const compare of ['prod', first, first.slice(0, 10)]) {
      const result = await showFlow({
        cwd: repo.dir,
        environment: 'dev',
        flow: 'Voicemail',
        format: 'mermaid',
        compare,
      });
      assert.equal(result.compare?.found, true);
      assert.deepEqual(
        result.changedBlocks.map((b) => [b.identifier, b.change]).sort(),
        [
          [added.Identifier, 'added'],
          [edited.Identifier, 'changed'],
        ].sort(),
      );
      const mermaid = result.mermaid!;
      const classOf = (cls: string) => new RegExp(`  class (\\S+) ${cls}\\n`).exec(mermaid)?.[1];
      const nodeId = (identifier: string) =>
        new RegExp(`  (a\\d+)\\["MessageParticipant<br/>${shortName(identifier)}"\\]`).exec(
          mermaid,
        )?.[1];
      assert.equal(classOf('added'), nodeId(added.Identifier));
      assert.equal(classOf('changed'), nodeId(edited.Identifier));
      assert.match(mermaid, /classDef added fill:/);
    }

    const svg = await showFlow({
      cwd: repo.dir,
      environment: 'dev',
      flow: 'Voicemail',
      format: 'svg',
      compare: 'prod',
    });
    const image = svg.svg!;
    assert.match(image, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(image.trimEnd().endsWith('</svg>'));
    assert.ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(image), 'self-contained, no script');
    const actions = await storedActions('Voicemail');
    assert.equal((image.match(/<g class="node node-action"/g) ?? []).length, actions.length);
    const highlighted = [...image.matchAll(/data-identifier="([^"]+)" data-change="(\w+)"/g)];
    assert.deepEqual(
      highlighted.map((m) => [m[1], m[2]]).sort(),
      [
        [added.Identifier, 'added'],
        [edited.Identifier, 'changed'],
      ].sort(),
    );
    assert.ok(!image.includes('<b>'), 'text from the flow is escaped');
  });

  it('names a missing flow, a missing branch and a bad compare ref', async () => {
    const fails = async (promise: Promise<unknown>, code: string) =>
      assert.rejects(promise, (e: unknown) => e instanceof ConnectCopyError && e.code === code);
    const base = { cwd: repo.dir, environment: 'dev', format: 'mermaid' as const };
    await fails(showFlow({ ...base, flow: 'voicemail' }), 'FLOW_NOT_FOUND');
    await fails(showFlow({ ...base, flow: 'Voicemail', environment: 'qa' }), 'BRANCH_NOT_FOUND');
    await fails(
      showFlow({ ...base, flow: 'Voicemail', environment: 'Dev' }),
      'INVALID_ENVIRONMENT_NAME',
    );
    await assert.rejects(
      showFlow({ ...base, flow: 'Voicemail', compare: 'nowhere' }),
      ConnectCopyError,
    );
  });
});
