import { strict as assert } from 'node:assert';
import { renderCanonical } from '../../src/core/canonical';
import type { Mapping } from '../../src/core/mapping';
import type { Json } from '../../src/core/tokens';
import { validateReferences } from '../../src/core/validate';
import { corpusFiles, mappingFromContent } from '../helpers/corpus-mapping';
import {
  buildEnvFiles,
  flowResource,
  mappingsFor,
  moduleResource,
  parse,
  readCorpus,
} from '../helpers/environments';

const CALLBACK =
  'flows/aws-samples__amazon-connect-callback-contact-management__test_callback_contact_flow.json';
const DIALER = 'flows/aws-samples__amazon-connect-power-dialer__View-Dialer-DispositionCodes.json';
const WHISPER =
  'flows/aws-samples__sample-amazon-connect-outbound-call__OutboundCallWhisperer.json';

/** Index of the callback flow's UpdateContactTargetQueue block in its Actions. */
const SET_QUEUE = '7c70fd00-5faa-42ac-927c-d3ff96ce5c54';

function mappingOf(files: Map<string, string>): Mapping {
  return parse(files.get('mapping.json')) as unknown as Mapping;
}

function without(mapping: Mapping, kind: 'queue' | 'lambda', name: string): Mapping {
  const entries = { ...mapping.resources[kind] };
  delete entries[name];
  return { ...mapping, resources: { ...mapping.resources, [kind]: entries } };
}

