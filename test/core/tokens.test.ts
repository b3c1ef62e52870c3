import { strict as assert } from 'node:assert';
import { MappingIndex, type Mapping } from '../../src/core/mapping';
import {
  addDiscovered,
  resolve,
  tokenize,
  type Json,
  type TokenizeContext,
} from '../../src/core/tokens';
import { corpusFiles, mappingFromContent } from '../helpers/corpus-mapping';

/** Every string value (not key) of a JSON value. */
function stringValues(value: Json, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => stringValues(v, out));
  else if (value && typeof value === 'object')
    Object.values(value).forEach((v) => stringValues(v, out));
  return out;
}

function roundTrip(content: Json, mapping: Mapping, lambdaOverrides?: Record<string, string>) {
  const index = new MappingIndex(mapping);
  const ctx: TokenizeContext = { mapping: index, lambdaOverrides };
  const tokenized = tokenize(content, ctx);
  addDiscovered(index, tokenized.findings);
  const resolved = resolve(tokenized.value, index);
  return { tokenized, resolved, index };
}

const IID = '5a1e0f3c-7b2d-4e6f-9a8b-1c2d3e4f5a6b';
const OTHER_IID = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
const ACCOUNT = '123456789012';
const REGION = 'eu-west-2';
const INSTANCE_ARN = `arn:aws:connect:${REGION}:${ACCOUNT}:instance/${IID}`;
const QUEUE_ID = '11111111-2222-4333-8444-555555555555';
const FLOW_ID = '66666666-7777-4888-9999-aaaaaaaaaaaa';
const USER_ID = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';

function handMapping(): Mapping {
  return {
    version: 1,
    environment: 'dev',
    instance: { id: IID, arn: INSTANCE_ARN, alias: 'dev', region: REGION, account: ACCOUNT },
    naming: { lambda: { prefix: 'dev-', suffix: '' }, lex: { prefix: 'Dev', suffix: '' } },
    resources: {
      queue: { 'Sales {EU} 100%': { id: QUEUE_ID, arn: `${INSTANCE_ARN}/queue/${QUEUE_ID}` } },
      flow: { 'Main: IVR': { id: FLOW_ID, arn: `${INSTANCE_ARN}/contact-flow/${FLOW_ID}` } },
      agent: { bob: { id: USER_ID, arn: `${INSTANCE_ARN}/agent/${USER_ID}` } },
      'agent-queue': { bob: { id: USER_ID, arn: `${INSTANCE_ARN}/queue/agent/${USER_ID}` } },
    },
    fingerprints: {},
  };
}

