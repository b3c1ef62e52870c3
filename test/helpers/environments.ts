/**
 * Environment branches built from real corpus flows: the flow's own instance becomes environment
 * A (its mapping read from the ARNs in the flow), a second instance with the same resource names
 * and fresh ids becomes B. B's raw content is A's content resolved against B's mapping, so both
 * branches go through tokenize and canonical rendering exactly as pull would write them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { renderCanonical } from '../../src/core/canonical';
import { fileNamesFor } from '../../src/core/filenames';
import { MappingIndex, type Mapping, type MappingEntry } from '../../src/core/mapping';
import { addDiscovered, resolve, tokenize, type Json } from '../../src/core/tokens';
import { mappingFromContent } from './corpus-mapping';
import { fixturesDir } from './paths';

export function readCorpus(relative: string): Json {
  return JSON.parse(readFileSync(fixturesDir('corpus', relative), 'utf8')) as Json;
}

function fakeUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const part = (from: number, to: number) => h.slice(from, to);
  return `${part(0, 8)}-${part(8, 12)}-4${part(13, 16)}-8${part(17, 20)}-${part(20, 32)}`;
}

/** The same resources, by name, in another instance and account: every id and ARN new. */
export function otherInstance(mapping: Mapping, environment: string): Mapping {
  const id = fakeUuid(`instance:${environment}`);
  const account = '444455556666';
  const region = mapping.instance.region;
  const arn = `arn:aws:connect:${region}:${account}:instance/${id}`;
  const resources: Mapping['resources'] = {};
  for (const [kind, entries] of Object.entries(mapping.resources)) {
    const out: Record<string, MappingEntry> = {};
    for (const [name, entry] of Object.entries(entries ?? {})) {
      const newId = fakeUuid(`${environment}:${kind}:${name}`);
      const next: MappingEntry = {};
      if (entry.id) next.id = newId;
      if (entry.arn) {
        next.arn = entry.arn
          .replace(mapping.instance.arn, arn)
          .replace(entry.id ?? '\u0000', newId)
          .replace(`:${mapping.instance.account}:`, `:${account}:`);
      }
      if (entry.name) next.name = entry.name;
      if (entry.region) next.region = entry.region;
      out[name] = next;
    }
    (resources as Record<string, Record<string, MappingEntry>>)[kind] = out;
  }
  return {
    ...mapping,
    environment,
    instance: { id, arn, alias: environment, region, account },
    resources,
    fingerprints: {},
  };
}

/** A resource as the instance holds it, raw content (ids and ARNs of that instance). */
export interface RawResource {
  folder: string;
  name: string;
  /** The file's fields other than Name; `Content`/`Draft` hold raw Flow Language JSON. */
  fields: Record<string, Json>;
}

export function flowResource(name: string, content: Json, type = 'CONTACT_FLOW'): RawResource {
  return {
    folder: 'flows',
    name,
    fields: {
      Type: type,
      Description: '',
      State: 'ACTIVE',
      Status: 'PUBLISHED',
      Tags: {},
      Content: content,
    },
  };
}

export function moduleResource(name: string, content: Json): RawResource {
  return {
    folder: 'modules',
    name,
    fields: { Description: '', State: 'ACTIVE', Status: 'PUBLISHED', Tags: {}, Content: content },
  };
}

/** Canonical branch files for `resources` in the instance of `mapping`, as pull writes them. */
export async function buildEnvFiles(
  mapping: Mapping,
  resources: readonly RawResource[],
  extra: Record<string, Json> = {},
): Promise<Map<string, string>> {
  const index = new MappingIndex(structuredClone(mapping));
  const files = new Map<string, string>();
  const byFolder = new Map<string, RawResource[]>();
  for (const r of resources) byFolder.set(r.folder, [...(byFolder.get(r.folder) ?? []), r]);
  for (const [folder, list] of byFolder) {
    const names = fileNamesFor(list.map((r) => r.name));
    for (const r of list) {
      const tokenized = tokenize(r.fields as Json, { mapping: index });
      addDiscovered(index, tokenized.findings);
      const body = {
        ...(tokenized.value as object),
        Name: r.name,
      };
      files.set(`${folder}/${names.get(r.name)}`, await renderCanonical(body));
    }
  }
  for (const [path, value] of Object.entries(extra)) files.set(path, await renderCanonical(value));
  // As pull writes it: fingerprints live in a git note, not in mapping.json.
  const mappingFile: Partial<Mapping> = { ...index.mapping };
  delete mappingFile.fingerprints;
  files.set('mapping.json', await renderCanonical(mappingFile));
  return files;
}

/** `content` (raw, in A's instance) as B's instance would hold it. */
export function translate(content: Json, from: Mapping, to: Mapping): Json {
  const tokenized = tokenize(content, { mapping: new MappingIndex(structuredClone(from)) }).value;
  return resolve(tokenized, structuredClone(to)).value;
}

export interface Pair {
  a: Mapping;
  b: Mapping;
  contents: Map<string, Json>;
}

/** Mapping A from the flows' own ARNs (merged over all files), B a fresh instance. */
export function mappingsFor(files: Record<string, string>): Pair {
  const contents = new Map<string, Json>();
  let a: Mapping | undefined;
  for (const [name, file] of Object.entries(files)) {
    const content = readCorpus(file);
    contents.set(name, content);
    const m = mappingFromContent(content);
    if (!a) a = m;
    else if (m.instance.id === a.instance.id) {
      for (const [kind, entries] of Object.entries(m.resources)) {
        const target = a.resources as Record<string, Record<string, MappingEntry>>;
        target[kind] = { ...(entries ?? {}), ...(target[kind] ?? {}) };
      }
    }
  }
  if (!a) throw new Error('no files');
  a = { ...a, environment: 'dev' };
  return { a, b: otherInstance(a, 'prod'), contents };
}

export function parse(text: string | undefined): Record<string, unknown> {
  if (text === undefined) throw new Error('file missing');
  return JSON.parse(text) as Record<string, unknown>;
}