describe('validateReferences', () => {
  it('passes every real corpus flow and module tokenized against its own instance', async () => {
    const structural = new Set<string>();
    for (const { file, content } of corpusFiles()) {
      const mapping = mappingFromContent(content);
      const resource = file.startsWith('modules/')
        ? moduleResource('Subject', content)
        : flowResource('Subject', content);
      const files = await buildEnvFiles(mapping, [resource]);
      const { issues } = validateReferences(files, mappingOf(files));
      const refs = issues.filter((i) => /reference|token|kind/.test(i.code));
      assert.deepEqual(refs, [], file);
      if (issues.length) structural.add(file);
    }
    // Only the two files that are not console exports (MANIFEST notes): a hand-written flow whose
    // transitions name missing blocks, and a template with an empty StartAction.
    assert.deepEqual([...structural].sort(), [
      'flows/BTheodor__Intelligent-IVR-with-Amazon-Connect-Lex-and-Lambda__' +
        'intelligent-ivr-flow.json',
      'flows/sophyphile__amazon-connect-terraform-flow-templater__agent_hold.json',
    ]);
  });

  it('lists a token that does not resolve, with file, JSON path and block', async () => {
    const { a, contents } = mappingsFor({ callback: CALLBACK });
    const files = await buildEnvFiles(a, [
      flowResource('Callback entry', contents.get('callback')!),
    ]);
    const queueName = Object.keys(a.resources.queue!)[0];

    assert.deepEqual(validateReferences(files, a).issues, []);
    const report = validateReferences(files, without(a, 'queue', queueName));

    const content = parse(files.get('flows/Callback entry.json')).Content as {
      Actions: { Identifier: string }[];
    };
    const index = content.Actions.findIndex((x) => x.Identifier === SET_QUEUE);
    assert.equal(report.errors, 1);
    assert.deepEqual(report.issues[0], {
      severity: 'error',
      code: 'unresolved-reference',
      file: 'flows/Callback entry.json',
      path: `$.Content.Actions[${index}].Parameters.QueueId`,
      token: `{{cc:arn:queue:${queueName}}}`,
      block: SET_QUEUE,
      message:
        `queue "${queueName}" does not exist in environment dev: ` +
        'copy it too, or create it there and pull.',
    });
  });

  it('accepts a reference to a resource the branch defines, and an overridden Lambda', async () => {
    const { a, contents } = mappingsFor({ dialer: DIALER });
    const files = await buildEnvFiles(a, [flowResource('Dispositions', contents.get('dialer')!)]);
    const mapping = mappingOf(files);
    const fn = Object.keys(mapping.resources.lambda!)[0];
    const noLambda = without(mapping, 'lambda', fn);

    const missing = validateReferences(files, noLambda);
    assert.deepEqual(
      missing.issues.map((i) => [i.code, i.token]),
      [['unresolved-reference', `{{cc:arn:lambda:${fn}}}`]],
    );
    assert.match(missing.issues[0].message, /add an override/);
    assert.equal(validateReferences(files, noLambda, { lambdaOverrides: { [fn]: 'x' } }).errors, 0);

    // A flow named by a token resolves when the branch has its file: the push creates it first.
    const caller = {
      Version: '2019-10-30',
      StartAction: 'go',
      Actions: [
        {
          Identifier: 'go',
          Type: 'TransferToFlow',
          Parameters: { ContactFlowId: '{{cc:arn:flow:Dispositions}}' },
          Transitions: {},
        },
      ],
    };
    const withCaller = new Map(files);
    withCaller.set(
      'flows/Caller.json',
      await renderCanonical({ ...flowResource('Caller', caller).fields, Name: 'Caller' }),
    );
    assert.equal(validateReferences(withCaller, mapping).errors, 0);

    // integrations.json names what the push associates: each must exist in the environment.
    withCaller.set(
      'integrations.json',
      await renderCanonical({
        LambdaFunctions: [`${fn}:live`, 'absent-fn'],
        LexBots: [],
        LexV2Aliases: [],
      }),
    );
    assert.deepEqual(
      validateReferences(withCaller, mapping).issues.map((i) => [i.code, i.file, i.path]),
      [['unresolved-integration', 'integrations.json', '$.LambdaFunctions[1]']],
    );
  });

  it('does not report literal {{cc:open}} text, but reports a broken token', async () => {
    const { a } = mappingsFor({ callback: CALLBACK });
    const flow = (text: string): Json => ({
      Version: '2019-10-30',
      StartAction: 'say',
      Actions: [
        {
          Identifier: 'say',
          Type: 'MessageParticipant',
          Parameters: { Text: text },
          Transitions: {},
        },
      ],
    });
    const literal = await buildEnvFiles(a, [
      flowResource('Literal', flow('Dial {{cc:arn:queue:Nope}} now')),
    ]);
    assert.ok(literal.get('flows/Literal.json')!.includes('{{cc:open}}arn:queue:Nope}}'));
    assert.deepEqual(validateReferences(literal, a).issues, []);

    const broken = new Map(literal);
    broken.set(
      'flows/Literal.json',
      literal
        .get('flows/Literal.json')!
        .replace('{{cc:open}}arn:queue:Nope}}', '{{cc:arn:queue:Nope'),
    );
    const report = validateReferences(broken, a);
    assert.deepEqual(
      report.issues.map((i) => [i.code, i.path]),
      [['malformed-token', '$.Content.Actions[0].Parameters.Text']],
    );
  });

  it('finds what a push would fail on: start, next, version, names, required fields', async () => {
    const { a } = mappingsFor({ callback: CALLBACK });
    const whisper = readCorpus(WHISPER) as {
      StartAction: string;
      Version: string;
      Actions: { Transitions: { NextAction?: string } }[];
    };
    const bad = structuredClone(whisper);
    bad.StartAction = 'missing-start';
    bad.Version = '2020-01-01';
    const withNext = bad.Actions.findIndex((x) => x.Transitions.NextAction);
    bad.Actions[withNext].Transitions.NextAction = 'nowhere';
    const files = await buildEnvFiles(a, [
      flowResource('Whisper', bad as Json, 'OUTBOUND_WHISPER'),
      flowResource('Good', whisper as Json),
    ]);
    files.set('flows/Renamed by hand.json', files.get('flows/Good.json')!);
    files.delete('flows/Good.json');
    files.set(
      'routing-profiles/Basic.json',
      await renderCanonical({ Name: 'Basic', DefaultOutboundQueue: 'x', MediaConcurrencies: [] }),
    );

    const issues = validateReferences(files, a).issues.map((i) => [i.code, i.file, i.path]);
    assert.deepEqual(issues, [
      ['file-name-mismatch', 'flows/Renamed by hand.json', '$.Name'],
      [
        'invalid-next-action',
        'flows/Whisper.json',
        `$.Content.Actions[${withNext}].Transitions.NextAction`,
      ],
      ['invalid-start-action', 'flows/Whisper.json', '$.Content.StartAction'],
      ['invalid-content', 'flows/Whisper.json', '$.Content.Version'],
      ['missing-field', 'routing-profiles/Basic.json', '$.Description'],
      ['missing-field', 'routing-profiles/Basic.json', '$.MediaConcurrencies'],
    ]);
  });

  it('rejects block identifiers Connect does not accept', async () => {
    const { a } = mappingsFor({ callback: CALLBACK });
    const content: Json = {
      Version: '2019-10-30',
      StartAction: 'step:1',
      Actions: [
        { Identifier: 'step:1', Type: 'MessageParticipant', Transitions: { NextAction: 'end' } },
        { Identifier: 'end', Type: 'DisconnectParticipant', Transitions: {} },
        { Identifier: 'x'.repeat(51), Type: 'DisconnectParticipant', Transitions: {} },
        { Identifier: 'constructor', Type: 'DisconnectParticipant', Transitions: {} },
      ],
    };
    const files = await buildEnvFiles(a, [flowResource('Ids', content)]);
    const issues = validateReferences(files, a).issues;
    assert.deepEqual(
      issues.map((i) => [i.code, i.path]),
      [
        ['invalid-identifier', '$.Content.Actions[0].Identifier'],
        ['invalid-identifier', '$.Content.Actions[2].Identifier'],
        ['invalid-identifier', '$.Content.Actions[3].Identifier'],
      ],
    );
  });
});
