/**
 * The push plan: what making an instance match an environment branch would do, computed from the
 * branch's files and the instance as just read (rendered into the same canonical files), with no
 * I/O. The writer (src/connect/writer.ts) carries it out; a dry run prints it and stops.
 *
 * Product rules that live here:
 * - resources are matched by kind and exact name, default ones included; nothing is deleted;
 * - users, security profiles, phone numbers and quick connects are never written (quick connects
 *   are referenced by name only), prompts are never created (their audio is not in the branch);
 * - a resource changed in the instance since the last pull, whose file also differs, is a
 *   conflict and is not overwritten unless forced;
 * - every token must resolve against the target or a resource the plan creates, else nothing runs.
 */
import { resourceFilter } from './filters';
import { MappingIndex, type Mapping } from './mapping';
import { resolve, decodeTokenName, type Json } from './tokens';

export type PushKind = 'hours' | 'queue' | 'routing-profile' | 'module' | 'flow';
export type PushAction = 'create' | 'update' | 'unchanged';

/** Folder of each kind's files in the branch (see SNAPSHOT-DESIGN.md). */
export const FOLDER: Record<PushKind, string> = {
  hours: 'hours',
  queue: 'queues',
  'routing-profile': 'routing-profiles',
  module: 'modules',
  flow: 'flows',
};

/** Hours, then queues, routing profiles, modules and flows, unless a reference says otherwise. */
const PHASE: Record<PushKind, number> = {
  hours: 0,
  queue: 1,
  'routing-profile': 2,
  module: 3,
  flow: 4,
};

/** The fields push compares and writes, per kind; anything else in a file is left alone. */
export const PUSHED_FIELDS: Record<PushKind, readonly string[]> = {
  hours: ['Description', 'TimeZone', 'Config', 'Tags'],
  queue: [
    'Description',
    'HoursOfOperation',
    'MaxContacts',
    'Status',
    'OutboundCallerConfig',
    'QuickConnects',
    'Tags',
  ],
  'routing-profile': [
    'Description',
    'DefaultOutboundQueue',
    'MediaConcurrencies',
    'AgentAvailabilityTimer',
    'Queues',
    'Tags',
  ],
  // Name differs only for a rename carried by id (PushInput.renames): resources match by name.
  module: ['Name', 'Description', 'State', 'Content', 'Settings', 'Draft', 'Tags'],
  flow: ['Name', 'Description', 'State', 'Status', 'Content', 'Draft', 'Tags'],
};

/** Kinds whose members can be created as a placeholder first when they sit on a reference cycle. */
const STUBBABLE: ReadonlySet<PushKind> = new Set(['flow', 'module', 'queue']);

export type ResourceBody = { [key: string]: Json };

export interface PlanStep {
  kind: PushKind;
  name: string;
  /** The branch file. */
  path: string;
  /** `<folder>/<name>`: what filters, fingerprints and the journal name the resource by. */
  key: string;
  action: PushAction;
  reason: string;
  changedFields: string[];
  /** Created first as a placeholder (a member of a reference cycle), then given its content. */
  stub?: boolean;
  /** Index into `Plan.cycles` when `stub` is set. */
  cycle?: number;
  /** Keys of resources this plan creates that this one references (they are written first). */
  dependsOn: string[];
}

export interface PlanConflict {
  kind: PushKind;
  name: string;
  path: string;
  key: string;
  changedFields: string[];
  /** Short renderings of each differing field, per side. */
  branch: Record<string, string>;
  remote: Record<string, string>;
}

export interface PlanUnresolved {
  /** The token as written (or the quick connect's name). */
  token: string;
  file: string;
  /** JSON path inside the file. */
  path: string;
  reason: string;
}

export interface PlanStub {
  kind: PushKind;
  name: string;
  key: string;
  cycle: number;
}

export interface PlanFollowUp {
  code: 'phone-number' | 'outbound-caller-id' | 'prompt';
  key: string;
  message: string;
}

