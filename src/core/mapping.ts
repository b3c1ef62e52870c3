/**
 * The environment mapping: everything environment-specific about an instance (ids, ARNs, naming
 * rules), so that the resource files can be equal across environments. Indexes by id and ARN are
 * built once per mapping, because tokenizing a thousand flows looks up every UUID it meets.
 */
import type { RawInstance, RawInstanceInfo } from './raw';
import {
  NO_NAMING,
  parseLambdaArn,
  lambdaArn,
  portableLambdaName,
  portableName,
  type LambdaOverrides,
  type NamingRules,
} from './naming';
import type { Warning } from './warnings';

export const RESOURCE_KINDS = [
  'flow',
  'module',
  'queue',
  'agent',
  'agent-queue',
  'hours',
  'prompt',
  'routing-profile',
  'quick-connect',
  'security-profile',
  'phone-number',
  'lambda',
  'lex-v2-alias',
  'lex-bot',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export function isResourceKind(value: string): value is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(value);
}

/** Connect resources have an id and an ARN; Lambda and Lex V2 only an ARN; Lex V1 a name. */
export interface MappingEntry {
  id?: string;
  arn?: string;
  /** Lex V1: the real bot name. */
  name?: string;
  /** Lex V1: the bot's region. */
  region?: string;
}

export interface Mapping {
  version: 1;
  environment: string;
  instance: RawInstanceInfo;
  naming: NamingRules;
  resources: Partial<Record<ResourceKind, Record<string, MappingEntry>>>;
  /** `<folder>/<name>` -> sha256 of what describes a change (see fingerprintOf). */
  fingerprints: Record<string, string>;
}

export interface ResourceRef {
  kind: ResourceKind;
  name: string;
}

/** Parts of the instance ARN that decide whether another ARN belongs to this instance. */
export interface InstanceScope {
  partition: string;
  region: string;
  account: string;
  id: string;
}

export function instanceScope(instance: RawInstanceInfo): InstanceScope {
  const partition = /^arn:([^:]+):/.exec(instance.arn)?.[1] ?? 'aws';
  return { partition, region: instance.region, account: instance.account, id: instance.id };
}

/** What tokenizing reads from a mapping (MappingIndex, or a wrapper noting the lookups). */
export interface MappingLookup {
  readonly mapping: Mapping;
  readonly scope: InstanceScope;
  byId(id: string): ResourceRef | undefined;
  byArn(arn: string): ResourceRef | undefined;
  entry(kind: ResourceKind, name: string): MappingEntry | undefined;
}

/**
 * A mapping with its lookups. The id index favours the kind listed first in RESOURCE_KINDS when two
 * entries share an id: an agent's queue has the agent's user id, and `agent` wins for bare ids.
 */
export class MappingIndex implements MappingLookup {
  readonly mapping: Mapping;
  readonly scope: InstanceScope;
  private readonly ids = new Map<string, ResourceRef>();
  private readonly arns = new Map<string, ResourceRef>();

  constructor(mapping: Mapping) {
    this.mapping = mapping;
    this.scope = instanceScope(mapping.instance);
    for (const kind of RESOURCE_KINDS) {
      const entries = mapping.resources[kind];
      if (!entries) continue;
      for (const name of Object.keys(entries).sort()) this.index(kind, name, entries[name]);
    }
  }

  private index(kind: ResourceKind, name: string, entry: MappingEntry): void {
    if (entry.id && !this.ids.has(entry.id)) this.ids.set(entry.id, { kind, name });
    if (entry.arn && !this.arns.has(entry.arn)) this.arns.set(entry.arn, { kind, name });
  }

  byId(id: string): ResourceRef | undefined {
    return this.ids.get(id);
  }

  byArn(arn: string): ResourceRef | undefined {
    return this.arns.get(arn);
  }

  entry(kind: ResourceKind, name: string): MappingEntry | undefined {
    const entries = this.mapping.resources[kind];
    return entries && Object.prototype.hasOwnProperty.call(entries, name)
      ? entries[name]
      : undefined;
  }

  /** Adds an entry (a Lambda function first seen in a flow); an existing name is left alone. */
  add(kind: ResourceKind, name: string, entry: MappingEntry): boolean {
    if (this.entry(kind, name)) return false;
    const entries = (this.mapping.resources[kind] ??= {});
    entries[name] = entry;
    this.index(kind, name, entry);
    return true;
  }
}

export function emptyMapping(
  instance: RawInstanceInfo,
  environment: string,
  naming: NamingRules = NO_NAMING,
): Mapping {
  return { version: 1, environment, instance, naming, resources: {}, fingerprints: {} };
}

interface Candidate {
  name: string | undefined;
  id?: string;
  arn?: string;
}

/**
 * Adds one kind's resources. Connect names are unique per kind, but a name missing or repeated
 * (an instance mid-rename, a user without a username) must not make a token ambiguous: such a
 * resource is keyed `<name> [<id>]` and reported.
 */
function addAll(
  mapping: Mapping,
  kind: ResourceKind,
  candidates: Candidate[],
  warnings: Warning[],
): void {
  const entries: Record<string, MappingEntry> = (mapping.resources[kind] ??= {});
  const sorted = [...candidates].sort((a, b) =>
    compareText(a.id ?? a.arn ?? '', b.id ?? b.arn ?? ''),
  );
  for (const c of sorted) {
    const entry: MappingEntry = {};
    if (c.id) entry.id = c.id;
    if (c.arn) entry.arn = c.arn;
    let name = c.name;
    if (name === undefined || name === '' || Object.prototype.hasOwnProperty.call(entries, name)) {
      const fallback = `${name ?? ''} [${c.id ?? c.arn ?? '?'}]`.trim();
      warnings.push({
        code: name ? 'duplicate-name' : 'missing-name',
        message: name
          ? `Two ${kind} resources are named "${name}"; the one with id ${c.id} is mapped as ` +
            `"${fallback}".`
          : `A ${kind} resource has no name; it is mapped as "${fallback}".`,
      });
      name = fallback;
    }
    entries[name] = entry;
  }
}

