/**
 * Creates one instance from a folder of exported flows and modules (Flow Language), so real
 * exports become a realistic instance: every resource the files reference exists afterwards under
 * exactly the referenced id, named as the designer metadata names it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { createInstance } from './instances';
import { validateContent } from './validate';
import { invalidParameter } from './errors';
import {
  EmulatorState,
  InstanceRecord,
  LambdaFunctionRecord,
  lambdaArn,
  nowSeconds,
} from './model';

export interface SeedResult {
  instance: InstanceRecord;
  /** Counts of what was created, per resource kind. */
  created: Record<string, number>;
}

/** The optional `instance.json` of a seed folder. */
export interface SeedManifest {
  id?: string;
  alias?: string;
  account?: string;
  region?: string;
  /** Names for referenced ids the metadata does not name: `{ "<id>": "Name" }`. */
  names?: Record<string, string>;
  /** Resources to pre-provision, by name. */
  resources?: {
    prompts?: string[];
    queues?: string[];
    hours?: string[];
    users?: string[];
    lambdaFunctions?: string[];
    lexV2Bots?: { name: string; aliases?: string[] }[];
    lexBots?: { name: string; region?: string }[];
  };
}

type Kind = 'queue' | 'flow' | 'module' | 'prompt' | 'hours' | 'user' | 'routingProfile';

interface Discovered {
  kind: Kind;
  id: string;
  name?: string;
  /** For flows: the type the reference implies (an event hook names the flow's role). */
  flowType?: string;
}

interface FlowFile {
  file: string;
  content: string;
  parsed: Record<string, unknown>;
  isModule: boolean;
  name: string;
  type: string;
  description?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONNECT_ARN = new RegExp(
  'arn:aws:connect:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):instance/([0-9a-f-]{36})' +
    '(?:/([a-z-]+(?:/agent)?)/([0-9a-f-]{36}))?',
  'g',
);
const LAMBDA_ARN =
  /^arn:aws:lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):function:([A-Za-z0-9_-]{1,64})/;
const INTEGRATION_ARN = /arn:aws:(?:lambda|lex):([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):/g;
const LEX_V2_ALIAS =
  /^arn:aws:lex:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):bot-alias\/([0-9A-Z]{10})\/([0-9A-Z]{10})$/;

const SEGMENT_KIND: Record<string, Kind> = {
  queue: 'queue',
  'queue/agent': 'user',
  'contact-flow': 'flow',
  'flow-module': 'module',
  prompt: 'prompt',
  'operating-hours': 'hours',
  agent: 'user',
  'routing-profile': 'routingProfile',
};

/** Parameters that hold a bare id of a known kind. */
const BARE_ID_PARAMETER: Record<string, Kind> = {
  QueueId: 'queue',
  AgentId: 'user',
  ContactFlowId: 'flow',
  FlowModuleId: 'module',
  PromptId: 'prompt',
  HoursOfOperationId: 'hours',
};

/** Console exports name the flow type in camel case; the API wants the enum. */
const FLOW_TYPES: Record<string, string> = {
  contactFlow: 'CONTACT_FLOW',
  customerQueue: 'CUSTOMER_QUEUE',
  customerHold: 'CUSTOMER_HOLD',
  customerWhisper: 'CUSTOMER_WHISPER',
  agentHold: 'AGENT_HOLD',
  agentWhisper: 'AGENT_WHISPER',
  outboundWhisper: 'OUTBOUND_WHISPER',
  agentTransfer: 'AGENT_TRANSFER',
  queueTransfer: 'QUEUE_TRANSFER',
  campaign: 'CAMPAIGN',
};

/** The role an event hook gives the flow it names. */
const HOOK_FLOW_TYPE: Record<string, string> = {
  CustomerQueue: 'CUSTOMER_QUEUE',
  CustomerHold: 'CUSTOMER_HOLD',
  CustomerWhisper: 'CUSTOMER_WHISPER',
  AgentHold: 'AGENT_HOLD',
  AgentWhisper: 'AGENT_WHISPER',
};