export interface PlanProblem {
  code: 'unreadable-file' | 'type-change' | 'unbreakable-cycle';
  file: string;
  message: string;
}

export interface Plan {
  /** Writes in the order they run, then the resources left as they are. */
  steps: PlanStep[];
  conflicts: PlanConflict[];
  unresolved: PlanUnresolved[];
  stubs: PlanStub[];
  /** Members of each reference cycle, by key. */
  cycles: string[][];
  followUps: PlanFollowUp[];
  problems: PlanProblem[];
  /** Keys of branch resources outside the include/exclude filters: never touched. */
  excluded: string[];
  /** Keys of instance resources the branch does not have: never deleted. */
  remoteOnly: string[];
  /** True when nothing may run: unresolved tokens, unforced conflicts or problems. */
  blocked: boolean;
  /** `unchanged` counts conflicts and held queues too: they are not written. */
  summary: { create: number; update: number; unchanged: number; conflict: number };
  /** Resource bodies the writer needs, by key; `printablePlan` leaves them out. */
  bodies: Record<string, { desired: ResourceBody; current?: ResourceBody }>;
}

export interface PushInput {
  /** The environment branch's files, by path (resource files and mapping.json). */
  files: Map<string, string>;
  /** The instance as it is now, rendered into canonical files by buildSnapshot. */
  remote: { files: Map<string, string>; mapping: Mapping };
  /**
   * Fingerprints recorded by the last read of the instance (the branch's note). Without them every
   * resource the instance has counts as changed there since.
   */
  lastPulled?: Record<string, string>;
  include?: string[];
  exclude?: string[];
  force?: boolean;
  /** Settings of queues that already exist change only when asked: live routing depends on them. */
  updateExistingQueues?: boolean;
  /** Keys an interrupted push wrote (its journal's): our own writes, not console edits. */
  resumed?: string[];
  /**
   * Resources the branch knows under a new name (same id): the instance's `from` is the branch's
   * `to`, so the push renames it in place instead of creating a second one. The target mapping
   * must already list the id under `to`.
   */
  renames?: { folder: string; from: string; to: string }[];
  /** Texts already parsed (the last read's files), by text: not parsed again, not mutated. */
  parsed?: ReadonlyMap<string, unknown>;
}

interface Resource {
  kind: PushKind | 'prompt';
  name: string;
  path: string;
  key: string;
  body: ResourceBody;
}

const KIND_OF_FOLDER = new Map(Object.entries(FOLDER).map(([k, f]) => [f, k as PushKind]));

