/**
 * Builds, for one real flow file, the mapping an instance holding it would have: the instance its
 * ARNs point at, and one resource per ARN or bare id of that instance, named from the designer's
 * cached display names when the file has them. Lets the token tests run on real content.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mapping, MappingEntry, ResourceKind } from '../../src/core/mapping';
import { NO_NAMING } from '../../src/core/naming';
import type { Json } from '../../src/core/tokens';
import { fixturesDir } from './paths';

export interface CorpusFile {
  file: string;
  content: Json;
}

export function corpusFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  for (const folder of ['flows', 'modules']) {
    const dir = fixturesDir('corpus', folder);
    for (const name of readdirSync(dir).sort()) {
      const content = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json;
      out.push({ file: `${folder}/${name}`, content });
    }
  }
  return out;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const CONNECT_ARN = new RegExp(
  'arn:aws:connect:([a-z0-9-]+):(\\d{12}):instance/([0-9a-f-]{36})' +
    '(?:/(queue/agent|[a-z-]+)/([0-9a-f-]{36}))?',
  'g',
);
const ACCOUNT_ARN = /arn:aws:(?:lambda|lex):([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):/;
const LEX_V2_ARN = /arn:aws:lex:([a-z0-9-]+):(\d{12}):bot-alias\/([A-Z0-9]+)\/([A-Z0-9]+)/g;

const KIND_OF_SEGMENT: Record<string, ResourceKind> = {
  'contact-flow': 'flow',
  'flow-module': 'module',
  queue: 'queue',
  'queue/agent': 'agent-queue',
  agent: 'agent',
  'operating-hours': 'hours',
  prompt: 'prompt',
  'routing-profile': 'routing-profile',
  'transfer-destination': 'quick-connect',
  'security-profile': 'security-profile',
};

/** Keys whose bare UUID value names a resource of a known kind in real flows. */
function kindOfKey(key: string): ResourceKind | undefined {
  if (key === 'FlowModuleId') return 'module';
  if (/QueueId$/.test(key)) return 'queue';
  if (key === 'AgentId') return 'agent';
  if (key === 'PromptId') return 'prompt';
  if (key === 'HoursOfOperationId') return 'hours';
  if (/Flow/.test(key)) return 'flow';
  return undefined;
}

export const DEFAULT_INSTANCE = {
  id: '0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5',
  region: 'us-east-1',
  account: '111122223333',
};

function strings(value: Json, visit: (s: string, key: string | undefined) => void, key?: string) {
  if (typeof value === 'string') visit(value, key);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, visit, key));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) strings(v, visit, k);
  }
}

/** `{ id, text }` pairs the designer caches next to a reference: ARN -> display name. */
function displayNames(value: Json, out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) value.forEach((v) => displayNames(v, out));
  else if (value && typeof value === 'object') {
    const { id, text } = value as Record<string, Json>;
    if (typeof id === 'string' && typeof text === 'string' && text !== '') out.set(id, text);
    Object.values(value).forEach((v) => displayNames(v, out));
  }
  return out;
}

export function mappingFromContent(content: Json): Mapping {
  const instances = new Map<string, { region: string; account: string; count: number }>();
  let accountScope: { region: string; account: string } | undefined;
  strings(content, (s) => {
    for (const m of s.matchAll(CONNECT_ARN)) {
      const seen = instances.get(m[3]) ?? { region: m[1], account: m[2], count: 0 };
      seen.count++;
      instances.set(m[3], seen);
    }
    const a = ACCOUNT_ARN.exec(s);
    if (a && !accountScope) accountScope = { region: a[1], account: a[2] };
  });

  const top = [...instances].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))[0];
  const instance = top
    ? { id: top[0], region: top[1].region, account: top[1].account }
    : { ...DEFAULT_INSTANCE, ...accountScope };
  const arn = `arn:aws:connect:${instance.region}:${instance.account}:instance/${instance.id}`;

  const names = displayNames(content);
  const resources: Partial<Record<ResourceKind, Record<string, MappingEntry>>> = {};
  const known = new Set<string>();
  const add = (kind: ResourceKind, wanted: string, entry: MappingEntry) => {
    const key = entry.arn ?? entry.id ?? '';
    if (known.has(key)) return;
    known.add(key);
    const entries = (resources[kind] ??= {});
    let name = wanted;
    for (let n = 2; entries[name]; n++) name = `${wanted} ${n}`;
    entries[name] = entry;
  };

  strings(content, (s, key) => {
    for (const m of s.matchAll(CONNECT_ARN)) {
      if (m[3] !== instance.id || !m[4]) continue;
      const kind = KIND_OF_SEGMENT[m[4]];
      if (!kind) continue;
      const full = `${arn}/${m[4]}/${m[5]}`;
      add(kind, names.get(full) ?? `${kind} ${m[5].slice(0, 8)}`, { id: m[5], arn: full });
    }
    for (const m of s.matchAll(LEX_V2_ARN)) {
      if (m[1] !== instance.region || m[2] !== instance.account) continue;
      add('lex-v2-alias', `${m[3]}/${m[4]}`, { arn: m[0] });
    }
    const kind = key ? kindOfKey(key) : undefined;
    if (kind && UUID.test(s) && s.length === 36 && s !== instance.id) {
      const segment = Object.entries(KIND_OF_SEGMENT).find(([, k]) => k === kind)![0];
      add(kind, `${kind} ${s.slice(0, 8)}`, { id: s, arn: `${arn}/${segment}/${s}` });
    }
  });

  return {
    version: 1,
    environment: 'test',
    instance: { ...instance, arn, alias: 'corpus' },
    naming: NO_NAMING,
    resources,
    fingerprints: {},
  };
}
