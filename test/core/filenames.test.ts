import { strict as assert } from 'node:assert';
import { fileNameFor, fileNamesFor } from '../../src/core/filenames';

const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

/** Names chosen to break naive file naming, plus generated variations of each. */
function hostileNames(): string[] {
  const base = [
    'Main IVR',
    'a/b',
    'a\\b',
    '..',
    '.',
    '../../etc/passwd',
    '.hidden',
    'trailing space ',
    'trailing dot.',
    'dots...',
    'CON',
    'con',
    'con.txt',
    'LPT1',
    'lpt1.json',
    'Com9.flow',
    'NUL ',
    'x'.repeat(300),
    'é'.repeat(200),
    '😀 support',
    '客户服务',
    'caf\u00e9', // NFC
    'cafe\u0301', // NFD of the same text
    'Sales',
    'SALES',
    'sales',
    '',
    '\u0000',
    'tab\there',
    'percent %41',
    'A',
    '%41',
    'a:b*c?d"e<f>g|h',
    'new\nline',
  ];
  const variations = base.flatMap((n) => [n, `${n} 2`, `${n}.json`, ` ${n}`]);
  return [...new Set(variations)];
}

function assertSafe(file: string): void {
  assert.ok(file.endsWith('.json'), file);
  const stem = file.slice(0, -'.json'.length);
  assert.ok(stem.length > 0, `empty stem: ${file}`);
  assert.ok(!file.includes('/') && !file.includes('\\'), file);
  // eslint-disable-next-line no-control-regex -- no control character may reach a file name
  assert.ok(!/[:*?"<>|\u0000-\u001f\u007f]/.test(file), file);
  assert.ok(!stem.startsWith('.'), file);
  assert.ok(!/[ .]$/.test(stem), file);
  assert.ok(!RESERVED.test(stem.split('.')[0].trimEnd()), file);
  assert.ok(Buffer.byteLength(stem, 'utf8') <= 120, `${Buffer.byteLength(stem)} bytes: ${file}`);
  assert.equal(file, file.normalize('NFC'));
}

describe('core/filenames', () => {
  it('gives every hostile name a safe, distinct file name, also on case-insensitive disks', () => {
    const names = hostileNames();
    const files = fileNamesFor(names);
    for (const name of names) assertSafe(files.get(name)!);
    const lower = new Set(names.map((n) => files.get(n)!.toLowerCase()));
    assert.equal(lower.size, names.length);
  });

  it('is deterministic and independent of the order of the names', () => {
    const names = hostileNames();
    const once = fileNamesFor(names);
    const reversed = fileNamesFor([...names].reverse());
    for (const name of names) assert.equal(reversed.get(name), once.get(name));
  });

  it('leaves ordinary names readable and adds a hash only on collisions', () => {
    assert.equal(fileNameFor('Main IVR', ['Main IVR', 'Other']), 'Main IVR.json');
    const sales = fileNameFor('Sales', ['Sales', 'SALES']);
    const upper = fileNameFor('SALES', ['Sales', 'SALES']);
    assert.match(sales, /^Sales~[0-9a-f]{8}\.json$/);
    assert.match(upper, /^SALES~[0-9a-f]{8}\.json$/);
    assert.notEqual(sales.toLowerCase(), upper.toLowerCase());
    assert.equal(fileNameFor('Sales', ['Sales']), 'Sales.json');
  });

  it('keeps NFC and NFD spellings of one name apart', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    const files = fileNamesFor([nfc, nfd]);
    assert.notEqual(files.get(nfc), files.get(nfd));
    assertSafe(files.get(nfc)!);
    assertSafe(files.get(nfd)!);
  });

  it('escapes separators, reserved device names and the empty name', () => {
    assert.equal(fileNameFor('a/b', ['a/b']), 'a%2Fb.json');
    assert.equal(fileNameFor('..', ['..']), '%2E%2E.json');
    assert.equal(fileNameFor('con.txt', ['con.txt']), '%63on.txt.json');
    assert.equal(fileNameFor('', ['']), '%00.json');
    assert.notEqual(fileNameFor('', ['', '\u0000']), fileNameFor('\u0000', ['', '\u0000']));
  });

  it('truncates long names on a character boundary and keeps them distinct', () => {
    const a = '客'.repeat(100) + 'a';
    const b = '客'.repeat(100) + 'b';
    const files = fileNamesFor([a, b]);
    assert.notEqual(files.get(a), files.get(b));
    for (const f of files.values()) {
      assertSafe(f);
      assert.ok(!f.includes('\ufffd'));
    }
  });
});