export async function seedInstanceFromDirectory(
  state: EmulatorState,
  dir: string,
): Promise<SeedResult> {
  const { files, manifest } = await readSeedFolder(dir);
  const identity = instanceIdentity(files, manifest, state, dir);
  const discovered = discoverResources(files, identity, manifest);

  // Connect's defaults take the discovered ids when the names agree (a flow that plays
  // `Beep.wav` by ARN refers to the default prompt), so nothing exists twice.
  const byName = new Map<string, string>();
  for (const d of discovered.values()) if (d.name) byName.set(`${d.kind}:${d.name}`, d.id);
  const fileFlowIds = assignFileIds(files, discovered, identity.id);
  for (const f of files)
    byName.set(`${f.isModule ? 'module' : 'flow'}:${f.name}`, fileFlowIds.get(f)!);
  const instance = createInstance(state, {
    id: identity.id,
    alias: identity.alias,
    account: identity.account,
    region: identity.region,
    idFor: (kind, name) => byName.get(`${kind}:${name}`) ?? stableId(identity.id, kind, name),
  });

  const created: Record<string, number> = {};
  const count = (kind: string) => (created[kind] = (created[kind] ?? 0) + 1);
  const now = nowSeconds();
  const hoursId = Object.values(instance.hours)[0].Id;
  const taken = (kind: Kind, name: string) => uniqueName(instance, kind, name);

  for (const d of discovered.values()) {
    if (d.kind === 'flow' && [...fileFlowIds.values()].includes(d.id)) continue;
    if (d.kind === 'module' && [...fileFlowIds.values()].includes(d.id)) continue;
    if (existsIn(instance, d.kind, d.id)) continue;
    const name = taken(d.kind, d.name ?? generatedName(d.kind, d.id));
    addResource(instance, d.kind, d.id, name, { hoursId, now, flowType: d.flowType });
    count(d.kind);
  }

  for (const f of files) {
    const id = fileFlowIds.get(f)!;
    if (f.isModule) {
      instance.modules[id] = {
        Id: id,
        Name: taken('module', f.name),
        Description: f.description,
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Content: f.content,
        Settings: f.parsed.Settings === undefined ? undefined : JSON.stringify(f.parsed.Settings),
        Tags: {},
        LastModifiedTime: now,
      };
      count('module');
    } else {
      const previous = instance.flows[id];
      instance.flows[id] = {
        Id: id,
        Name: previous?.Name ?? taken('flow', f.name),
        Type: f.type,
        Description: f.description,
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Content: f.content,
        Tags: {},
        LastModifiedTime: now,
      };
      if (!previous) count('flow');
    }
  }

  provisionDeclared(state, instance, manifest, now, count);
  provisionIntegrations(state, instance, files, now, count);
  markUnpublishable(instance, files, fileFlowIds);
  return { instance, created };
}

/**
 * Connect publishes only valid content, so an export that could not be published (a template
 * with placeholders, dangling transitions) can only have been a saved draft: it is seeded as one.
 */
function markUnpublishable(
  instance: InstanceRecord,
  files: FlowFile[],
  ids: Map<FlowFile, string>,
): void {
  for (const f of files) {
    const id = ids.get(f)!;
    const record = f.isModule ? instance.modules[id] : instance.flows[id];
    const problems = validateContent(
      f.content,
      instance,
      { validateIntegrations: false },
      f.isModule ? 'module' : 'flow',
    );
    if (problems.length > 0) record.Status = 'SAVED';
  }
}

async function readSeedFolder(dir: string): Promise<{ files: FlowFile[]; manifest: SeedManifest }> {
  let entries: string[];
  try {
    entries = await listJsonFiles(dir);
  } catch (error) {
    throw invalidParameter(`Cannot read seed folder ${dir}: ${(error as Error).message}`);
  }
  let manifest: SeedManifest = {};
  const files: FlowFile[] = [];
  for (const path of entries) {
    const text = await readFile(path, 'utf8');
    const label = relative(process.cwd(), path) || path;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw invalidParameter(`${label} is not valid JSON: ${(error as Error).message}`);
    }
    if (basename(path) === 'instance.json') {
      manifest = parsed as SeedManifest;
      continue;
    }
    files.push(flowFile(label, text, parsed));
  }
  return { files, manifest };
}

