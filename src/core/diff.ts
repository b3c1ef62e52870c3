/**
 * What differs between two environment branches, by resource. Files carry portable tokens, so two
 * environments in sync have equal resource files and only their mapping differs; the mapping is
 * therefore left out of the comparison and only flagged. Flow content is compared block by block
 * (by Identifier) because a whole-content JSON diff is unreadable, and designer position moves are
 * only counted: they change nothing a caller hears.
 */
import {
  INTEGRATIONS_FILE,
  MAPPING_FILE,
  compare,
  isObject,
  matchesFilters,
  parseJsonObject,
  readEnvResources,
  splitResourcePath,
  type EnvFiles,
  type ResourceFile,
} from './env-files';
import { describeRef, findTokens } from './token-refs';

export type ResourceChangeKind = 'added' | 'removed' | 'changed';

export interface BlockSummary {
  identifier: string;
  /** The action Type, e.g. `UpdateContactTargetQueue`. */
  type: string;
  /** Resources the block references, read from its tokens: `queue Sales`, `lambda lookup`. */
  references: string[];
  /** `UpdateContactTargetQueue "id" -> queue Sales`. */
  label: string;
}

export interface BlockChange extends BlockSummary {
  /** What changed inside the block: `Parameters.QueueId`, `Transitions.NextAction`, `Type`. */
  fields: string[];
}

/** The difference between two flow or module contents (or drafts). */
export interface ContentDiff {
  /** `Content`, `Draft`. */
  field: string;
  blocksAdded: BlockSummary[];
  blocksRemoved: BlockSummary[];
  blocksChanged: BlockChange[];
  startAction?: { from: unknown; to: unknown };
  /** Other content fields that differ, `Version`, `Settings.InputParameters`, `Metadata.name`. */
  otherFields: string[];
  /** Blocks (and the entry point) only moved in the designer: counted, never listed. */
  layoutMoves: number;
}

export interface ResourceDiff {
  change: ResourceChangeKind;
  folder: string;
  kind: string;
  name: string;
  /** File path on each side (a file name may differ between branches for the same Name). */
  pathA?: string;
  pathB?: string;
  /** Changed fields outside the content, `Description`, `OutboundCallerConfig.OutboundFlow`. */
  fields: string[];
  /** For changed list fields (a routing profile's Queues, a queue's QuickConnects, hours' Config):
   * the items only in A (`removed`) and only in B (`added`), each as a short readable line. */
  lists: ListChange[];
  /** Per content field (`Content`, `Draft`), for flows and modules. */
  content: ContentDiff[];
}

export interface ListChange {
  field: string;
  added: string[];
  removed: string[];
}

export interface IntegrationsDiff {
  added: string[];
  removed: string[];
}

export interface EnvironmentDiff {
  /** Resources that differ, by folder then name: `added` = only in B, `removed` = only in A. */
  resources: ResourceDiff[];
  /** Whether mapping.json differs (it holds environment-specific ids, so it is not shown). */
  mappingDiffers: boolean;
  integrations: IntegrationsDiff;
  /** Files outside the known layout that differ. */
  otherFiles: string[];
  /** Files that could not be compared as resources (bad JSON, no Name), per side. */
  problems: { side: 'A' | 'B'; path: string; message: string }[];
  counts: { added: number; removed: number; changed: number; unchanged: number };
}

export interface DiffOptions {
  /** Globs on `<folder>/<name>`: only the resources they select are compared. */
  include?: readonly string[];
  exclude?: readonly string[];
}

