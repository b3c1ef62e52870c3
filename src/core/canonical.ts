/**
 * The canonical file form: keys sorted recursively (json-stable-stringify), formatted by prettier
 * (parser json, 100 columns), trailing newline. Pulling an unchanged instance must give identical
 * bytes, so nothing volatile may reach a file: only fields from an explicit writable list.
 *
 * Prettier takes tens of milliseconds for a large flow, far too slow for a thousand flows, so
 * renderCanonical first tries a direct printer that reproduces prettier's JSON layout (groups
 * printed flat when they fit in 100 columns, arrays of several multi-key objects always broken).
 * Text width is measured with prettier's own function (wide CJK characters and emoji count
 * double). It hands the document to prettier itself when it meets something it does not reproduce
 * (arrays of numbers too long for one line, which prettier fills). The tests compare both paths on
 * real flows and on generated values.
 */
import stableStringify from 'json-stable-stringify';
import * as prettier from 'prettier';
import type { Warning } from './warnings';

const WIDTH = 100;

class NeedsPrettier extends Error {}

interface Measured {
  /** Width of the value printed on one line. */
  flat: number;
  /** Contains an array prettier always breaks, which breaks every enclosing group. */
  breaks: boolean;
}

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

function numberText(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  return JSON.stringify(n).replace('e+', 'e');
}

function isNumberArray(items: unknown[]): boolean {
  return items.length > 0 && items.every((x) => typeof x === 'number');
}

function isMultiKeyObject(x: unknown): boolean {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && definedKeys(x).length > 1;
}

function isMultiItemArray(x: unknown): boolean {
  return Array.isArray(x) && x.length > 1;
}

/** prettier's rule: several objects (or arrays), each with more than one member, one per line. */
function alwaysBreaks(items: unknown[]): boolean {
  if (items.length < 2) return false;
  return items.every(isMultiKeyObject) || items.every(isMultiItemArray);
}

function definedKeys(o: object): string[] {
  return Object.keys(o)
    .filter((k) => (o as Record<string, unknown>)[k] !== undefined)
    .sort();
}

const NON_ASCII = /[\u0080-\uffff]/;

function width(text: string): number {
  return NON_ASCII.test(text) ? prettier.util.getStringWidth(text) : text.length;
}

class Printer {
  private readonly sizes = new Map<object, Measured>();
  private readonly sortedKeys = new Map<object, string[]>();

  private keysOf(o: object): string[] {
    let keys = this.sortedKeys.get(o);
    if (!keys) {
      keys = definedKeys(o);
      this.sortedKeys.set(o, keys);
    }
    return keys;
  }

  measure(value: unknown): Measured {
    if (value === null || value === undefined) return { flat: 4, breaks: false };
    switch (typeof value) {
      case 'boolean':
        return { flat: value ? 4 : 5, breaks: false };
      case 'number':
        return { flat: numberText(value).length, breaks: false };
      case 'string': {
        return { flat: width(JSON.stringify(value)), breaks: false };
      }
      case 'object':
        break;
      default:
        throw new NeedsPrettier();
    }
    const obj = value as object;
    const cached = this.sizes.get(obj);
    if (cached) return cached;
    if (!Array.isArray(obj) && Object.getPrototypeOf(obj) !== Object.prototype) {
      if (Object.getPrototypeOf(obj) !== null) throw new NeedsPrettier();
    }

    let result: Measured;
    if (Array.isArray(obj)) {
      let flat = 2;
      let breaks = alwaysBreaks(obj);
      obj.forEach((item, i) => {
        const m = this.measure(item === undefined ? null : item);
        flat += m.flat + (i > 0 ? 2 : 0);
        breaks ||= m.breaks;
      });
      result = { flat, breaks };
    } else {
      const keys = this.keysOf(obj);
      let flat = keys.length === 0 ? 2 : 4;
      let breaks = false;
      keys.forEach((k, i) => {
        const m = this.measure((obj as Record<string, unknown>)[k]);
        flat += width(JSON.stringify(k)) + 2 + m.flat + (i > 0 ? 2 : 0);
        breaks ||= m.breaks;
      });
      result = { flat, breaks };
    }
    this.sizes.set(obj, result);
    return result;
  }

  flat(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    if (typeof value === 'number') return numberText(value);
    if (typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) {
      return '[' + value.map((x) => this.flat(x)).join(', ') + ']';
    }
    const o = value as Record<string, unknown>;
    const keys = this.keysOf(o);
    if (keys.length === 0) return '{}';
    return '{ ' + keys.map((k) => JSON.stringify(k) + ': ' + this.flat(o[k])).join(', ') + ' }';
  }

  /** `column` is where the value starts; `trailing` what follows it before the next line break. */
  print(value: unknown, indent: string, column: number, trailing: number): string {
    if (value === null || typeof value !== 'object') return this.flat(value);
    const m = this.measure(value);
    if (!m.breaks && column + m.flat + trailing <= WIDTH) return this.flat(value);

    const inner = indent + '  ';
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      if (isNumberArray(value)) throw new NeedsPrettier();
      const lines = value.map(
        (x, i) => inner + this.print(x, inner, inner.length, i < value.length - 1 ? 1 : 0),
      );
      return '[\n' + lines.join(',\n') + '\n' + indent + ']';
    }
    const o = value as Record<string, unknown>;
    const keys = this.keysOf(o);
    if (keys.length === 0) return '{}';
    const lines = keys.map((k, i) => {
      const head = JSON.stringify(k) + ': ';
      const start = inner.length + width(head);
      return inner + head + this.print(o[k], inner, start, i < keys.length - 1 ? 1 : 0);
    });
    return '{\n' + lines.join(',\n') + '\n' + indent + '}';
  }
}

