import { strict as assert } from 'node:assert';
import { lowerBound, phaseBound, totalCalls, type Quota } from '../../bench/bound';
import { generate, scaleFor } from '../../bench/generate';
import { emptyState } from '../../src/emulator/model';
import { compareInstances } from '../../bench/faults';

const connect: Quota = { rate: 2, burst: 5 };
const quotas =
  (overrides: Record<string, Quota> = {}) =>
  (op: string) =>
    overrides[op] ?? connect;

describe('bench: lower bound under the quota', () => {
  it('charges only the calls beyond the burst, at the operation rate', () => {
    // 105 calls: 5 from the full bucket, 100 more at 2 a second.
    const b = phaseBound({ name: 'read', calls: { SearchQueues: 105 } }, quotas());
    assert.equal(b.seconds, 50);
    assert.equal(b.limitedBy, 'SearchQueues');
  });

  it('takes the busiest operation of a phase, since operations have separate buckets', () => {
    const b = phaseBound(
      { name: 'read', calls: { SearchContactFlows: 25, ListRoutingProfileQueues: 45, Other: 3 } },
      quotas(),
    );
    assert.equal(b.seconds, 20);
    assert.equal(b.limitedBy, 'ListRoutingProfileQueues');
  });

  it('is zero for a phase that fits in the burst', () => {
    const b = phaseBound(
      { name: 'find', calls: { DescribeInstance: 1, ListInstances: 5 } },
      quotas(),
    );
    assert.equal(b.seconds, 0);
    assert.equal(b.limitedBy, undefined);
  });

  it('adds dependent phases and uses per-operation quotas', () => {
    const bound = lowerBound(
      [
        { name: 'queues', calls: { CreateQueue: 45 } },
        { name: 'flows', calls: { CreateContactFlow: 205, GetFunction: 300 } },
      ],
      quotas({ GetFunction: { rate: 100, burst: 100 } }),
    );
    assert.equal(bound.phases[0].seconds, 20);
    assert.equal(bound.phases[1].seconds, 100);
    assert.equal(bound.phases[1].limitedBy, 'CreateContactFlow');
    assert.equal(bound.seconds, 120);
  });

  it('scales exactly with the rate when the burst is kept, so a faster quota keeps ratios', () => {
    const phases = [{ name: 'p', calls: { A: 85, B: 10 } }];
    const slow = lowerBound(phases, () => ({ rate: 2, burst: 5 })).seconds;
    const fast = lowerBound(phases, () => ({ rate: 20, burst: 5 })).seconds;
    assert.equal(slow / fast, 10);
  });

  it('totals calls over phases', () => {
    assert.deepEqual(
      totalCalls([
        { name: 'a', calls: { X: 1, Y: 2 } },
        { name: 'b', calls: { X: 3 } },
      ]),
      { X: 4, Y: 2 },
    );
  });
});

describe('bench: generated instance', () => {
  it('is the same for the same seed and has the requested shape', () => {
    const a = emptyState();
    const b = emptyState();
    const ga = generate(a, scaleFor(100), 7);
    generate(b, scaleFor(100), 7);
    assert.deepEqual(a, b);
    const source = ga.source;
    assert.equal(Object.values(source.flows).filter((f) => f.Name.includes(' 0')).length, 100);
    assert.equal(Object.keys(source.modules).length, 10);
    const profiles = Object.values(source.routingProfiles).filter((p) => !p.IsDefault);
    assert.equal(profiles.length, 10);
    for (const profile of profiles) {
      const queues = new Set(profile.QueueConfigs.map((c) => c.QueueId));
      assert.ok(queues.size >= 5 && queues.size <= 20, `${queues.size} queues`);
    }
    // Every flow reference points at a flow of the instance, and some form a cycle.
    const arnOf = (id: string) => `${source.Id}/contact-flow/${id}`;
    const edges = new Map<string, string[]>();
    for (const flow of Object.values(source.flows)) {
      const targets = Object.values(source.flows)
        .filter((other) => flow.Content.includes(arnOf(other.Id)))
        .map((other) => other.Id);
      edges.set(flow.Id, targets);
    }
    const onCycle = [...edges.keys()].some((start) => {
      const seen = new Set<string>();
      const stack = [...(edges.get(start) ?? [])];
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (id === start) return true;
        if (seen.has(id)) continue;
        seen.add(id);
        stack.push(...(edges.get(id) ?? []));
      }
      return false;
    });
    assert.ok(onCycle, 'expected at least one reference cycle between flows');
  });
});

describe('bench: comparing instances across runs', () => {
  it('finds equal instances equal whatever their ids, and reports a duplicate and a change', () => {
    const first = generate(emptyState(), scaleFor(100), 3).source;
    // The same instance under other ids, as a second push would create it.
    let text = JSON.stringify(first);
    const ids = new Set(
      text.match(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}/g),
    );
    let n = 0;
    for (const id of ids) {
      text = text.split(id).join(`00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`);
    }
    const second = JSON.parse(text) as typeof first;
    assert.equal(compareInstances(first, second).equal, true);

    const flow = Object.values(second.flows).find((f) => f.Name.startsWith('Inbound'))!;
    second.flows['00000000-0000-4000-8000-ffffffffffff'] = { ...flow, Id: 'x' };
    const queue = Object.values(second.queues).find((q) => q.Name?.startsWith('Sales'))!;
    queue.MaxContacts = 999;
    const result = compareInstances(first, second);
    assert.equal(result.equal, false);
    assert.deepEqual(result.duplicates, [`flows/${flow.Name}`]);
    assert.deepEqual(result.different, [`queues/${queue.Name}`]);
  });
});