export function planPush(input: PushInput): Plan {
  const problems: PlanProblem[] = [];
  const followUps: PlanFollowUp[] = [];
  // A file the same on both sides (most of them) is parsed once, into one value for both: the
  // comparison then sees the same object and stops at once.
  const parsed = new Map<string, unknown>(input.parsed);
  const parse = (text: string): unknown => {
    if (!parsed.has(text)) parsed.set(text, JSON.parse(text));
    return parsed.get(text);
  };
  const branch = readResources(input.files, problems, parse);
  const remote = readResources(input.remote.files, problems, parse);
  for (const rename of input.renames ?? []) {
    const from = `${rename.folder}/${rename.from}`;
    const to = `${rename.folder}/${rename.to}`;
    const res = remote.get(from);
    if (!res || remote.has(to)) continue;
    remote.delete(from);
    remote.set(to, { ...res, key: to, name: rename.to });
  }
  const target = input.remote.mapping;
  const lastPulled = input.lastPulled ?? {};
  const resumed = new Set(input.resumed ?? []);
  const selected = filterOf(input.include ?? [], input.exclude ?? []);

  const excluded: string[] = [];
  const conflicts: PlanConflict[] = [];
  const steps: PlanStep[] = [];
  const bodies: Plan['bodies'] = {};

  for (const res of branch.values()) {
    if (res.kind === 'prompt') continue;
    if (!selected(res.key)) {
      excluded.push(res.key);
      continue;
    }
    const current = remote.get(res.key);
    bodies[res.key] = current
      ? { desired: res.body, current: current.body }
      : { desired: res.body };
    const remoteChanged =
      !resumed.has(res.key) && lastPulled[res.key] !== target.fingerprints[res.key];
    const { step, conflict, problem } = classify(res as Resource & { kind: PushKind }, current, {
      remoteChanged,
      resumed: resumed.has(res.key),
      force: input.force === true,
      updateExistingQueues: input.updateExistingQueues === true,
    });
    steps.push(step);
    if (conflict) conflicts.push(conflict);
    if (problem) problems.push(problem);
  }

  const creates = new Set(steps.filter((s) => s.action === 'create').map((s) => s.key));
  const writes = steps.filter((s) => s.action !== 'unchanged');
  const unresolved = checkTokens(writes, bodies, target, creates, branch, selected);
  for (const step of writes) step.dependsOn = dependenciesOf(bodies[step.key].desired, creates);

  const { ordered, cycles } = orderWrites(writes);
  const stubs: PlanStub[] = [];
  const writeByKey = new Map(writes.map((s) => [s.key, s]));
  cycles.forEach((members, cycle) => {
    for (const key of members) {
      const step = writeByKey.get(key)!;
      if (!STUBBABLE.has(step.kind)) {
        problems.push({
          code: 'unbreakable-cycle',
          file: step.path,
          message: MESSAGES.unbreakableCycle(step.key, members),
        });
      }
      step.stub = true;
      step.cycle = cycle;
      stubs.push({ kind: step.kind, name: step.name, key, cycle });
    }
  });

  for (const step of writes) followUps.push(...followUpsOf(step, bodies[step.key], target));
  for (const res of branch.values()) {
    if (res.path.startsWith('prompts/') && !target.resources.prompt?.[res.name]) {
      followUps.push({
        code: 'prompt',
        key: res.key,
        message: MESSAGES.missingPrompt(res.name),
      });
    }
  }

  const unchanged = steps.filter((s) => s.action === 'unchanged').sort(byPhaseAndName);
  const remoteOnly = [...remote.values()]
    .filter((r) => r.kind !== 'prompt' && !branch.has(r.key))
    .map((r) => r.key)
    .sort();
  return {
    steps: [...ordered, ...unchanged],
    conflicts,
    unresolved,
    stubs,
    cycles,
    followUps,
    problems,
    excluded: excluded.sort(),
    remoteOnly,
    blocked: unresolved.length > 0 || conflicts.length > 0 || problems.length > 0,
    summary: {
      create: steps.filter((s) => s.action === 'create').length,
      update: steps.filter((s) => s.action === 'update').length,
      unchanged: steps.filter((s) => s.action === 'unchanged').length,
      conflict: conflicts.length,
    },
    bodies,
  };
}

interface ClassifyContext {
  /** The instance's fingerprint differs from the one recorded at the last pull. */
  remoteChanged: boolean;
  /** Written by an interrupted push of ours. */
  resumed: boolean;
  force: boolean;
  updateExistingQueues: boolean;
}