describe('core/tokens on the real corpus', () => {
  for (const { file, content } of corpusFiles()) {
    it(`round-trips ${file} and leaves no id of its instance`, () => {
      const mapping = mappingFromContent(content);
      const { tokenized, resolved, index } = roundTrip(content, mapping);

      const values = stringValues(tokenized.value);
      const forbidden = [mapping.instance.id];
      for (const entries of Object.values(index.mapping.resources)) {
        for (const e of Object.values(entries ?? {})) {
          if (e.id) forbidden.push(e.id);
          if (e.arn) forbidden.push(e.arn);
        }
      }
      for (const s of values) {
        if (s.startsWith('$.')) continue; // dynamic values are never rewritten, by design
        for (const f of forbidden) assert.ok(!s.includes(f), `${file}: "${f}" left in "${s}"`);
      }

      assert.deepStrictEqual(resolved.unresolved, []);
      assert.deepStrictEqual(resolved.value, content);
    });
  }

  it('reports every Connect ARN of a real flow as foreign to an unrelated instance', () => {
    let checked = 0;
    for (const { file, content } of corpusFiles()) {
      const own = mappingFromContent(content);
      const stranger: Mapping = {
        ...own,
        instance: {
          ...own.instance,
          id: OTHER_IID,
          arn: own.instance.arn.replace(own.instance.id, OTHER_IID),
        },
        resources: {},
      };
      const text = JSON.stringify(content);
      const arns =
        text.match(/arn:aws:connect:[a-z0-9-]+:\d{12}:instance\/[0-9a-f-]{36}[^"]*/g) ?? [];
      const { tokenized } = roundTrip(content, stranger);

      assert.equal(tokenized.findings.foreign.length, arns.length, file);
      for (const f of tokenized.findings.foreign) {
        const at = valueAt(content, f.path);
        assert.equal(typeof at, 'string', `${file}: ${f.path}`);
        assert.ok((at as string).includes(f.value), `${file}: ${f.path}`);
        // Lambda ARNs share the account and region, so only they may become tokens here.
        const leaked = stringValues(tokenized.value).filter((s) =>
          /\{\{cc:(?!arn:lambda:)/.test(s),
        );
        assert.deepEqual(leaked, [], file);
        checked++;
      }
    }
    assert.ok(checked > 20, `only ${checked} foreign references checked`);
  });
});

/** Follows a path as formatPath writes it (`Actions[3].Parameters["a b"]`). */
function valueAt(value: Json, path: string): Json | undefined {
  const parts = path.match(/[^.[\]]+|\[(\d+|"(?:[^"\\]|\\.)*")\]/g) ?? [];
  let at: Json | undefined = value;
  for (const part of parts) {
    if (at === null || typeof at !== 'object') return undefined;
    const key = part.startsWith('[') ? JSON.parse(part.slice(1, -1)) : part;
    at = (at as Record<string, Json>)[key];
  }
  return at;
}

describe('core/tokens rules', () => {
  it('tokenizes ARNs, bare ids and ids inside longer strings, with encoded names', () => {
    const content: Json = {
      Actions: [
        { Identifier: 'a', Parameters: { QueueId: `${INSTANCE_ARN}/queue/${QUEUE_ID}` } },
        { Identifier: 'b', Parameters: { Attributes: { list: `queue=${QUEUE_ID};next` } } },
        { Identifier: 'c', Parameters: { AgentId: `${INSTANCE_ARN}/agent/${USER_ID}` } },
        { Identifier: 'd', Parameters: { QueueId: `${INSTANCE_ARN}/queue/agent/${USER_ID}` } },
        { Identifier: 'e', Parameters: { Instance: INSTANCE_ARN, Bare: IID } },
      ],
    };
    const { tokenized, resolved } = roundTrip(content, handMapping());
    const actions = (tokenized.value as { Actions: { Parameters: Record<string, Json> }[] })
      .Actions;
    assert.equal(actions[0].Parameters.QueueId, '{{cc:arn:queue:Sales %7BEU%7D 100%25}}');
    assert.deepEqual(actions[1].Parameters.Attributes, {
      list: 'queue={{cc:id:queue:Sales %7BEU%7D 100%25}};next',
    });
    assert.equal(actions[2].Parameters.AgentId, '{{cc:arn:agent:bob}}');
    assert.equal(actions[3].Parameters.QueueId, '{{cc:arn:agent-queue:bob}}');
    assert.deepEqual(actions[4].Parameters, {
      Instance: '{{cc:arn:instance}}',
      Bare: '{{cc:id:instance}}',
    });
    assert.deepStrictEqual(resolved.value, content);
  });

  it('keeps qualifiers literal after the token and round-trips them', () => {
    const lambda = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:dev-lookup`;
    const content: Json = {
      Saved: `${INSTANCE_ARN}/contact-flow/${FLOW_ID}:$SAVED`,
      Version: `${INSTANCE_ARN}/contact-flow/${FLOW_ID}:7`,
      Alias: `${lambda}:live`,
      Plain: lambda,
    };
    const { tokenized, resolved, index } = roundTrip(content, handMapping());
    assert.deepEqual(tokenized.value, {
      Saved: '{{cc:arn:flow:Main: IVR}}:$SAVED',
      Version: '{{cc:arn:flow:Main: IVR}}:7',
      Alias: '{{cc:arn:lambda:lookup}}:live',
      Plain: '{{cc:arn:lambda:lookup}}',
    });
    assert.deepEqual(tokenized.findings.lambdas, [{ name: 'lookup', arn: lambda }]);
    assert.equal(index.entry('lambda', 'lookup')?.arn, lambda);
    assert.deepStrictEqual(resolved.value, content);
  });

  it('applies a Lambda override before the naming rule', () => {
    const lambda = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:legacy-lookup-fn`;
    const { tokenized, resolved } = roundTrip({ L: lambda }, handMapping(), {
      lookup: 'legacy-lookup-fn',
    });
    assert.deepEqual(tokenized.value, { L: '{{cc:arn:lambda:lookup}}' });
    assert.deepStrictEqual(resolved.value, { L: lambda });
  });

  it('leaves literal token text, dynamic values, AWS-owned ARNs and placeholders intact', () => {
    const content: Json = {
      Text: 'Say {{cc:arn:queue:Sales}} and {{cc:open}} and {{{cc:x}}',
      Dynamic: `$.Attributes.${QUEUE_ID}`,
      DynamicOpen: '$.Attributes.{{cc:x',
      View: 'arn:aws:connect:us-east-1:aws:view/cards:1',
      Terraform: '${var.x}',
      TerraformId: `\${var.queues["${QUEUE_ID}"]}`,
      Menu: '{{menu}}',
      Percent: '%QconnectAssistantArn%',
      Words: '50% off',
    };
    const { tokenized, resolved } = roundTrip(content, handMapping());
    const out = tokenized.value as Record<string, string>;
    assert.equal(
      out.Text,
      'Say {{cc:open}}arn:queue:Sales}} and {{cc:open}}open}} and {{{cc:open}}x}}',
    );
    for (const key of ['Dynamic', 'View', 'Terraform', 'TerraformId', 'Menu', 'Percent', 'Words']) {
      assert.equal(out[key], (content as Record<string, string>)[key], key);
    }
    assert.equal(out.DynamicOpen, '$.Attributes.{{cc:open}}x');
    assert.equal(tokenized.findings.counts.open, 3);
    assert.deepStrictEqual(resolved.value, content);
  });

  it('never touches action identifiers, even when they equal a resource id', () => {
    const content: Json = {
      StartAction: QUEUE_ID,
      Actions: [
        {
          Identifier: QUEUE_ID,
          Parameters: {},
          Transitions: { NextAction: FLOW_ID, Errors: [{ NextAction: FLOW_ID }] },
        },
      ],
    };
    const { tokenized, resolved } = roundTrip(content, handMapping());
    assert.deepStrictEqual(tokenized.value, content);
    assert.deepStrictEqual(resolved.value, content);
  });

  it('reports foreign and unknown references with JSON paths and keeps them literal', () => {
    const otherAccount = `arn:aws:connect:${REGION}:210987654321:instance/${IID}/queue/${QUEUE_ID}`;
    const otherInstance = `${INSTANCE_ARN.replace(IID, OTHER_IID)}/queue/${QUEUE_ID}`;
    const otherRegion = `arn:aws:lambda:us-west-2:${ACCOUNT}:function:dev-lookup`;
    const unknownId = 'deadbeef-0000-4000-8000-000000000000';
    const unknown = `${INSTANCE_ARN}/prompt/${unknownId}`;
    const content: Json = {
      Actions: [
        { Parameters: {} },
        { Parameters: {} },
        { Parameters: {} },
        { Parameters: { QueueId: otherAccount } },
        { Parameters: { QueueId: otherInstance, LambdaFunctionARN: otherRegion } },
        { Parameters: { PromptId: unknown, Other: unknownId } },
      ],
    };
    const { tokenized, resolved } = roundTrip(content, handMapping());
    assert.deepStrictEqual(tokenized.value, content);
    assert.deepEqual(
      tokenized.findings.foreign.map((f) => [f.path, f.value]),
      [
        ['Actions[3].Parameters.QueueId', otherAccount],
        ['Actions[4].Parameters.QueueId', otherInstance],
        ['Actions[4].Parameters.LambdaFunctionARN', otherRegion],
      ],
    );
    assert.deepEqual(
      tokenized.findings.unknown.map((f) => [f.path, f.value]),
      [['Actions[5].Parameters.PromptId', unknown]],
    );
    assert.deepStrictEqual(resolved.value, content);
  });

  it('tokenizes Lex V1 bots of the instance region by portable name', () => {
    const content: Json = {
      Here: { LexBot: { Name: 'DevOrderFlowers', Region: REGION, Alias: '$LATEST' } },
      Elsewhere: { LexBot: { Name: 'DevOrderFlowers', Region: 'us-east-1', Alias: 'prod' } },
    };
    const { tokenized, resolved } = roundTrip(content, handMapping());
    assert.deepEqual((tokenized.value as Record<string, Json>).Here, {
      LexBot: {
        Name: '{{cc:name:lex-bot:OrderFlowers}}',
        Region: '{{cc:region}}',
        Alias: '$LATEST',
      },
    });
    assert.deepEqual((tokenized.value as Record<string, Json>).Elsewhere, content.Elsewhere);
    assert.deepStrictEqual(resolved.value, content);
  });

  it('resolves the same tokens to another environment and reports what it cannot resolve', () => {
    const content: Json = { Q: `${INSTANCE_ARN}/queue/${QUEUE_ID}:x`, F: FLOW_ID };
    const { tokenized } = roundTrip(content, handMapping());

    const prodIid = 'abcdefab-1234-4321-8888-000000000001';
    const prodArn = `arn:aws:connect:us-east-1:999988887777:instance/${prodIid}`;
    const prodQueue = 'abcdefab-1234-4321-8888-000000000002';
    const prod: Mapping = {
      ...handMapping(),
      instance: {
        id: prodIid,
        arn: prodArn,
        alias: 'prod',
        region: 'us-east-1',
        account: '999988887777',
      },
      resources: {
        queue: { 'Sales {EU} 100%': { id: prodQueue, arn: `${prodArn}/queue/${prodQueue}` } },
      },
    };
    const resolved = resolve(tokenized.value, prod);
    assert.deepEqual(resolved.value, {
      Q: `${prodArn}/queue/${prodQueue}:x`,
      F: '{{cc:id:flow:Main: IVR}}',
    });
    assert.deepEqual(
      resolved.unresolved.map((u) => [u.token, u.path]),
      [['{{cc:id:flow:Main: IVR}}', 'F']],
    );
  });
});
