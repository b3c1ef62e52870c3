import { strict as assert } from 'node:assert';
import {
  isJsonOf,
  pickWritable,
  READ_ONLY_FIELDS,
  renderCanonical,
  renderWithPrettier,
  WRITABLE_FIELDS,
} from '../../src/core/canonical';
import { corpusFiles } from '../helpers/corpus-mapping';

/** The same value with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .reverse()
        .map((k) => [k, reverseKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Text prettier measures differently from its length: wide, combining, emoji, escapes. */
const SPICE = [' ünï', ' 客户服务客户服务', ' 😀👍🏽 ok', ' e\u0301\t"q"'];

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 4 || r < 0.35) {
    const p = next();
    if (p < 0.5)
      return 'x'.repeat(Math.floor(next() * 60)) + (p < 0.1 ? SPICE[Math.floor(next() * 4)] : '');
    if (p < 0.7) return Math.floor(next() * 1e6) / (p < 0.6 ? 1 : 100);
    if (p < 0.8) return next() < 0.5;
    if (p < 0.85) return 1e21 * (1 + Math.floor(next() * 9));
    return null;
  }
  if (r < 0.6) {
    const n = Math.floor(next() * 5);
    const uniform = next() < 0.4;
    return Array.from({ length: n }, () =>
      uniform
        ? { a: randomValue(next, depth + 2), b: randomValue(next, depth + 2) }
        : randomValue(next, depth + 1),
    );
  }
  const n = Math.floor(next() * 6);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++)
    out[`key${Math.floor(next() * 40)}${next() < 0.1 ? '客' : ''}`] = randomValue(next, depth + 1);
  return out;
}

describe('core/canonical', () => {
  it('renders the same bytes whatever the key order', async () => {
    for (const { content } of corpusFiles()) {
      assert.equal(await renderCanonical(reverseKeys(content)), await renderCanonical(content));
    }
  });

  it('renders every corpus file exactly as prettier does', async () => {
    for (const { file, content } of corpusFiles()) {
      assert.equal(await renderCanonical(content), await renderWithPrettier(content), file);
    }
  });

  it('renders generated values exactly as prettier does', async () => {
    const next = random(20261203);
    for (let i = 0; i < 200; i++) {
      const value = { Root: randomValue(next, 0), Other: randomValue(next, 0) };
      assert.equal(await renderCanonical(value), await renderWithPrettier(value), `case ${i}`);
    }
  });

  it('keeps writable fields, drops read-only ones and warns about unknown ones', () => {
    const picked = pickWritable(
      'queue',
      {
        Name: 'Sales',
        QueueId: 'id',
        QueueArn: 'arn',
        MaxContacts: 5,
        LastModifiedTime: new Date(0),
        ShinyNewField: 'x',
        Description: undefined,
      },
      'Sales',
    );
    assert.deepEqual(picked.fields, { Name: 'Sales', MaxContacts: 5 });
    assert.deepEqual(
      picked.warnings.map((w) => [w.code, w.resource, w.path]),
      [['unknown-field', 'queues/Sales', 'ShinyNewField']],
    );
    assert.match(picked.warnings[0].message, /queue "Sales"/);
  });

  it('never lists a field as both writable and read-only', () => {
    for (const [type, fields] of Object.entries(WRITABLE_FIELDS)) {
      const readOnly = READ_ONLY_FIELDS[type as keyof typeof READ_ONLY_FIELDS];
      assert.deepEqual(
        fields.filter((f) => readOnly.includes(f)),
        [],
        type,
      );
    }
  });
});

describe('core/canonical: isJsonOf, which lets a snapshot keep an unchanged file', () => {
  it('holds for the same value in any layout, undefined members counting as absent', async () => {
    const value = { b: [1, { c: 'x', d: undefined }], a: null, e: undefined };
    const text = await renderCanonical(value);
    assert.equal(isJsonOf(text, value), true);
    assert.equal(isJsonOf('{"a":null,"b":[1,{"c":"x"}]}', value), true);
    assert.equal(isJsonOf('[null]', [undefined]), true, 'an undefined item renders as null');
  });

  it('fails for any other value, a different type or text that is not JSON', async () => {
    const text = await renderCanonical({ a: 1, b: ['x'] });
    assert.equal(isJsonOf(text, { a: 2, b: ['x'] }), false);
    assert.equal(isJsonOf(text, { a: 1, b: ['x', 'y'] }), false);
    assert.equal(isJsonOf(text, { a: 1, b: ['x'], c: 0 }), false);
    assert.equal(isJsonOf(text, { a: '1', b: ['x'] }), false);
    assert.equal(isJsonOf(text, { a: 1, b: { 0: 'x' } }), false);
    assert.equal(isJsonOf('{ "a": 1, ', { a: 1 }), false);
  });
});
