import { strict as assert } from 'node:assert';
import {
  buildFlowGraph,
  compareBlocks,
  layoutGraph,
  readableText,
  renderMermaid,
  renderSvg,
} from '../../src/core/flow-diagram';

const content = {
  StartAction: 'ask',
  Metadata: { ActionMetadata: { ask: { friendlyName: 'Ask "why" <now>' } } },
  Actions: [
    {
      Identifier: 'ask',
      Type: 'GetParticipantInput',
      Parameters: { PromptId: '{{cc:arn:prompt:Menu #1}}' },
      Transitions: {
        NextAction: 'queue',
        Conditions: [
          { NextAction: 'queue', Condition: { Operator: 'Equals', Operands: ['1'] } },
          { NextAction: 'gone', Condition: { Operator: 'Equals', Operands: ['2|3'] } },
        ],
        Errors: [{ NextAction: 'ask', ErrorType: 'InputTimeLimitExceeded' }],
      },
    },
    {
      Identifier: 'queue',
      Type: 'UpdateContactTargetQueue',
      Parameters: { QueueId: '{{cc:arn:queue:Sales%7Bnew%7D}}' },
      Transitions: { NextAction: 'ask' },
    },
  ],
};

describe('core/flow-diagram', () => {
  it('names resources from tokens, marks missing targets and escapes Mermaid text', () => {
    const graph = buildFlowGraph(content);
    const titles = graph.nodes.map((n) => `${n.kind}:${n.title}:${n.subtitle}`);
    assert.ok(titles.includes('resource:queue:Sales{new}'), 'token names are decoded');
    assert.ok(titles.includes('resource:prompt:Menu #1'));
    assert.ok(titles.includes('missing:Missing action:gone'));
    assert.ok(titles.includes('action:GetParticipantInput:Ask "why" <now>'), 'friendly name');

    const mermaid = renderMermaid(graph);
    assert.ok(mermaid.includes('Ask #quot;why#quot; #lt;now#gt;'));
    assert.ok(mermaid.includes('Menu #35;1'));
    assert.ok(mermaid.includes('-->|"Equals 2#124;3"|'), 'a pipe cannot end the label early');
    assert.ok(mermaid.includes('==>|"InputTimeLimitExceeded"|'));
    assert.match(mermaid, /class m0 missing/);
  });

  it('lays the main path left to right, loops backwards, resources in the last column', () => {
    const laid = layoutGraph(buildFlowGraph(content));
    const at = (subtitle: string) => laid.find((n) => n.subtitle === subtitle)!;
    assert.equal(laid.find((n) => n.kind === 'start')!.layer, 0);
    assert.equal(at('Ask "why" <now>').layer, 1);
    assert.equal(at('queue').layer, 2);
    const last = Math.max(...laid.map((n) => n.layer));
    for (const node of laid.filter((n) => n.kind === 'resource')) assert.equal(node.layer, last);
    const spots = new Set(laid.map((n) => `${n.x},${n.y}`));
    assert.equal(spots.size, laid.length, 'no two nodes share a place');
  });

  it('compares blocks by Identifier, ignoring designer metadata', () => {
    const moved = structuredClone(content);
    moved.Metadata.ActionMetadata.ask.friendlyName = 'renamed in the designer';
    assert.deepEqual(compareBlocks(moved, content), { changed: [], removed: [] });

    const edited = structuredClone(content) as typeof content;
    edited.Actions[1].Parameters.QueueId = '{{cc:arn:queue:Support}}';
    edited.Actions.splice(0, 1);
    const result = compareBlocks(edited, content);
    assert.deepEqual(result.changed, [
      { identifier: 'queue', type: 'UpdateContactTargetQueue', change: 'changed' },
    ]);
    assert.deepEqual(result.removed, ['ask']);

    const svg = renderSvg(buildFlowGraph(edited, result.changed), 'flow <x>\u0001');
    assert.ok(svg.includes('<title>flow &lt;x&gt;</title>'), 'escaped, control characters gone');
    assert.ok(svg.includes('data-identifier="queue" data-change="changed"'));
  });

  it('reads tokens as kind and name in labels', () => {
    assert.equal(readableText('{{cc:id:queue:A}} or {{cc:open}}x'), 'queue A or {{cc:x');
  });
});