export function diffEnvironments(
  filesA: EnvFiles,
  filesB: EnvFiles,
  options: DiffOptions = {},
): EnvironmentDiff {
  // Environments in sync share most files byte for byte: a resource file at the same path with
  // the same text is the same resource, unchanged, and need not be parsed (a thousand large flows
  // parse in seconds). Filters name resources, so with filters every file is read.
  const filtered = (options.include?.length ?? 0) > 0 || (options.exclude?.length ?? 0) > 0;
  let unchanged = 0;
  let restA: EnvFiles = filesA;
  let restB: EnvFiles = filesB;
  if (!filtered) {
    const same = [...filesA.keys()].filter(
      (p) => splitResourcePath(p) !== undefined && filesA.get(p) === filesB.get(p),
    );
    if (same.length > 0) {
      const a = new Map(filesA);
      const b = new Map(filesB);
      for (const p of same) {
        a.delete(p);
        b.delete(p);
      }
      [restA, restB, unchanged] = [a, b, same.length];
    }
  }
  const a = readEnvResources(restA);
  const b = readEnvResources(restB);
  const keep = (key: string) => matchesFilters(key, options.include, options.exclude);
  const keys = [...new Set([...a.resources.keys(), ...b.resources.keys()])].filter(keep);
  keys.sort(compare);

  const resources: ResourceDiff[] = [];
  for (const key of keys) {
    const diff = diffResource(a.resources.get(key), b.resources.get(key));
    if (diff) resources.push(diff);
    else unchanged++;
  }

  const otherFiles = [...new Set([...a.otherFiles, ...b.otherFiles])]
    .filter((p) => filesA.get(p) !== filesB.get(p))
    .sort(compare);
  const count = (c: ResourceChangeKind) => resources.filter((r) => r.change === c).length;
  return {
    resources,
    mappingDiffers: filesA.get(MAPPING_FILE) !== filesB.get(MAPPING_FILE),
    integrations: diffIntegrations(filesA.get(INTEGRATIONS_FILE), filesB.get(INTEGRATIONS_FILE)),
    otherFiles,
    problems: [
      ...a.problems.map((p) => ({ side: 'A' as const, ...p })),
      ...b.problems.map((p) => ({ side: 'B' as const, ...p })),
    ],
    counts: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      unchanged,
    },
  };
}

/** The content fields of a flow or module file that hold Flow Language JSON. */
const CONTENT_FIELDS = ['Content', 'Draft'];

/** Difference of one resource, or undefined when both sides are equal. */
export function diffResource(
  a: ResourceFile | undefined,
  b: ResourceFile | undefined,
): ResourceDiff | undefined {
  const some = (a ?? b) as ResourceFile;
  const base = { folder: some.folder, kind: some.kind, name: some.name };
  const none = { fields: [], lists: [], content: [] };
  if (!a) return { change: 'added', ...base, pathB: b?.path, ...none };
  if (!b) return { change: 'removed', ...base, pathA: a.path, ...none };
  if (a.text === b.text) return undefined;

  const ja = a.json ?? {};
  const jb = b.json ?? {};
  const fields: string[] = [];
  const lists: ListChange[] = [];
  const content: ContentDiff[] = [];
  const isFlowLike = some.kind === 'flow' || some.kind === 'module';
  for (const key of unionKeys(ja, jb)) {
    // A draft saved or published away on one side only is one change, not every block added.
    if (isFlowLike && CONTENT_FIELDS.includes(key) && isObject(ja[key]) && isObject(jb[key])) {
      const d = diffContent(key, ja[key], jb[key]);
      if (d) content.push(d);
    } else {
      changedPaths(ja[key], jb[key], key, 2, fields);
      if (Array.isArray(ja[key]) && Array.isArray(jb[key]) && !jsonEqual(ja[key], jb[key])) {
        lists.push(diffList(key, ja[key] as unknown[], jb[key] as unknown[]));
      }
    }
  }
  // Equal JSON written differently (formatting only) still counts as a change to the file.
  if (fields.length === 0 && content.length === 0 && !(a.json && b.json)) fields.push('(file)');
  if (fields.length === 0 && content.length === 0) return undefined;
  return { change: 'changed', ...base, pathA: a.path, pathB: b.path, fields, lists, content };
}