async function listJsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listJsonFiles(path)));
    else if (entry.isFile() && entry.name.endsWith('.json')) out.push(path);
  }
  return out.sort();
}

function flowFile(file: string, content: string, parsed: unknown): FlowFile {
  const flow = parsed as Record<string, unknown>;
  if (!flow || typeof flow !== 'object' || Array.isArray(flow)) {
    throw invalidParameter(`${file} is not Flow Language: expected a JSON object.`);
  }
  if ('modules' in flow && String(flow.version) === '1') {
    throw invalidParameter(
      `${file} is a legacy flow export (version 1), not Flow Language (2019-10-30). ` +
        'Open it in the flow designer and export it again.',
    );
  }
  if (flow.Version !== '2019-10-30' || !Array.isArray(flow.Actions)) {
    throw invalidParameter(
      `${file} is not Flow Language: expected "Version": "2019-10-30" and an "Actions" list.`,
    );
  }
  const metadata = (flow.Metadata ?? {}) as Record<string, unknown>;
  const isModule = typeof flow.Settings === 'object' && flow.Settings !== null;
  const metaName = typeof metadata.name === 'string' && metadata.name.trim() ? metadata.name : '';
  const metaType = typeof metadata.type === 'string' ? FLOW_TYPES[metadata.type] : undefined;
  return {
    file,
    content,
    parsed: flow,
    isModule,
    name: metaName || basename(file, '.json'),
    type: metaType ?? 'CONTACT_FLOW',
    description:
      typeof metadata.description === 'string' && metadata.description
        ? metadata.description
        : undefined,
  };
}

interface Identity {
  id: string;
  alias: string;
  account: string;
  region: string;
}

function instanceIdentity(
  files: FlowFile[],
  manifest: SeedManifest,
  state: EmulatorState,
  dir: string,
): Identity {
  const seen = new Map<string, string[]>();
  for (const f of files) {
    for (const match of f.content.matchAll(CONNECT_ARN)) {
      const key = `${match[1]}:${match[2]}:${match[3]}`;
      seen.set(key, [...(seen.get(key) ?? []), f.file]);
    }
  }
  if (seen.size > 1) {
    const list = [...seen].map(([k, f]) => `${k} (in ${[...new Set(f)].join(', ')})`);
    throw invalidParameter(
      `The files in ${dir} reference ${seen.size} different instances: ${list.join('; ')}. ` +
        'Seed each instance from its own folder.',
    );
  }
  const [fromArns] = [...seen.keys()].map((k) => {
    const [region, account, id] = k.split(':');
    return { region, account, id };
  });
  for (const key of ['id', 'account', 'region'] as const) {
    if (fromArns && manifest[key] && manifest[key] !== fromArns[key]) {
      throw invalidParameter(
        `instance.json in ${dir} sets ${key} ${manifest[key]}, but the flows' ARNs say ` +
          `${fromArns[key]}. Remove it from instance.json or fix the files.`,
      );
    }
  }
  // Without a Connect ARN, the functions and bots the flows call say where the instance was,
  // when they all agree (Lambda functions may live elsewhere, so a mix decides nothing).
  const homes = new Set<string>();
  for (const f of files) {
    for (const m of f.content.matchAll(INTEGRATION_ARN)) homes.add(`${m[1]}:${m[2]}`);
  }
  const [homeRegion, homeAccount] = homes.size === 1 ? [...homes][0].split(':') : [];
  const account = fromArns?.account ?? manifest.account ?? homeAccount ?? state.defaultAccount;
  const region = fromArns?.region ?? manifest.region ?? homeRegion ?? 'us-east-1';
  const fingerprint = files.map((f) => `${basename(f.file)}\n${f.content}`).join('\n');
  const id = fromArns?.id ?? manifest.id ?? stableId('seed', account, region, fingerprint);
  return {
    id,
    account,
    region,
    alias: manifest.alias ?? aliasFrom(basename(dir), id),
  };
}

