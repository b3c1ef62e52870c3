/**
 * Flow and module content tokenized while a read is still paging. A snapshot can only tokenize
 * once it knows every resource (a flow names flows read on later pages), but most of a pull's
 * local work is this tokenizing, and the read spends seconds waiting for its pages. So each page's
 * content is tokenized as it arrives against the last read's mapping, and every lookup it made is
 * recorded; the snapshot takes a prepared result only when the same lookups give the same answers
 * in its own mapping, which makes the result exactly what tokenizing there would give. Each
 * result's fingerprint, which depends on nothing else, is noted then too.
 */
import stableStringify from 'json-stable-stringify';
import { sameValue } from './canonical';
import {
  MappingIndex,
  type Mapping,
  type MappingEntry,
  type MappingLookup,
  type ResourceKind,
  type ResourceRef,
} from './mapping';
import { fingerprintOf } from './snapshot';
import type { LambdaOverrides } from './naming';
import { tokenize, type Json, type TokenizeContext, type Tokenized } from './tokens';

interface Prepared extends Tokenized {
  /** Each lookup tokenizing made, as `method key` -> what the answer looked like. */
  lookups: Map<string, string>;
}

export class PreparedContent {
  private readonly prepared = new Map<string, Prepared>();
  private readonly fingerprints = new WeakMap<object, string>();
  private readonly settings: string;
  private readonly agrees = new WeakMap<MappingLookup, boolean>();
  private readonly index: MappingIndex;

  /** `mapping`: the last read's mapping.json. */
  constructor(
    mapping: Mapping,
    private readonly lambdaOverrides: LambdaOverrides | undefined,
  ) {
    this.index = new MappingIndex(mapping);
    this.settings = settingsOf(this.index, lambdaOverrides);
  }

  /** Tokenizes `text` unless already done. */
  prepare(text: string | undefined): void {
    if (text === undefined || this.prepared.has(text)) return;
    let parsed: Json;
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      return; // the snapshot warns about it
    }
    const recorder = new RecordingLookup(this.index);
    const result = tokenize(parsed, { mapping: recorder, lambdaOverrides: this.lambdaOverrides });
    this.prepared.set(text, { ...result, lookups: recorder.lookups });
  }

  /**
   * Where `text` tokenized to a value equal to one of `earlier` (what the last read's file of the
   * resource held), shares that object: the snapshot's comparison with the file then stops at
   * identity.
   */
  share(text: string | undefined, earlier: readonly unknown[]): void {
    const prepared = text === undefined ? undefined : this.prepared.get(text);
    if (!prepared || earlier.includes(prepared.value)) return;
    const same = earlier.find((value) => sameValue(value, prepared.value));
    if (same !== undefined) prepared.value = same as Json;
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

  /** Notes the fingerprint of a search result, which depends on nothing else (no draft). */
  prepareFingerprint(type: 'flow' | 'module', item: object): void {
    if (!this.fingerprints.has(item)) this.fingerprints.set(item, fingerprintOf(type, item));
  }

  /** fingerprintOf(type, item) for an item prepared so (the same object, not modified since). */
  fingerprint(item: object): string | undefined {
    return this.fingerprints.get(item);
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
  return entryText(index.entry(key.slice(0, slash) as ResourceKind, key.slice(slash + 1)));
}

function refText(ref: ResourceRef | undefined): string {
  return ref === undefined ? '' : `${ref.kind}/${ref.name}`;
}

/** Whether there is an entry, and its name: all tokenizing reads of it. */
function entryText(entry: MappingEntry | undefined): string {
  return entry === undefined ? '' : `+${entry.name ?? ''}`;
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

  entry(kind: ResourceKind, name: string) {
    const entry = this.inner.entry(kind, name);
    this.lookups.set(`entry ${kind}/${name}`, entryText(entry));
    return entry;
  }
}