/** What to do with one branch resource, given its counterpart in the instance (if any). */
function classify(
  res: Resource & { kind: PushKind },
  current: Resource | undefined,
  ctx: ClassifyContext,
): { step: PlanStep; conflict?: PlanConflict; problem?: PlanProblem } {
  const { kind, name, path, key } = res;
  const step: PlanStep = {
    kind,
    name,
    path,
    key,
    action: 'unchanged',
    reason: '',
    changedFields: [],
    dependsOn: [],
  };
  if (!current) return { step: { ...step, action: 'create', reason: 'not in the instance' } };

  const problem: PlanProblem | undefined =
    kind === 'flow' && res.body.Type !== current.body.Type
      ? {
          code: 'type-change',
          file: path,
          message:
            `Flow "${name}" is ${String(current.body.Type)} in the instance and ` +
            `${String(res.body.Type)} in the branch; Connect cannot change a flow's type. ` +
            `Rename the flow in the branch to create a new one, or restore its type.`,
        }
      : undefined;
  const changed = changedFields(kind, res.body, current.body);
  step.changedFields = changed;
  if (changed.length === 0) return { step: { ...step, reason: 'same as the instance' }, problem };

  // A queue an interrupted push of ours created is finished, whatever the option says.
  if (kind === 'queue' && !ctx.updateExistingQueues && !ctx.resumed) {
    const reason = 'existing queue left as is (settings of existing queues change only when asked)';
    return { step: { ...step, reason }, problem };
  }
  if (ctx.remoteChanged && !ctx.force) {
    const conflict: PlanConflict = {
      kind,
      name,
      path,
      key,
      changedFields: changed,
      branch: summarize(res.body, changed),
      remote: summarize(current.body, changed),
    };
    const reason = 'conflict: changed in the instance since the last pull';
    return { step: { ...step, reason }, conflict, problem };
  }
  const reason = ctx.remoteChanged
    ? 'forced over changes made in the instance since the last pull'
    : `branch changed ${changed.join(', ')}`;
  return { step: { ...step, action: 'update', reason }, problem };
}

/** The plan without resource bodies: what a table or `--json` shows. */
export function printablePlan(plan: Plan): Omit<Plan, 'bodies'> {
  const rest: Partial<Plan> = { ...plan };
  delete rest.bodies;
  return rest as Omit<Plan, 'bodies'>;
}

function byPhaseAndName(a: PlanStep, b: PlanStep): number {
  return PHASE[a.kind] - PHASE[b.kind] || compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads every resource file under a known folder, keyed `<folder>/<Name>`. */
function readResources(
  files: Map<string, string>,
  problems: PlanProblem[],
  parse: (text: string) => unknown,
): Map<string, Resource> {
  const out = new Map<string, Resource>();
  for (const path of [...files.keys()].sort()) {
    const slash = path.indexOf('/');
    const folder = path.slice(0, slash);
    const kind = KIND_OF_FOLDER.get(folder);
    if (slash < 0 || (!kind && folder !== 'prompts') || !path.endsWith('.json')) continue;
    let body: unknown;
    try {
      body = parse(files.get(path)!);
    } catch (error) {
      problems.push({
        code: 'unreadable-file',
        file: path,
        message: `${path} is not valid JSON (${(error as Error).message}); fix or restore it.`,
      });
      continue;
    }
    const name = isObject(body) ? body.Name : undefined;
    if (!isObject(body) || typeof name !== 'string' || name === '') {
      problems.push({
        code: 'unreadable-file',
        file: path,
        message: `${path} has no "Name"; every resource file names its resource.`,
      });
      continue;
    }
    const key = `${folder}/${name}`;
    const twin = out.get(key);
    if (twin) {
      problems.push({
        code: 'unreadable-file',
        file: path,
        message: `${path} and ${twin.path} both name ${key}; names are unique, remove one.`,
      });
      continue;
    }
    // Prompts are kept only to report missing audio; they are never written.
    out.set(key, { kind: kind ?? 'prompt', name, path, key, body });
  }
  return out;
}

/** The project's one include/exclude matcher, over `<folder>/<name>` keys. */
function filterOf(include: string[], exclude: string[]): (key: string) => boolean {
  const filter = resourceFilter(include, exclude);
  return (key) => {
    const slash = key.indexOf('/');
    return filter(key.slice(0, slash), key.slice(slash + 1));
  };
}

/** Fields that differ between the branch and the instance, among those push writes. */
export function changedFields(
  kind: PushKind,
  desired: ResourceBody,
  current: ResourceBody,
): string[] {
  // A file the same on both sides was parsed once: the same object.
  if (desired === current) return [];
  const out: string[] = [];
  for (const field of PUSHED_FIELDS[kind]) {
    let a: Json | undefined = desired[field];
    let b: Json | undefined = current[field];
    if (kind === 'module' && (field === 'State' || field === 'Status')) {
      a = typeof a === 'string' ? a.toUpperCase() : a;
      b = typeof b === 'string' ? b.toUpperCase() : b;
    }
    if (kind === 'queue' && field === 'QuickConnects') {
      // Quick connects are added, never removed: extra ones in the instance are not a change.
      const have = new Set(Array.isArray(b) ? b : []);
      if ((Array.isArray(a) ? a : []).some((n) => !have.has(n))) out.push(field);
      continue;
    }
    if (UNORDERED.has(`${kind}.${field}`)) {
      a = sortedRows(a);
      b = sortedRows(b);
    }
    if (!jsonEqual(blankToNull(a), blankToNull(b))) out.push(field);
  }
  return out;
}

/**
 * Lists Connect treats as sets: a hand edit that appends a row where the canonical file sorts it
 * is the same setting, not a change to push on every run.
 */
const UNORDERED = new Set([
  'routing-profile.Queues',
  'routing-profile.MediaConcurrencies',
  'hours.Config',
]);

function sortedRows(value: Json | undefined): Json | undefined {
  if (!Array.isArray(value)) return value;
  const keyed = value.map((row) => [stableKey(row), row] as const);
  return keyed.sort(([x], [y]) => compare(x, y)).map(([, row]) => row);
}

function stableKey(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableKey(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An absent field, an empty string and an empty object all mean "none set" in Connect. */
function blankToNull(value: Json | undefined): Json {
  if (value === undefined || value === '') return null;
  if (isObject(value) && Object.values(value).every((v) => v === undefined)) return null;
  return value;
}

export function jsonEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ao = a as { [k: string]: Json };
  const bo = b as { [k: string]: Json };
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => k in bo && jsonEqual(ao[k], bo[k]));
}

function summarize(body: ResourceBody, fields: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) out[field] = short(body[field]);
  return out;
}