function aliasFrom(folder: string, id: string): string {
  // Aliases may not start with `d-` (directory ids look like that) nor with a hyphen.
  const cleaned = folder
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^d-/, 'd');
  return (cleaned || 'seeded').slice(0, 36) + '-' + id.slice(0, 8);
}

/**
 * Walks every string of every file and records each reference to a resource of the instance,
 * by ARN anywhere or by bare id in a parameter that holds one, with the name the designer's
 * metadata gives it.
 */
function discoverResources(
  files: FlowFile[],
  identity: Identity,
  manifest: SeedManifest,
): Map<string, Discovered> {
  const found = new Map<string, Discovered>();
  const note = (kind: Kind, id: string, name?: string, flowType?: string) => {
    const key = `${kind}:${id}`;
    const existing = found.get(key);
    const named = manifest.names?.[id] ?? name;
    if (!existing) found.set(key, { kind, id, name: named, flowType });
    else {
      existing.name ??= named;
      existing.flowType ??= flowType;
    }
  };

  for (const f of files) {
    const metadata = (f.parsed.Metadata ?? {}) as Record<string, unknown>;
    const actionMetadata = (metadata.ActionMetadata ?? {}) as Record<string, unknown>;
    const actions = f.parsed.Actions as Record<string, unknown>[];
    for (const action of actions) {
      const identifier = String(action.Identifier ?? '');
      const meta = actionMetadata[identifier];
      walkStrings(action.Parameters, [], (value, path) => {
        const ref = referenceIn(value, path, identity);
        if (!ref) return;
        const hook = path[0] === 'EventHooks' ? HOOK_FLOW_TYPE[path[1]] : undefined;
        note(ref.kind, ref.id, nameFromMetadata(meta, path, value), hook);
      });
      walkStrings(action.Transitions, [], (value, path) => {
        const ref = referenceIn(value, path, identity);
        if (ref) note(ref.kind, ref.id);
      });
    }
    // Metadata repeats references (`queue.id`, `audio[].id`) next to the names it shows.
    walkStrings(metadata, [], (value, path) => {
      const ref = referenceIn(value, path, identity);
      if (ref) note(ref.kind, ref.id);
    });
  }
  return found;
}

function referenceIn(
  value: string,
  path: string[],
  identity: Identity,
): { kind: Kind; id: string } | undefined {
  for (const match of value.matchAll(CONNECT_ARN)) {
    if (!match[4] || match[3] !== identity.id) continue;
    const kind = SEGMENT_KIND[match[4]];
    if (kind) return { kind, id: match[5] };
  }
  const key = path[path.length - 1];
  const kind = BARE_ID_PARAMETER[key] ?? (path[0] === 'EventHooks' ? 'flow' : undefined);
  if (kind && UUID.test(value)) return { kind, id: value };
  return undefined;
}

function walkStrings(
  value: unknown,
  path: string[],
  visit: (value: string, path: string[]) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value))
    value.forEach((v, i) => walkStrings(v, [...path, String(i)], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
  }
}

/**
 * The designer caches display names beside references: `parameters.<Param>.displayName` at the
 * parameter's own path, or `{ id, text }` pairs (`queue`, `contactFlow`, `audio[]`, `Hours`).
 */
function nameFromMetadata(meta: unknown, path: string[], value: string): string | undefined {
  if (!meta || typeof meta !== 'object') return undefined;
  let node: unknown = (meta as Record<string, unknown>).parameters;
  for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
  const display = (node as { displayName?: unknown } | undefined)?.displayName;
  if (typeof display === 'string' && display.trim()) return cleanName(display);
  let paired: string | undefined;
  walkObjects(meta, (obj) => {
    if (paired === undefined && obj.id === value && typeof obj.text === 'string' && obj.text) {
      paired = cleanName(obj.text);
    }
  });
  return paired;
}

