import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEX_READ_OPERATIONS, READ_OPERATIONS } from '../../src/connect/reader';
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

/** The IAM prefix of each SDK client package the adapters use. */
const SERVICE_OF_PACKAGE: Record<string, string> = {
  '@aws-sdk/client-connect': 'connect',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-lex-models-v2': 'lex',
};

/**
 * IAM actions a source file needs: `service:Operation` for each SDK command it constructs
 * (`new XxxCommand(`), the service taken from the package the command is imported from.
 */
function sentActions(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const serviceOf = new Map<string, string>();
  for (const m of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
    for (const name of m[1].split(',').map((n) => n.trim())) {
      if (name.endsWith('Command')) serviceOf.set(name, SERVICE_OF_PACKAGE[m[2]] ?? m[2]);
    }
  }
  const actions = new Set<string>();
  for (const m of text.matchAll(/new ([A-Z][A-Za-z0-9]*)Command\(/g)) {
    const service = serviceOf.get(`${m[1]}Command`);
    assert.ok(service, `${file}: ${m[1]}Command is imported from an SDK client package`);
    actions.add(`${service}:${m[1]}`);
  }
  return actions;
}

const connectSources = () =>
  readdirSync(join(repoRoot(), 'src', 'connect'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(repoRoot(), 'src', 'connect', f));

const missing = (actions: Iterable<string>, granted: Set<string>) =>
  [...actions].filter((action) => !granted.has(action)).sort();
const connectActions = (operations: readonly string[]) => operations.map((op) => `connect:${op}`);

describe('docs/iam.md: the policies grant what connect-copy sends', () => {
  const readOnly = policyActions('read-only');
  const push = policyActions('push');
  const prune = policyActions('prune');

  it('the read-only policy grants every read operation, and writes nothing', () => {
    assert.deepEqual(missing(connectActions(READ_OPERATIONS), readOnly), []);
    assert.deepEqual(
      missing(
        LEX_READ_OPERATIONS.map((op) => `lex:${op}`),
        readOnly,
      ),
      [],
    );
    assert.deepEqual(missing(sentActions(join(repoRoot(), 'src/connect/reader.ts')), readOnly), []);
    const writes = [...readOnly].filter((a) => !/^[a-z]+:(Describe|List|Search|Get)/.test(a));
    assert.deepEqual(writes, []);
  });

  it('the push policy grants every read and every operation the writer sends', () => {
    const writer = sentActions(join(repoRoot(), 'src/connect/writer.ts'));
    assert.ok(writer.size > 10, 'the writer was read');
    assert.deepEqual(missing(writer, push), []);
    assert.deepEqual(
      [...readOnly].filter((a) => !push.has(a)),
      [],
    );
    assert.ok(![...push].some((a) => a.startsWith('connect:Delete')), 'push never deletes');
  });

  it('every AWS operation any adapter sends is granted, and nothing else is', () => {
    const sent = new Set(connectSources().flatMap((file) => [...sentActions(file)]));
    const granted = new Set([...push, ...prune]);
    assert.deepEqual(missing(sent, granted), []);
    // ListInstances' directory lookup is a dependency IAM checks, not a call we send.
    const unused = [...granted].filter((a) => a !== 'ds:DescribeDirectories' && !sent.has(a));
    assert.deepEqual(unused, [], 'a policy grants an action nothing sends');
  });

  it('the prune policy grants only the deletes that rollback --prune sends', () => {
    const pruneSends = sentActions(join(repoRoot(), 'src/connect/prune.ts'));
    assert.deepEqual([...prune].sort(), [...pruneSends].sort());
  });
});
