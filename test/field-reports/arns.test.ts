import { strict as assert } from 'node:assert';
import { MappingIndex, type Mapping, type ResourceKind } from '../../src/core/mapping';
import { addDiscovered, resolve, tokenize, type Json } from '../../src/core/tokens';

const id = (n: number) => `d0d0d0d0-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Every kind the mapping holds, with the ARN segment Connect gives it. */
const SEGMENTS: [ResourceKind, string, string][] = [
  ['flow', 'contact-flow', 'Main'],
  ['module', 'flow-module', 'Helper'],
  ['queue', 'queue', 'Sales'],
  ['prompt', 'prompt', 'Welcome'],
  ['hours', 'operating-hours', 'Office'],
  ['routing-profile', 'routing-profile', 'Agents'],
  ['quick-connect', 'transfer-destination', 'Front desk'],
  ['security-profile', 'security-profile', 'Admin'],
];

function mappingFor(
  env: string,
  partition: string,
  region: string,
  account: string,
  instance: string,
  offset: number,
): Mapping {
  const arn = `arn:${partition}:connect:${region}:${account}:instance/${instance}`;
  const resources: Mapping['resources'] = {};
  SEGMENTS.forEach(([kind, segment, name], i) => {
    const rid = id(offset + i);
    resources[kind] = { [name]: { id: rid, arn: `${arn}/${segment}/${rid}` } };
  });
  const phone = id(offset + 50);
  resources['phone-number'] = {
    '+15550100': {
      id: phone,
      arn: `arn:${partition}:connect:${region}:${account}:phone-number/${phone}`,
    },
  };
  resources.lambda = {
    lookup: { arn: `arn:${partition}:lambda:${region}:${account}:function:${env}-lookup` },
  };
  resources['lex-v2-alias'] = {
    'orders/live': {
      arn: `arn:${partition}:lex:${region}:${account}:bot-alias/BOT${offset}AAAAAA/ALS${offset}AAAAAA`,
    },
  };
  return {
    version: 1,
    environment: env,
    instance: { id: instance, arn, alias: env, region, account },
    naming: { lambda: { prefix: `${env}-`, suffix: '' }, lex: { prefix: '', suffix: '' } },
    resources,
    fingerprints: {},
  };
}

/** A flow that names one resource of each kind by ARN, plus what no mapping holds. */
function contentFor(m: Mapping, extra: Record<string, Json> = {}): Json {
  const params: Record<string, Json> = {};
  for (const [kind, , name] of SEGMENTS) params[kind] = m.resources[kind]![name].arn!;
  params.phone = m.resources['phone-number']!['+15550100'].arn!;
  params.lambda = m.resources.lambda!.lookup.arn!;
  params.lambdaQualified = `${m.resources.lambda!.lookup.arn!}:prod`;
  params.lexV2 = m.resources['lex-v2-alias']!['orders/live'].arn!;
  params.s3 = 's3://recordings-bucket/prompts/welcome.wav';
  return {
    Actions: [
      { Identifier: 'all', Type: 'UpdateContactAttributes', Parameters: { ...params, ...extra } },
    ],
  };
}

const paramsOf = (value: Json) =>
  (value as { Actions: { Parameters: Record<string, Json> }[] }).Actions[0].Parameters;

describe('field reports: ARN forms, core', () => {
  for (const [partition, region] of [
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-cn', 'cn-north-1'],
  ]) {
    describe(`field report extra: non-aws partitions (${partition})`, () => {
      it('tokenizes ARNs of the partition and resolves them to the target in the same partition', () => {
        const dev = mappingFor('dev', partition, region, '111122223333', id(900), 0);
        const prod = mappingFor('prod', partition, region, '444455556666', id(901), 100);
        const index = new MappingIndex(dev);
        const tokenized = tokenize(contentFor(dev), { mapping: index });
        addDiscovered(index, tokenized.findings);
        assert.deepEqual(tokenized.findings.foreign, []);
        assert.deepEqual(tokenized.findings.unknown, []);
        const resolved = resolve(tokenized.value, new MappingIndex(prod));
        assert.deepEqual(resolved.value, contentFor(prod));
      });
    });
  }

  describe('field report extra: every ARN segment type', () => {
    it('maps the kinds the mapping holds, reports the rest, leaves S3 URIs alone', () => {
      const dev = mappingFor('dev', 'aws', 'us-east-1', '111122223333', id(900), 0);
      const prod = mappingFor('prod', 'aws', 'us-east-1', '444455556666', id(901), 100);
      const base = dev.instance.arn;
      // Kinds connect-copy does not copy or map: they stay literal and are reported, never
      // silently left pointing at dev.
      const unmapped: Record<string, Json> = {
        agentGroup: `${base}/agent-group/${id(300)}`,
        agentState: `${base}/agent-state/${id(301)}`,
        view: `${base}/view/${id(302)}:$LATEST`,
        taskTemplate: `${base}/task-template/${id(303)}`,
        lexV1: `arn:aws:lex:us-east-1:111122223333:bot:OrderFlowers:live`,
      };
      const index = new MappingIndex(dev);
      const tokenized = tokenize(contentFor(dev, unmapped), { mapping: index });
      addDiscovered(index, tokenized.findings);
      const params = paramsOf(tokenized.value);
      for (const [kind, , name] of SEGMENTS) {
        assert.equal(params[kind], `{{cc:arn:${kind}:${name}}}`, kind);
      }
      assert.equal(params.phone, '{{cc:arn:phone-number:+15550100}}');
      assert.equal(params.lambda, '{{cc:arn:lambda:lookup}}');
      assert.equal(params.lambdaQualified, '{{cc:arn:lambda:lookup}}:prod');
      assert.equal(params.lexV2, '{{cc:arn:lex-v2-alias:orders/live}}');
      assert.equal(params.s3, 's3://recordings-bucket/prompts/welcome.wav');
      for (const [key, value] of Object.entries(unmapped)) assert.equal(params[key], value, key);
      const reported = tokenized.findings.unknown.map((f) => f.path).sort();
      assert.deepEqual(
        reported,
        Object.keys(unmapped)
          .map((k) => `Actions[0].Parameters.${k}`)
          .sort(),
      );

      const resolved = paramsOf(resolve(tokenized.value, new MappingIndex(prod)).value);
      assert.deepEqual(resolved, paramsOf(contentFor(prod, unmapped)));
    });
  });
});