/** Agents are shown as `login (First Last)`; the user name is the login. */
function cleanName(name: string): string {
  const agent = /^([^\s()]+) \(.*\)$/.exec(name);
  return agent ? agent[1] : name;
}

function walkObjects(value: unknown, visit: (obj: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walkObjects(v, visit));
  else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    Object.values(value).forEach((v) => walkObjects(v, visit));
  }
}

/**
 * A file's flow takes the id of a reference that names it (a TransferToFlow whose metadata shows
 * the file's flow name), so flows of one export that call each other stay connected.
 */
function assignFileIds(
  files: FlowFile[],
  discovered: Map<string, Discovered>,
  instanceId: string,
): Map<FlowFile, string> {
  const ids = new Map<FlowFile, string>();
  const used = new Set<string>();
  for (const f of files) {
    const kind = f.isModule ? 'module' : 'flow';
    const match = [...discovered.values()].find(
      (d) => d.kind === kind && d.name === f.name && !used.has(d.id),
    );
    const id = match?.id ?? stableId(instanceId, kind, f.name);
    used.add(id);
    ids.set(f, id);
  }
  return ids;
}

function existsIn(instance: InstanceRecord, kind: Kind, id: string): boolean {
  return Boolean(collection(instance, kind)[id]);
}

function collection(instance: InstanceRecord, kind: Kind): Record<string, { Name?: string }> {
  switch (kind) {
    case 'queue':
      return instance.queues;
    case 'flow':
      return instance.flows;
    case 'module':
      return instance.modules;
    case 'prompt':
      return instance.prompts;
    case 'hours':
      return instance.hours;
    case 'routingProfile':
      return instance.routingProfiles;
    case 'user':
      return Object.fromEntries(
        Object.entries(instance.users).map(([id, u]) => [id, { Name: u.Username }]),
      );
  }
}

function uniqueName(instance: InstanceRecord, kind: Kind, name: string): string {
  const names = new Set(Object.values(collection(instance, kind)).map((r) => r.Name));
  if (!names.has(name)) return name;
  for (let n = 2; ; n++) if (!names.has(`${name} (${n})`)) return `${name} (${n})`;
}

function generatedName(kind: Kind, id: string): string {
  const label: Record<Kind, string> = {
    queue: 'Queue',
    flow: 'Flow',
    module: 'Module',
    prompt: 'Prompt',
    hours: 'Hours',
    user: 'agent',
    routingProfile: 'Routing profile',
  };
  return kind === 'user' ? `agent-${id.slice(0, 8)}` : `${label[kind]} ${id.slice(0, 8)}`;
}

function addResource(
  instance: InstanceRecord,
  kind: Kind,
  id: string,
  name: string,
  context: { hoursId: string; now: number; flowType?: string },
): void {
  const base = { Id: id, Name: name, Tags: {}, LastModifiedTime: context.now };
  switch (kind) {
    case 'queue':
      instance.queues[id] = {
        ...base,
        QueueType: 'STANDARD',
        Description: `Queue referenced by the seeded flows`,
        HoursOfOperationId: context.hoursId,
        Status: 'ENABLED',
        OutboundCallerConfig: {},
        QuickConnectIds: [],
      };
      return;
    case 'prompt':
      instance.prompts[id] = { ...base, Description: '', S3Uri: `s3://seeded-prompts/${name}` };
      return;
    case 'hours':
      instance.hours[id] = {
        ...base,
        Description: 'Hours referenced by the seeded flows',
        TimeZone: 'UTC',
        Config: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'].map((Day) => ({
          Day,
          StartTime: { Hours: 9, Minutes: 0 },
          EndTime: { Hours: 17, Minutes: 0 },
        })),
      };
      return;
    case 'user':
      instance.users[id] = { Id: id, Username: name, Tags: {}, LastModifiedTime: context.now };
      return;
    case 'flow': {
      const type = context.flowType ?? 'CONTACT_FLOW';
      instance.flows[id] = {
        ...base,
        Type: type,
        Description: 'Flow referenced by the seeded flows',
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Content: JSON.stringify(placeholderContent(type, false)),
      };
      return;
    }
    case 'module':
      instance.modules[id] = {
        ...base,
        Description: 'Module referenced by the seeded flows',
        State: 'ACTIVE',
        Status: 'PUBLISHED',
        Content: JSON.stringify(placeholderContent('MODULE', true)),
        Settings: JSON.stringify({ InputParameters: [], OutputParameters: [], Transitions: [] }),
      };
      return;
    case 'routingProfile':
      instance.routingProfiles[id] = {
        ...base,
        Description: 'Routing profile referenced by the seeded flows',
        DefaultOutboundQueueId: Object.keys(instance.queues)[0],
        MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
        QueueConfigs: [],
        IsDefault: false,
      };
      return;
  }
}