function short(value: Json | undefined): string {
  if (value === undefined) return '(none)';
  if (isObject(value) && Array.isArray(value.Actions)) {
    return `${value.Actions.length} actions`;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const TOKEN = /\{\{cc:([^{}]*)\}\}/g;
const TOKEN_FOLDER: Partial<Record<string, string>> = {
  flow: 'flows',
  module: 'modules',
  queue: 'queues',
  hours: 'hours',
  'routing-profile': 'routing-profiles',
};

/** Every `<folder>/<name>` a value's tokens name, for the kinds push writes. */
export function referencedKeys(value: Json): Set<string> {
  const out = new Set<string>();
  const walk = (v: Json): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(TOKEN)) {
        const inner = m[1];
        const first = inner.indexOf(':');
        const second = inner.indexOf(':', first + 1);
        if (first < 0 || second < 0) continue;
        const folder = TOKEN_FOLDER[inner.slice(first + 1, second)];
        if (folder) out.add(`${folder}/${decodeTokenName(inner.slice(second + 1))}`);
      }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

function dependenciesOf(body: ResourceBody, creates: Set<string>): string[] {
  return [...referencedKeys(body)].filter((k) => creates.has(k)).sort();
}

/** Queue caller ID numbers are phone numbers, which push never claims or moves. */
function callerIdNumber(body: ResourceBody): string | undefined {
  const config = body.OutboundCallerConfig;
  const number = isObject(config) ? config.OutboundCallerIdNumber : undefined;
  return typeof number === 'string' ? number : undefined;
}

/** Whether a queue's caller ID number can be set in the target; else it becomes a follow-up. */
export function callerIdResolves(body: ResourceBody, target: Mapping): boolean {
  const number = callerIdNumber(body);
  if (number === undefined) return true;
  if (!number.startsWith('{{cc:')) return false;
  return resolve(number, target).unresolved.length === 0;
}

function checkTokens(
  writes: PlanStep[],
  bodies: Plan['bodies'],
  target: Mapping,
  creates: Set<string>,
  branch: Map<string, Resource>,
  selected: (key: string) => boolean,
): PlanUnresolved[] {
  // One index for every file: building it walks the whole mapping.
  const index = new MappingIndex(
    withPlanned(
      target,
      writes.filter((s) => creates.has(s.key)),
    ),
  );
  const out: PlanUnresolved[] = [];
  for (const step of writes) {
    const body = { ...bodies[step.key].desired };
    if (step.kind === 'queue' && isObject(body.OutboundCallerConfig)) {
      // An unresolvable caller ID number is left for the user (a follow-up), not a blocker.
      const config = { ...body.OutboundCallerConfig };
      delete config.OutboundCallerIdNumber;
      body.OutboundCallerConfig = config;
    }
    for (const u of resolve(body, index).unresolved) {
      const reason = unresolvedReason(u.token, u.reason, branch, selected);
      out.push({ token: u.token, file: step.path, path: u.path, reason });
    }
    if (step.kind === 'queue') {
      const names = body.QuickConnects;
      (Array.isArray(names) ? names : []).forEach((name, i) => {
        if (typeof name === 'string' && !target.resources['quick-connect']?.[name]) {
          out.push({
            token: name,
            file: step.path,
            path: `QuickConnects[${i}]`,
            reason: MESSAGES.missingQuickConnect(name),
          });
        }
      });
    }
  }
  return out;
}

/** Why a token names nothing, in terms of what the user can do about it. */
function unresolvedReason(
  token: string,
  fallback: string,
  branch: Map<string, Resource>,
  selected: (key: string) => boolean,
): string {
  const inner = /^\{\{cc:([^:{}]*):([^:{}]*):(.*)\}\}$/.exec(token);
  if (!inner) return fallback;
  const [, , kind, encoded] = inner;
  const name = decodeTokenName(encoded);
  const folder = TOKEN_FOLDER[kind];
  if (folder) {
    const key = `${folder}/${name}`;
    if (branch.has(key) && !selected(key)) {
      return `${key} is outside the include/exclude filters and not in the instance`;
    }
    return `no ${kind} named "${name}" in the instance or in the branch`;
  }
  switch (kind) {
    case 'prompt':
      return MESSAGES.unresolvedPrompt(name);
    case 'lambda':
    case 'lex-v2-alias':
    case 'lex-bot':
      return MESSAGES.unassociated(kind, name);
    default:
      return MESSAGES.neverCreated(kind, name);
  }
}

/** The target mapping plus placeholder entries for what the plan creates. */
function withPlanned(target: Mapping, creates: PlanStep[]): Mapping {
  const resources: Mapping['resources'] = {};
  for (const [kind, entries] of Object.entries(target.resources)) {
    resources[kind as keyof Mapping['resources']] = { ...entries };
  }
  for (const step of creates) {
    const entries = (resources[step.kind] ??= {});
    entries[step.name] = { id: `planned:${step.key}`, arn: `planned:${step.key}` };
  }
  return { ...target, resources };
}

/**
 * Writes in dependency order. Strongly connected components (Tarjan) are the reference cycles;
 * the DAG of components is laid out with Kahn's algorithm, always taking the ready component whose
 * first member comes first by kind phase and name, so an acyclic plan keeps the usual order.
 */
function orderWrites(writes: PlanStep[]): { ordered: PlanStep[]; cycles: string[][] } {
  const byKey = new Map(writes.map((s) => [s.key, s]));
  const sorted = [...writes].sort(byPhaseAndName);
  const edges = (s: PlanStep) => s.dependsOn.filter((k) => byKey.has(k));

  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  // Iterative, so a long chain of references cannot overflow the call stack.
  const connect = (root: string): void => {
    const frames: { key: string; next: string[]; at: number }[] = [];
    const open = (key: string) => {
      index.set(key, counter);
      low.set(key, counter++);
      stack.push(key);
      onStack.add(key);
      frames.push({ key, next: edges(byKey.get(key)!), at: 0 });
    };
    open(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.at < frame.next.length) {
        const next = frame.next[frame.at++];
        if (!index.has(next)) open(next);
        else if (onStack.has(next))
          low.set(frame.key, Math.min(low.get(frame.key)!, index.get(next)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.key, Math.min(low.get(parent.key)!, low.get(frame.key)!));
      if (low.get(frame.key) === index.get(frame.key)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.key);
        components.push(component);
      }
    }
  };
  for (const step of sorted) if (!index.has(step.key)) connect(step.key);

  const rank = new Map(sorted.map((s, i) => [s.key, i]));
  const componentOf = new Map<string, number>();
  components.forEach((members, c) => {
    members.sort((a, b) => rank.get(a)! - rank.get(b)!);
    for (const m of members) componentOf.set(m, c);
  });
  const needs = components.map(() => new Set<number>());
  const feeds = components.map(() => new Set<number>());
  components.forEach((members, c) => {
    for (const m of members) {
      for (const dep of edges(byKey.get(m)!)) {
        const d = componentOf.get(dep)!;
        if (d !== c) {
          needs[c].add(d);
          feeds[d].add(c);
        }
      }
    }
  });

  const ordered: PlanStep[] = [];
  const cycles: string[][] = [];
  const ready = components.map((_, c) => c).filter((c) => needs[c].size === 0);
  while (ready.length > 0) {
    ready.sort((a, b) => rank.get(components[a][0])! - rank.get(components[b][0])!);
    const c = ready.shift()!;
    const members = components[c];
    const selfLoop = members.length === 1 && edges(byKey.get(members[0])!).includes(members[0]);
    if (members.length > 1 || selfLoop) cycles.push(members);
    for (const m of members) ordered.push(byKey.get(m)!);
    for (const next of feeds[c]) {
      needs[next].delete(c);
      if (needs[next].size === 0) ready.push(next);
    }
  }
  return { ordered, cycles };
}

function followUpsOf(
  step: PlanStep,
  body: { desired: ResourceBody; current?: ResourceBody },
  target: Mapping,
): PlanFollowUp[] {
  const out: PlanFollowUp[] = [];
  if (step.kind === 'flow' && step.action === 'create' && body.desired.Type === 'CONTACT_FLOW') {
    out.push({
      code: 'phone-number',
      key: step.key,
      message: MESSAGES.phoneNumber(step.name),
    });
  }
  if (step.kind === 'queue' && !callerIdResolves(body.desired, target)) {
    out.push({
      code: 'outbound-caller-id',
      key: step.key,
      message: MESSAGES.callerId(step.name, callerIdNumber(body.desired)),
    });
  }
  return out;
}

/** What the plan tells users, kept out of line. */
const MESSAGES = {
  unbreakableCycle: (key: string, members: string[]) =>
    `${key} is on a reference cycle (${members.join(' -> ')}) that push cannot break: ` +
    'only flows, modules and queues can be created before their references exist.',
  missingPrompt: (name: string) =>
    `Prompt "${name}" is not in the instance: upload its audio there ` +
    '(push does not copy audio).',
  missingQuickConnect: (name: string) =>
    `no quick connect named "${name}" in the instance (push never creates quick connects)`,
  unresolvedPrompt: (name: string) =>
    `prompt "${name}" is not in the instance: upload it there first (push never copies audio)`,
  unassociated: (kind: string, name: string) =>
    `${kind} "${name}" is not associated with the instance: deploy and associate it, ` +
    "then pull again (check the environment's naming rule)",
  neverCreated: (kind: string, name: string) =>
    `${kind} "${name}" is not in the instance, and push never creates ${kind}s: ` +
    'create it there first, then pull again',
  phoneNumber: (name: string) =>
    `New inbound flow "${name}": point a phone number at it in the instance if it should ` +
    'take calls (push never changes phone numbers).',
  callerId: (name: string, number: string | undefined) =>
    `Queue "${name}": set its outbound caller ID number in the instance ` +
    `(the number in the branch, ${number}, is not a phone number of this instance).`,
};
