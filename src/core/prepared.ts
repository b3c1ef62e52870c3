/**
 * Flow and module content tokenized while a read is still paging. A snapshot can only tokenize
 * once it knows every resource (a flow names flows read on later pages), but most of a pull's
 * local work is this tokenizing, and the read spends seconds waiting for its pages. So each page's
 * content is tokenized as it arrives against the last read's mapping, and every lookup it made is
 * recorded; the snapshot takes a prepared result only when the same lookups give the same answers
 * in its own mapping, which makes the result exactly what tokenizing there would give.
 */
import stableStringify from 'json-stable-stringify';
import { FOLDERS, sameValue } from './canonical';
import { MAPPING_FILE } from './env-files';
import { MappingIndex, type Mapping, type MappingLookup } from './mapping';
import type { LambdaOverrides } from './naming';
import { tokenize, type Json, type TokenizeContext, type Tokenized } from './tokens';

interface Prepared extends Tokenized {
  /** Each lookup tokenizing made, as `method key` -> what the answer looked like. */
  lookups: Map<string, string>;
}

export class PreparedContent {
  private readonly prepared = new Map<string, Prepared>();
  private readonly settings: string;
  private readonly agrees = new WeakMap<MappingLookup, boolean>();

  private readonly index: MappingIndex;

  /**
   * `mapping`: the last read's mapping.json; `earlier`: the values the last read's file of a
   * resource held (content, draft, settings), so content that tokenizes to one of them shares its
   * object and the snapshot's comparison with that file stops at identity.
   */
  constructor(
    mapping: Mapping,
    private readonly lambdaOverrides: LambdaOverrides | undefined,
    private readonly earlier: (folder: string, name: string) => readonly unknown[] = () => [],
  ) {
    this.index = new MappingIndex(mapping);
    this.settings = settingsOf(this.index, lambdaOverrides);
  }

  /** Tokenizes `text`, content of the resource `folder/name`, unless already done. */
  prepare(text: string | undefined, folder: string, name: string | undefined): void {
    if (text === undefined || this.prepared.has(text)) return;
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      return; // the snapshot warns about it
    }
    const recorder = new RecordingLookup(this.index);
    const result = tokenize(parsed, { mapping: recorder, lambdaOverrides: this.lambdaOverrides });
    const earlier = name === undefined ? [] : this.earlier(folder, name);
    const same = earlier.find((value) => sameValue(value, result.value));
    this.prepared.set(text, {
      value: same === undefined ? result.value : (same as Json),
      findings: result.findings,
      lookups: recorder.lookups,
    });
  }

  /**
   * What tokenize(JSON.parse(text), ctx) would return, when `text` was prepared and every lookup
   * made then answers the same in `ctx`; undefined otherwise. The value is shared: not to be
   * mutated.
   */
  take(text: string, ctx: TokenizeContext): Tokenized | undefined {
    const prepared = this.prepared.get(text);
    if (!prepared || !this.sameSettings(ctx)) return undefined;
    for (const [lookup, answer] of prepared.lookups) {
      if (answerOf(ctx.mapping, lookup) !== answer) return undefined;
    }
    return { value: prepared.value, findings: prepared.findings };
  }

  get size(): number {
    return this.prepared.size;
  }

  private sameSettings(ctx: TokenizeContext): boolean {
    let same = this.agrees.get(ctx.mapping);
    if (same === undefined) {
      same = settingsOf(ctx.mapping, ctx.lambdaOverrides) === this.settings;
      this.agrees.set(ctx.mapping, same);
    }
    return same;
  }
}

/** What tokenizing reads from a mapping besides its lookups: scope, naming rules, overrides. */
function settingsOf(index: MappingLookup, overrides: LambdaOverrides | undefined): string {
  return (
    stableStringify({
      scope: index.scope,
      naming: index.mapping.naming ?? null,
      overrides: overrides ?? null,
    }) ?? ''
  );
}