function placeholderContent(type: string, isModule: boolean) {
  const end = isModule
    ? 'EndFlowModuleExecution'
    : type === 'CONTACT_FLOW'
      ? 'DisconnectParticipant'
      : 'EndFlowExecution';
  return {
    Version: '2019-10-30',
    StartAction: 'end',
    Metadata: { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: {} },
    Actions: [{ Identifier: 'end', Type: end, Parameters: {}, Transitions: {} }],
  };
}

/** Lambda functions and Lex V2 aliases the flows call exist in their account and are associated. */
function provisionIntegrations(
  state: EmulatorState,
  instance: InstanceRecord,
  files: FlowFile[],
  now: number,
  count: (kind: string) => void,
): void {
  for (const f of files) {
    walkStrings(f.parsed.Actions, [], (value) => {
      const lambda = LAMBDA_ARN.exec(value);
      if (lambda) {
        const [, region, account, name] = lambda;
        if (ensureFunction(state, account, region, name, now)) count('lambdaFunction');
        const arn = lambdaArn(account, region, name);
        if (!instance.lambdaFunctions.includes(arn)) instance.lambdaFunctions.push(arn);
      }
      const lex = LEX_V2_ALIAS.exec(value);
      if (lex) {
        const [arn, region, account, botId, aliasId] = lex;
        const meta = findLexNames(f, value);
        if (ensureLexV2Bot(state, account, region, botId, aliasId, meta)) count('lexV2Bot');
        if (!instance.lexV2Bots.includes(arn)) instance.lexV2Bots.push(arn);
      }
    });
    walkObjects(f.parsed.Actions, (obj) => {
      const bot = obj.LexBot as { Name?: unknown; Region?: unknown } | undefined;
      if (bot && typeof bot.Name === 'string' && typeof bot.Region === 'string') {
        if (!bot.Name.startsWith('$.') && !instance.lexBots.some((b) => b.Name === bot.Name)) {
          instance.lexBots.push({ Name: bot.Name, LexRegion: bot.Region });
          count('lexBot');
        }
      }
    });
  }
}

function findLexNames(f: FlowFile, aliasArn: string): { bot?: string; alias?: string } {
  const metadata = (f.parsed.Metadata ?? {}) as Record<string, unknown>;
  const actions = f.parsed.Actions as Record<string, unknown>[];
  const action = actions.find((a) => JSON.stringify(a.Parameters ?? {}).includes(aliasArn));
  const meta = (metadata.ActionMetadata as Record<string, Record<string, unknown>> | undefined)?.[
    String(action?.Identifier)
  ];
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { bot: text(meta?.lexV2BotName), alias: text(meta?.lexV2BotAliasName) };
}

function ensureFunction(
  state: EmulatorState,
  account: string,
  region: string,
  name: string,
  now: number,
): boolean {
  const key = `${account}:${region}:${name}`;
  if (state.lambdaFunctions[key]) return false;
  const code = Buffer.from(`seeded function ${name}`).toString('base64');
  const record: LambdaFunctionRecord = {
    FunctionName: name,
    Account: account,
    Region: region,
    Runtime: 'nodejs20.x',
    Role: `arn:aws:iam::${account}:role/${name}-role`,
    Handler: 'index.handler',
    Description: 'Function referenced by seeded flows',
    Timeout: 8,
    MemorySize: 128,
    Code: code,
    CodeSha256: createHash('sha256').update(code, 'base64').digest('base64'),
    CodeSize: Buffer.from(code, 'base64').length,
    LastModified: new Date(now * 1000).toISOString().replace('Z', '+0000'),
    RevisionId: stableId(key, 'revision', String(now)),
    Aliases: [],
    Tags: {},
    Policy: [],
  };
  state.lambdaFunctions[key] = record;
  return true;
}