function agentUserId(
  queueArn: string | undefined,
  queueId: string | undefined,
): string | undefined {
  const m = queueArn ? /\/queue\/agent\/([^/:]+)$/.exec(queueArn) : null;
  return m ? m[1] : queueId;
}

/** The mapping of every resource of the instance; filters never remove anything from it. */
export function buildMapping(
  raw: RawInstance,
  environment: string,
  naming: NamingRules = NO_NAMING,
  warnings: Warning[] = [],
  lambdaOverrides: LambdaOverrides = {},
): Mapping {
  const mapping = emptyMapping(raw.instance, environment, naming);
  const usernames = new Map<string, string | undefined>();
  for (const u of raw.users) if (u.Id) usernames.set(u.Id, u.Username);

  addAll(
    mapping,
    'flow',
    raw.flows.map(({ flow: f }) => ({ name: f.Name, id: f.Id, arn: f.Arn })),
    warnings,
  );
  addAll(
    mapping,
    'module',
    raw.modules.map(({ module: m }) => ({ name: m.Name, id: m.Id, arn: m.Arn })),
    warnings,
  );
  addAll(
    mapping,
    'queue',
    raw.queues.map(({ queue: q }) => ({ name: q.Name, id: q.QueueId, arn: q.QueueArn })),
    warnings,
  );
  addAll(
    mapping,
    'agent',
    raw.users.map((u) => ({ name: u.Username, id: u.Id, arn: u.Arn })),
    warnings,
  );
  addAll(
    mapping,
    'agent-queue',
    raw.agentQueues.map((q) => {
      const userId = agentUserId(q.Arn, q.Id);
      return { name: userId ? usernames.get(userId) : undefined, id: q.Id, arn: q.Arn };
    }),
    warnings,
  );
  addAll(
    mapping,
    'hours',
    raw.hours.map((h) => ({ name: h.Name, id: h.HoursOfOperationId, arn: h.HoursOfOperationArn })),
    warnings,
  );
  addAll(
    mapping,
    'prompt',
    raw.prompts.map((p) => ({ name: p.Name, id: p.PromptId, arn: p.PromptARN })),
    warnings,
  );
  addAll(
    mapping,
    'routing-profile',
    raw.routingProfiles.map(({ profile: p }) => ({
      name: p.Name,
      id: p.RoutingProfileId,
      arn: p.RoutingProfileArn,
    })),
    warnings,
  );
  addAll(
    mapping,
    'quick-connect',
    raw.quickConnects.map((q) => ({ name: q.Name, id: q.QuickConnectId, arn: q.QuickConnectARN })),
    warnings,
  );
  addAll(
    mapping,
    'security-profile',
    raw.securityProfiles.map((s) => ({ name: s.Name, id: s.Id, arn: s.Arn })),
    warnings,
  );
  addAll(
    mapping,
    'phone-number',
    (raw.phoneNumbers ?? []).map((p) => ({
      name: p.PhoneNumber,
      id: p.PhoneNumberId,
      arn: p.PhoneNumberArn,
    })),
    warnings,
  );

  // Functions are mapped by unqualified ARN: a flow may call any version or alias of them.
  const functions = new Map<string, string>();
  for (const arn of raw.lambdaFunctions) {
    const parts = parseLambdaArn(arn);
    if (!parts) {
      warnings.push({
        code: 'bad-lambda-arn',
        message: `Associated Lambda ARN not understood: ${arn}`,
      });
      continue;
    }
    functions.set(lambdaArn(parts), portableLambdaName(parts.name, naming, lambdaOverrides));
  }
  addAll(
    mapping,
    'lambda',
    [...functions].map(([arn, name]) => ({ name, arn })),
    warnings,
  );

  addAll(
    mapping,
    'lex-v2-alias',
    raw.lexV2Aliases.map((a) => ({
      name: lexV2AliasName(a.aliasArn, naming, a.botName, a.aliasName),
      arn: a.aliasArn,
    })),
    warnings,
  );

  const bots = (mapping.resources['lex-bot'] ??= {});
  for (const bot of [...raw.lexBots].sort((a, b) =>
    compareText(a.name + a.region, b.name + b.region),
  )) {
    const portable = portableName(bot.name, naming.lex);
    if (bots[portable]) {
      warnings.push({
        code: 'duplicate-name',
        message:
          `Lex bot "${bot.name}" is associated in more than one region; only ` +
          `${bots[portable].region} is mapped.`,
      });
      continue;
    }
    bots[portable] = { name: bot.name, region: bot.region };
  }
  return mapping;
}

/** `<portable bot name>/<alias name>`, or the ids in the ARN when Lex gave no names. */
export function lexV2AliasName(
  aliasArn: string,
  naming: NamingRules,
  botName?: string,
  aliasName?: string,
): string {
  const m = /bot-alias\/([^/]+)\/([^/]+)$/.exec(aliasArn);
  const bot = botName ?? m?.[1] ?? aliasArn;
  const alias = aliasName ?? m?.[2] ?? '';
  return `${portableName(bot, naming.lex)}/${alias}`;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
