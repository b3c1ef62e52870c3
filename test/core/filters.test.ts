import { strict as assert } from 'node:assert';
import { resourceFilter } from '../../src/core/filters';

describe('core: include and exclude patterns', () => {
  it('selects everything by default, names with / and leading dots included', () => {
    const all = resourceFilter([], []);
    for (const name of ['..', '.hidden', 'a/b', 'Sales', '']) assert.ok(all('queues', name), name);
  });

  it('matches the folder as a glob and the name as a whole', () => {
    const sales = resourceFilter(['flows/Sales*', 'queues'], ['flows/*test*']);
    assert.ok(sales('flows', 'Sales IVR'));
    assert.ok(sales('flows', 'Sales/after hours'), 'a / in a name is an ordinary character');
    assert.ok(!sales('flows', 'Sales test'), 'excluded');
    assert.ok(!sales('flows', 'Support'));
    assert.ok(sales('queues', 'anything'), 'a bare folder selects all of it');
    assert.ok(!sales('modules', 'Sales'));
  });

  it('supports ?, classes, braces and escapes, and nothing else is special', () => {
    const f = resourceFilter(['{flows,modules}/Q[0-9]?', 'queues/a.b+(c)', 'hours/\\*'], []);
    assert.ok(f('flows', 'Q1x'));
    assert.ok(f('modules', 'Q2y'));
    assert.ok(!f('flows', 'Qxx'));
    assert.ok(f('queues', 'a.b+(c)'));
    assert.ok(!f('queues', 'aXb+(c)'));
    assert.ok(f('hours', '*'));
    assert.ok(!f('hours', 'x'));
  });
});