/** `queue Sales, Channel VOICE, Delay 0, Priority 1`: an item with its references named. */
function itemLabel(item: unknown): string {
  if (typeof item === 'string') return readableTokens(item);
  if (!isObject(item)) return JSON.stringify(item);
  return Object.keys(item)
    .sort(compare)
    .map((k) => {
      const v = item[k];
      if (typeof v === 'string') return v.includes('{{cc:') ? readableTokens(v) : `${k} ${v}`;
      return `${k} ${JSON.stringify(v)}`;
    })
    .join(', ');
}

/** A string with each token replaced by `<kind> <name>`. */
function readableTokens(text: string): string {
  const refs = findTokens(text);
  if (refs.length === 0) return text;
  const names = refs.map((t) => describeRef(t.ref)).filter((r): r is string => r !== undefined);
  return names.length ? names.join(', ') : text;
}

function diffList(field: string, a: unknown[], b: unknown[]): ListChange {
  const keyed = (list: unknown[]) => new Map(list.map((x) => [JSON.stringify(x), x]));
  const ka = keyed(a);
  const kb = keyed(b);
  return {
    field,
    added: [...kb].filter(([k]) => !ka.has(k)).map(([, x]) => itemLabel(x)),
    removed: [...ka].filter(([k]) => !kb.has(k)).map(([, x]) => itemLabel(x)),
  };
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
}

/**
 * Appends the paths under `path` where `a` and `b` differ, descending into objects at most `depth`
 * levels; arrays are compared whole (their order is canonical, so any difference is real).
 */