function ensureLexV2Bot(
  state: EmulatorState,
  account: string,
  region: string,
  botId: string,
  aliasId: string,
  names: { bot?: string; alias?: string },
): boolean {
  const key = `${account}:${region}:${botId}`;
  const existing = state.lexV2Bots[key];
  const aliasName = names.alias ?? (aliasId === 'TSTALIASID' ? 'TestBotAlias' : `alias-${aliasId}`);
  if (existing) {
    if (!existing.Aliases.some((a) => a.BotAliasId === aliasId)) {
      existing.Aliases.push({ BotAliasId: aliasId, BotAliasName: aliasName });
    }
    return false;
  }
  state.lexV2Bots[key] = {
    BotId: botId,
    BotName: names.bot ?? `bot-${botId}`,
    Account: account,
    Region: region,
    Aliases: [{ BotAliasId: aliasId, BotAliasName: aliasName }],
  };
  return true;
}

/** Resources `instance.json` declares, so a target instance can be prepared before a copy. */
function provisionDeclared(
  state: EmulatorState,
  instance: InstanceRecord,
  manifest: SeedManifest,
  now: number,
  count: (kind: string) => void,
): void {
  const declared = manifest.resources ?? {};
  const hoursId = Object.values(instance.hours)[0].Id;
  const add = (kind: Kind, names: string[] | undefined) => {
    for (const name of names ?? []) {
      const exists = Object.values(collection(instance, kind)).some((r) => r.Name === name);
      if (exists) continue;
      addResource(instance, kind, stableId(instance.Id, kind, name), name, { hoursId, now });
      count(kind);
    }
  };
  add('prompt', declared.prompts);
  add('hours', declared.hours);
  add('queue', declared.queues);
  add('user', declared.users);
  for (const name of declared.lambdaFunctions ?? []) {
    if (ensureFunction(state, instance.Account, instance.Region, name, now))
      count('lambdaFunction');
    const arn = lambdaArn(instance.Account, instance.Region, name);
    if (!instance.lambdaFunctions.includes(arn)) instance.lambdaFunctions.push(arn);
  }
  for (const bot of declared.lexV2Bots ?? []) {
    const botId = lexId(instance.Account + bot.name);
    for (const alias of bot.aliases ?? ['live']) {
      const aliasId = lexId(botId + alias);
      ensureLexV2Bot(state, instance.Account, instance.Region, botId, aliasId, {
        bot: bot.name,
        alias,
      });
      const arn =
        `arn:aws:lex:${instance.Region}:${instance.Account}:` + `bot-alias/${botId}/${aliasId}`;
      if (!instance.lexV2Bots.includes(arn)) instance.lexV2Bots.push(arn);
    }
    count('lexV2Bot');
  }
  for (const bot of declared.lexBots ?? []) {
    if (!instance.lexBots.some((b) => b.Name === bot.name)) {
      instance.lexBots.push({ Name: bot.name, LexRegion: bot.region ?? instance.Region });
      count('lexBot');
    }
  }
}

/** Lex ids are ten upper-case letters and digits. */
function lexId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return Array.from(digest.subarray(0, 10), (b) => alphabet[b % alphabet.length]).join('');
}

/** A UUID derived from its inputs, so seeding the same folder twice gives the same ids. */
export function stableId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const groups = [hex.slice(0, 8), hex.slice(8, 12), `4${hex.slice(13, 16)}`];
  return [...groups, `${variant}${hex.slice(17, 20)}`, hex.slice(20, 32)].join('-');
}
