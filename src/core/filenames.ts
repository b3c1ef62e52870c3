/**
 * Resource names become file names that are readable, safe on Windows, macOS and Linux, and
 * deterministic: the same set of names always gives the same files. The exact name is kept inside
 * the file, so the escaping never has to be reversed.
 */
import { createHash } from 'node:crypto';

const MAX_BYTES = 120;
const HASH_SUFFIX_BYTES = 9; // '~' + 8 hex

/** Characters Windows forbids in names, plus `%` so that every `%XX` in a file name is ours. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
const UNSAFE = /[/\\:*?"<>|%\u0000-\u001f\u007f-\u009f]/u;

/** Windows device names, reserved with any extension (`con.txt` opens the console). */
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;

function percent(ch: string): string {
  let out = '';
  for (const byte of Buffer.from(ch, 'utf8')) {
    out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function hash8(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8);
}

/**
 * The escaped name as a list of units (a character or a `%XX` group), so truncation never cuts an
 * escape or a surrogate pair in half.
 */
function escapeUnits(name: string): string[] {
  const chars = Array.from(name.normalize('NFC'));
  if (chars.length === 0) return ['%00'];

  const units = chars.map((ch) => (UNSAFE.test(ch) ? percent(ch) : ch));
  if (chars[0] === '.') units[0] = '%2E';
  for (let i = chars.length - 1; i >= 0 && (chars[i] === ' ' || chars[i] === '.'); i--) {
    units[i] = percent(chars[i]);
  }

  const base = chars.join('').split('.')[0].trimEnd();
  if (RESERVED.test(base)) units[0] = percent(chars[0]);
  return units;
}

function truncateUnits(units: string[], maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const unit of units) {
    const size = Buffer.byteLength(unit, 'utf8');
    if (bytes + size > maxBytes) break;
    out += unit;
    bytes += size;
  }
  return out;
}

/** Case-insensitive file systems (the Windows and macOS defaults) treat these as the same file. */
function collisionKey(escaped: string): string {
  return escaped.toLowerCase();
}

/**
 * File names for every name of one folder at once (linear in the number of names). Names that would
 * collide on a case-insensitive file system, or only differ in Unicode normalisation, all get a
 * hash of their exact name; over-long names are truncated and get one too.
 */
export function fileNamesFor(names: Iterable<string>): Map<string, string> {
  const escaped = new Map<string, string[]>();
  for (const name of names) if (!escaped.has(name)) escaped.set(name, escapeUnits(name));

  const counts = new Map<string, number>();
  for (const units of escaped.values()) {
    const key = collisionKey(units.join(''));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  const result = new Map<string, string>();
  for (const [name, units] of escaped) {
    const joined = units.join('');
    const tooLong = Buffer.byteLength(joined, 'utf8') > MAX_BYTES;
    const collides = (counts.get(collisionKey(joined)) ?? 0) > 1;
    const stem =
      tooLong || collides
        ? truncateUnits(units, MAX_BYTES - HASH_SUFFIX_BYTES) + '~' + hash8(name)
        : joined;
    result.set(name, stem + '.json');
  }
  return result;
}

const cache = new WeakMap<readonly string[], Map<string, string>>();

/**
 * The file name (with `.json`) for `name` among the names of its folder. `siblingNames` should
 * include `name`; results for one siblings array are computed once and reused.
 */
export function fileNameFor(name: string, siblingNames: readonly string[]): string {
  let names = cache.get(siblingNames);
  if (!names || !names.has(name)) {
    names = fileNamesFor(siblingNames.includes(name) ? siblingNames : [...siblingNames, name]);
    if (siblingNames.includes(name)) cache.set(siblingNames, names);
  }
  return names.get(name) as string;
}