/** The answer to one recorded lookup, as a string to compare. */
function answerOf(index: MappingLookup, lookup: string): string {
  const space = lookup.indexOf(' ');
  const method = lookup.slice(0, space);
  const key = lookup.slice(space + 1);
  if (method === 'id') return refText(index.byId(key));
  if (method === 'arn') return refText(index.byArn(key));
  const slash = key.indexOf('/');
  const entry = index.entry(key.slice(0, slash) as never, key.slice(slash + 1));
  return entry === undefined ? '' : `+${entry.name ?? ''}`;
}

function refText(ref: { kind: string; name: string } | undefined): string {
  return ref === undefined ? '' : `${ref.kind}/${ref.name}`;
}

/** A mapping that notes every lookup made through it (see answerOf for what is compared). */
class RecordingLookup implements MappingLookup {
  readonly lookups = new Map<string, string>();

  constructor(private readonly inner: MappingIndex) {}

  get scope() {
    return this.inner.scope;
  }

  get mapping() {
    return this.inner.mapping;
  }

  byId(id: string) {
    const ref = this.inner.byId(id);
    this.lookups.set(`id ${id}`, refText(ref));
    return ref;
  }

  byArn(arn: string) {
    const ref = this.inner.byArn(arn);
    this.lookups.set(`arn ${arn}`, refText(ref));
    return ref;
  }

  entry(kind: Parameters<MappingIndex['entry']>[0], name: string) {
    const entry = this.inner.entry(kind, name);
    this.lookups.set(`entry ${kind}/${name}`, entry === undefined ? '' : `+${entry.name ?? ''}`);
    return entry;
  }
}

type SearchItem = { Name?: string; Content?: string; Settings?: string };

/**
 * Prepares each flow and module search page's content in the wait for the next page. `last`: the
 * last read's files, parsed (possibly still loading); without its mapping.json nothing is
 * prepared. `done` settles once every page reported so far is prepared; a failure in preparing
 * only costs the snapshot the time it would have saved.
 */
export function prepareWhilePaging(
  last:
    ReadonlyMap<string, unknown> | Promise<ReadonlyMap<string, unknown> | undefined> | undefined,
  lambdaOverrides: LambdaOverrides | undefined,
) {
  let queue: Promise<PreparedContent | undefined> = Promise.resolve(last)
    .then((values) => {
      const mapping = values?.get(MAPPING_FILE) as Mapping | undefined;
      if (!values || !mapping?.resources) return undefined;
      return new PreparedContent(mapping, lambdaOverrides, earlierValues(values));
    })
    .catch(() => undefined);
  return {
    onSearchPage(kind: 'flows' | 'modules', items: readonly SearchItem[]): void {
      const folder = kind === 'flows' ? FOLDERS.flow : FOLDERS.module;
      queue = queue.then(async (prepared) => {
        if (!prepared) return undefined;
        // The read asks for its next page first; this runs while that page is on its way.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          for (const item of items) {
            prepared.prepare(item.Content, folder, item.Name);
            prepared.prepare(item.Settings, folder, item.Name);
          }
          return prepared;
        } catch {
          return undefined;
        }
      });
    },
    done: () => queue,
  };
}

/** The content-like values of the last read's flow and module files, by folder and Name. */
function earlierValues(values: ReadonlyMap<string, unknown>) {
  const byResource = new Map<string, unknown[]>();
  for (const [path, value] of values) {
    const folder = path.slice(0, path.indexOf('/'));
    if (folder !== FOLDERS.flow && folder !== FOLDERS.module) continue;
    const file = value as Record<string, unknown> | null;
    if (typeof file?.Name !== 'string') continue;
    const held = [file.Content, file.Draft, file.Settings].filter((v) => v !== undefined);
    byResource.set(`${folder}/${file.Name}`, held);
  }
  return (folder: string, name: string) => byResource.get(`${folder}/${name}`) ?? [];
}