function changedPaths(a: unknown, b: unknown, path: string, depth: number, out: string[]): void {
  if (jsonEqual(a, b)) return;
  if (depth > 1 && isObject(a) && isObject(b)) {
    const before = out.length;
    for (const key of unionKeys(a, b))
      changedPaths(a[key], b[key], `${path}.${key}`, depth - 1, out);
    if (out.length > before) return;
  }
  out.push(path);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

interface Action {
  Identifier: string;
  Type?: unknown;
  [key: string]: unknown;
}

function actionsById(content: Record<string, unknown>): Map<string, Action> {
  const byId = new Map<string, Action>();
  const actions = Array.isArray(content.Actions) ? content.Actions : [];
  for (const action of actions) {
    if (isObject(action) && typeof action.Identifier === 'string') {
      byId.set(action.Identifier, action as Action);
    }
  }
  return byId;
}

export function summarizeBlock(action: Action): BlockSummary {
  const type = typeof action.Type === 'string' ? action.Type : '(no Type)';
  const references = [
    ...new Set(
      findTokens({ Parameters: action.Parameters })
        .map((t) => describeRef(t.ref))
        .filter((r): r is string => r !== undefined),
    ),
  ].sort(compare);
  const label =
    `${type} "${action.Identifier}"` + (references.length ? ` -> ${references.join(', ')}` : '');
  return { identifier: action.Identifier, type, references, label };
}

/** Designer metadata that only places blocks on the canvas. */
const LAYOUT_KEYS = new Set(['position']);

function diffContent(field: string, rawA: unknown, rawB: unknown): ContentDiff | undefined {
  const a = isObject(rawA) ? rawA : {};
  const b = isObject(rawB) ? rawB : {};
  const result: ContentDiff = {
    field,
    blocksAdded: [],
    blocksRemoved: [],
    blocksChanged: [],
    otherFields: [],
    layoutMoves: 0,
  };

  const actionsA = actionsById(a);
  const actionsB = actionsById(b);
  for (const [id, action] of actionsB) {
    if (!actionsA.has(id)) result.blocksAdded.push(summarizeBlock(action));
  }
  for (const [id, action] of actionsA) {
    const other = actionsB.get(id);
    if (!other) {
      result.blocksRemoved.push(summarizeBlock(action));
      continue;
    }
    if (jsonEqual(action, other)) continue;
    const fields: string[] = [];
    for (const key of unionKeys(action, other))
      changedPaths(action[key], other[key], key, 3, fields);
    result.blocksChanged.push({ ...summarizeBlock(other), fields });
  }
  if (!jsonEqual(a.StartAction, b.StartAction)) {
    result.startAction = { from: a.StartAction, to: b.StartAction };
  }

  for (const key of unionKeys(a, b)) {
    if (key === 'Actions' || key === 'StartAction') continue;
    if (key === 'Metadata') diffMetadata(a.Metadata, b.Metadata, result);
    else changedPaths(a[key], b[key], key, 2, result.otherFields);
  }

  const sortById = (x: BlockSummary, y: BlockSummary) => compare(x.identifier, y.identifier);
  result.blocksAdded.sort(sortById);
  result.blocksRemoved.sort(sortById);
  result.blocksChanged.sort(sortById);
  const empty =
    !result.blocksAdded.length &&
    !result.blocksRemoved.length &&
    !result.blocksChanged.length &&
    !result.startAction &&
    !result.otherFields.length &&
    !result.layoutMoves;
  return empty ? undefined : result;
}

/**
 * Designer metadata: a block whose metadata differs only in `position` is a layout move; any other
 * metadata difference (display names shown in the designer) is reported as a field.
 */
function diffMetadata(rawA: unknown, rawB: unknown, result: ContentDiff): void {
  const a = isObject(rawA) ? rawA : {};
  const b = isObject(rawB) ? rawB : {};
  for (const key of unionKeys(a, b)) {
    if (key === 'entryPointPosition') {
      if (!jsonEqual(a[key], b[key])) result.layoutMoves++;
    } else if (key === 'ActionMetadata' && isObject(a[key]) && isObject(b[key])) {
      const ma = a[key] as Record<string, unknown>;
      const mb = b[key] as Record<string, unknown>;
      for (const id of unionKeys(ma, mb)) {
        const ba = isObject(ma[id]) ? (ma[id] as Record<string, unknown>) : undefined;
        const bb = isObject(mb[id]) ? (mb[id] as Record<string, unknown>) : undefined;
        // Metadata of an added or removed block goes with the block itself.
        if (!ba || !bb || jsonEqual(ba, bb)) continue;
        let moved = false;
        let other = false;
        for (const k of unionKeys(ba, bb)) {
          if (jsonEqual(ba[k], bb[k])) continue;
          if (LAYOUT_KEYS.has(k)) moved = true;
          else other = true;
        }
        if (moved) result.layoutMoves++;
        if (other) result.otherFields.push(`Metadata.ActionMetadata[${JSON.stringify(id)}]`);
      }
    } else {
      changedPaths(a[key], b[key], `Metadata.${key}`, 1, result.otherFields);
    }
  }
}

/** integrations.json as a set of entries: each array element, prefixed by its key. */
function integrationEntries(text: string | undefined): Set<string> {
  const entries = new Set<string>();
  if (text === undefined) return entries;
  const json = parseJsonObject(text);
  if (!json) {
    entries.add(`(unreadable ${INTEGRATIONS_FILE})`);
    return entries;
  }
  for (const key of Object.keys(json)) {
    const value = json[key];
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      entries.add(`${key}: ${typeof item === 'string' ? item : JSON.stringify(item)}`);
    }
  }
  return entries;
}

function diffIntegrations(a: string | undefined, b: string | undefined): IntegrationsDiff {
  if (a === b) return { added: [], removed: [] };
  const ea = integrationEntries(a);
  const eb = integrationEntries(b);
  return {
    added: [...eb].filter((e) => !ea.has(e)).sort(compare),
    removed: [...ea].filter((e) => !eb.has(e)).sort(compare),
  };
}

export function isEmptyDiff(diff: EnvironmentDiff): boolean {
  return (
    diff.resources.length === 0 &&
    diff.integrations.added.length === 0 &&
    diff.integrations.removed.length === 0 &&
    diff.otherFiles.length === 0
  );
}

export type SideChange = 'added' | 'removed' | 'changed';