/** The canonical text through prettier itself: the reference the fast path must equal. */
export async function renderWithPrettier(value: unknown): Promise<string> {
  const text = stableStringify(value) ?? 'null';
  return prettier.format(text, { parser: 'json', printWidth: WIDTH });
}

/**
 * Whether `text` is JSON for the same value, members holding undefined counting as absent (as in
 * a rendering). Parsing and comparing is several times cheaper than rendering.
 */
export function isJsonOf(text: string, value: unknown): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  return sameValue(parsed, value);
}

/** Whether parsed JSON `a` is the value `b`, members holding undefined counting as absent. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return (a === null && b === undefined) || false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    return a.length === list.length && a.every((item, i) => sameValue(item, list[i] ?? null));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = definedKeys(y);
  return (
    keys.length === Object.keys(x).length && keys.every((k) => k in x && sameValue(x[k], y[k]))
  );
}

/** The canonical bytes of a value (sorted keys, prettier's layout, trailing newline). */
export async function renderCanonical(value: unknown): Promise<string> {
  try {
    const printer = new Printer();
    return printer.print(value as Plain, '', 0, 0) + '\n';
  } catch (err) {
    if (err instanceof NeedsPrettier) return renderWithPrettier(value);
    throw err;
  }
}

/** The canonical resource types: one folder of files each. */
export type FileType = 'flow' | 'module' | 'queue' | 'routing-profile' | 'hours' | 'prompt';

export const FOLDERS: Record<FileType, string> = {
  hours: 'hours',
  queue: 'queues',
  'routing-profile': 'routing-profiles',
  module: 'modules',
  flow: 'flows',
  prompt: 'prompts',
};

/**
 * What a file may carry: the members the API lets us set (Type is fixed at creation but decides
 * which API call can recreate the flow, so it is stored too).
 */
export const WRITABLE_FIELDS: Record<FileType, readonly string[]> = {
  flow: ['Name', 'Type', 'Description', 'State', 'Status', 'Tags', 'Content'],
  module: [
    'Name',
    'Description',
    'State',
    'Status',
    'Tags',
    'Content',
    'Settings',
    'ExternalInvocationConfiguration',
  ],
  queue: [
    'Name',
    'Description',
    'HoursOfOperationId',
    'MaxContacts',
    'Status',
    'OutboundCallerConfig',
    'OutboundEmailConfig',
    'Tags',
  ],
  'routing-profile': [
    'Name',
    'Description',
    'DefaultOutboundQueueId',
    'MediaConcurrencies',
    'AgentAvailabilityTimer',
    'Tags',
  ],
  hours: ['Name', 'Description', 'TimeZone', 'Config', 'Tags'],
  prompt: ['Name', 'Description', 'Tags'],
};

/**
 * Members the API returns that never belong in a file: identity, timestamps, counts, hashes, and
 * values derived from other calls. Anything on neither list is new to us and is reported, so a
 * new API member is noticed rather than silently dropped or silently copied.
 */
export const READ_ONLY_FIELDS: Record<FileType, readonly string[]> = {
  flow: [
    'Arn',
    'Id',
    'FlowContentSha256',
    'Version',
    'VersionDescription',
    'LastModifiedTime',
    'LastModifiedRegion',
  ],
  module: [
    'Arn',
    'Id',
    'FlowModuleContentSha256',
    'Version',
    'VersionDescription',
    'LastModifiedTime',
    'LastModifiedRegion',
  ],
  queue: ['QueueArn', 'QueueId', 'LastModifiedTime', 'LastModifiedRegion'],
  'routing-profile': [
    'InstanceId',
    'RoutingProfileArn',
    'RoutingProfileId',
    'NumberOfAssociatedQueues',
    'NumberOfAssociatedManualAssignmentQueues',
    'NumberOfAssociatedUsers',
    'LastModifiedTime',
    'LastModifiedRegion',
    'IsDefault',
    'AssociatedQueueIds',
    'AssociatedManualAssignmentQueueIds',
  ],
  // Parent hours are a newer feature this design does not copy yet; their ids are per instance.
  hours: [
    'HoursOfOperationId',
    'HoursOfOperationArn',
    'ParentHoursOfOperations',
    'LastModifiedTime',
    'LastModifiedRegion',
  ],
  prompt: ['PromptARN', 'PromptId', 'LastModifiedTime', 'LastModifiedRegion'],
};

const writableSets = Object.fromEntries(
  Object.entries(WRITABLE_FIELDS).map(([t, f]) => [t, new Set(f)]),
) as Record<FileType, Set<string>>;
const readOnlySets = Object.fromEntries(
  Object.entries(READ_ONLY_FIELDS).map(([t, f]) => [t, new Set(f)]),
) as Record<FileType, Set<string>>;

export interface Picked {
  fields: Record<string, unknown>;
  warnings: Warning[];
}

/** The writable members of an API object; unknown members are left out and reported. */
export function pickWritable(type: FileType, apiObject: object, resourceName: string): Picked {
  const fields: Record<string, unknown> = {};
  const warnings: Warning[] = [];
  const resource = `${FOLDERS[type]}/${resourceName}`;
  for (const [key, value] of Object.entries(apiObject)) {
    if (value === undefined) continue;
    if (writableSets[type].has(key)) fields[key] = value;
    else if (!readOnlySets[type].has(key)) {
      warnings.push({
        code: 'unknown-field',
        message:
          `The API returned field "${key}" for ${type} "${resourceName}", which connect-copy ` +
          'does not know; it was not written.',
        resource,
        path: key,
      });
    }
  }
  return { fields, warnings };
}
