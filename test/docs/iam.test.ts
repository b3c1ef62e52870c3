import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { READ_OPERATIONS } from '../../src/connect/reader';
import { repoRoot } from '../helpers/paths';

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}

const iamDoc = readFileSync(join(repoRoot(), 'docs', 'iam.md'), 'utf8');

/** The JSON block after `<!-- policy: NAME -->` in docs/iam.md, as its granted actions. */
function policyActions(name: string): Set<string> {
  const block = new RegExp(`<!-- policy: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(
    iamDoc,
  );
  assert.ok(block, `docs/iam.md has the ${name} policy`);
  const policy = JSON.parse(block[1]) as { Version: string; Statement: PolicyStatement[] };
  assert.equal(policy.Version, '2012-10-17');
  const actions = new Set<string>();
  for (const statement of policy.Statement) {
    assert.equal(statement.Effect, 'Allow');
    assert.ok(statement.Resource.length > 0, `${statement.Sid} names its resources`);
    for (const action of [statement.Action].flat()) actions.add(action);
  }
  return actions;
}

/** Operations a source file sends: the SDK commands it constructs (`new XxxCommand(`). */
function sentOperations(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  return new Set([...text.matchAll(/new ([A-Z][A-Za-z0-9]*)Command\(/g)].map((m) => m[1]));
}

const connectSources = () =>
  readdirSync(join(repoRoot(), 'src', 'connect'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(repoRoot(), 'src', 'connect', f));

const missing = (operations: Iterable<string>, granted: Set<string>) =>
  [...operations].filter((op) => !granted.has(`connect:${op}`)).sort();

describe('docs/iam.md: the policies grant what connect-copy sends', () => {
  const readOnly = policyActions('read-only');
  const push = policyActions('push');
  const prune = policyActions('prune');

  it('the read-only policy grants every read operation, and writes nothing', () => {
    assert.deepEqual(missing(READ_OPERATIONS, readOnly), []);
    assert.deepEqual(
      missing(sentOperations(join(repoRoot(), 'src/connect/reader.ts')), readOnly),
      [],
    );
    const writes = [...readOnly].filter((a) => !/^[a-z]+:(Describe|List|Search|Get)/.test(a));
    assert.deepEqual(writes, []);
  });

  it('the push policy grants every read and every operation the writer sends', () => {
    const writer = sentOperations(join(repoRoot(), 'src/connect/writer.ts'));
    assert.ok(writer.size > 10, 'the writer was read');
    assert.deepEqual(missing(writer, push), []);
    assert.deepEqual(
      [...readOnly].filter((a) => !push.has(a)),
      [],
    );
    assert.ok(![...push].some((a) => a.startsWith('connect:Delete')), 'push never deletes');
  });

  it('every Connect operation any adapter sends is granted, and nothing else is', () => {
    const sent = new Set(connectSources().flatMap((file) => [...sentOperations(file)]));
    const granted = new Set([...push, ...prune]);
    assert.deepEqual(missing(sent, granted), []);
    const unused = [...granted].filter(
      (action) => action.startsWith('connect:') && !sent.has(action.slice('connect:'.length)),
    );
    assert.deepEqual(unused, [], 'a policy grants an action nothing sends');
  });

  it('the prune policy grants only the deletes that rollback --prune sends', () => {
    const pruneSends = sentOperations(join(repoRoot(), 'src/connect/prune.ts'));
    assert.deepEqual([...prune].sort(), [...pruneSends].map((op) => `connect:${op}`).sort());
  });
});