export interface StatusEntry {
  key: string;
  folder: string;
  name: string;
  /** `local`: the branch differs from what was pulled; `remote`: changed in the console since the
   * last pull; `conflict`: both, to different results (a push would refuse it unless forced). */
  state: 'local' | 'remote' | 'conflict';
  local?: SideChange;
  remote?: SideChange;
}

export interface EnvironmentStatus {
  entries: StatusEntry[];
  counts: { local: number; remote: number; conflict: number };
  /** False when no pulled files were given and a console change hid whether the branch changed. */
  exact: boolean;
}

/**
 * `status ENV`: the branch against its instance, three-way. `lastPulledFingerprints` are the
 * branch mapping's fingerprints, `remoteFingerprints` the instance's now, `remoteFiles` the
 * instance read now as canonical files. `pulledFiles` (the branch's files at its last pull) tell a
 * local edit apart from a console change when both sides moved; without them, a resource changed
 * in the console is reported as `remote` even if the branch changed it too (`exact` is false).
 */
export function diffStatus(
  branchFiles: EnvFiles,
  remoteFiles: EnvFiles,
  lastPulledFingerprints: Readonly<Record<string, string>>,
  remoteFingerprints: Readonly<Record<string, string>>,
  pulledFiles?: EnvFiles,
): EnvironmentStatus {
  const branch = readEnvResources(branchFiles).resources;
  const remote = readEnvResources(remoteFiles).resources;
  const pulled = pulledFiles ? readEnvResources(pulledFiles).resources : undefined;
  const has = (r: Readonly<Record<string, string>>, k: string) =>
    Object.prototype.hasOwnProperty.call(r, k);

  // Fingerprints cover every resource of the instance, filtered-out ones too: only resources
  // with a file on some side are the branch's business.
  const keys = new Set([...branch.keys(), ...remote.keys(), ...(pulled?.keys() ?? [])]);

  const entries: StatusEntry[] = [];
  let exact = true;
  for (const key of [...keys].sort(compare)) {
    const b = branch.get(key);
    const r = remote.get(key);
    const wasPulled = has(lastPulledFingerprints, key);
    const isRemote = has(remoteFingerprints, key) || r !== undefined;

    let remoteChange: SideChange | undefined;
    if (wasPulled && !isRemote) remoteChange = 'removed';
    else if (!wasPulled && isRemote) remoteChange = 'added';
    else if (wasPulled && lastPulledFingerprints[key] !== remoteFingerprints[key]) {
      remoteChange = 'changed';
    }

    let localChange: SideChange | undefined;
    if (pulled) {
      localChange = sideChange(pulled.get(key), b);
    } else if (!remoteChange) {
      // The instance has not moved since the pull, so it still shows what was pulled.
      localChange = sideChange(r, b);
    } else if (b?.text !== r?.text) {
      exact = false;
    }

    if (!localChange && !remoteChange) continue;
    if (localChange && remoteChange && b?.text === r?.text) continue; // same change on both sides
    const some = (b ?? r ?? pulled?.get(key)) as ResourceFile | undefined;
    const slash = key.indexOf('/');
    const entry: StatusEntry = {
      key,
      folder: some?.folder ?? key.slice(0, slash),
      name: some?.name ?? key.slice(slash + 1),
      state: localChange && remoteChange ? 'conflict' : localChange ? 'local' : 'remote',
    };
    if (localChange) entry.local = localChange;
    if (remoteChange) entry.remote = remoteChange;
    entries.push(entry);
  }
  const count = (s: StatusEntry['state']) => entries.filter((e) => e.state === s).length;
  return {
    entries,
    counts: { local: count('local'), remote: count('remote'), conflict: count('conflict') },
    exact,
  };
}

function sideChange(
  before: ResourceFile | undefined,
  after: ResourceFile | undefined,
): SideChange | undefined {
  if (!before && !after) return undefined;
  if (!before) return 'added';
  if (!after) return 'removed';
  return before.text === after.text ? undefined : 'changed';
}

export { renderDiffText, renderStatusText } from './diff-text';
