/**
 * `copy A B`: A's resource files onto B's branch. Files hold portable tokens, so a copied file is
 * already right for B; what stays B's own is its mapping (ids are filled in by the push) and every
 * resource A does not have. Nothing of B's is ever removed, except the old file of a flow or module
 * that A renamed since the previous copy: that one moves to the new name, with its mapping entry,
 * so the push renames it in place by id instead of creating a second flow.
 */
import {
  INTEGRATIONS_FILE,
  MAPPING_FILE,
  compare,
  folderOfKind,
  integrationRefs,
  matchesFilters,
  mappingEntries,
  mappingEntry,
  moveMappingEntries,
  parseJsonObject,
  parseMapping,
  readEnvResources,
  resourceKey,
  type EnvFiles,
  type ResourceFile,
} from './env-files';
import { renderCanonical } from './canonical';
import { fileNamesFor } from './filenames';
import type { Mapping } from './mapping';
import { findTokens, renameTokens, type TokenRename } from './token-refs';

export interface CopyInput {
  source: { env: string; files: EnvFiles };
  target: { env: string; files: EnvFiles };
  /** Globs on `<folder>/<name>` (minimatch); everything by default. */
  include?: readonly string[];
  exclude?: readonly string[];
  /**
   * A's mapping at the source commit of the previous copy to B (see findLastCopy): with it, flows
   * and modules A renamed since then are renamed on B's side too.
   */
  previousSourceMapping?: Mapping;
}

export type CopyChange = 'added' | 'updated' | 'unchanged';

export interface CopiedResource {
  key: string;
  folder: string;
  name: string;
  change: CopyChange;
}

export interface CopyRename extends TokenRename {
  folder: string;
  /** B's file removed for the old name. */
  oldPath?: string;
}

export interface MissingReference {
  kind: string;
  name: string;
  /** `<folder>/<name>` of the copied resources that use it. */
  usedBy: string[];
}

export interface CopySummary {
  source: string;
  target: string;
  /** Every resource of A that passed the filters, sorted. */
  resources: CopiedResource[];
  renamed: CopyRename[];
  /** Renames found in A but not applied to B, with the reason. */
  renamesSkipped: (TokenRename & { reason: string })[];
  /** A's resources the include/exclude globs left out. */
  filteredOut: string[];
  /** B's files whose name changed because a copied name now shares their folder. */
  relocated: { from: string; to: string }[];
  /** Portable Lambda and Lex names the copied files use that B's mapping does not have: the
   * push stops on them until they are deployed and associated in B (or overridden). */
  missingIntegrations: MissingReference[];
  /** Other references neither in B's mapping nor created by the copy (a push stops on them). */
  missingReferences: MissingReference[];
  /** Paths of B's tree that are not in the result. */
  removedPaths: string[];
  /** Files that could not be read as resources (no Name, bad JSON, duplicate Name): A's are not
   * copied, B's are left as they are. */
  problems: { side: 'source' | 'target'; path: string; message: string }[];
}

export interface CopyResult {
  /** B's whole new tree. */
  files: Map<string, string>;
  summary: CopySummary;
}

/** Kinds whose renames follow A: the push can rename a flow or module in place by id. */
const RENAMED_KINDS = ['flow', 'module'] as const;

const INTEGRATION_KINDS = new Set(['lambda', 'lex-v2-alias', 'lex-bot']);

function idsByName(mapping: Mapping | undefined, kind: string): Map<string, string> {
  const byId = new Map<string, string>();
  const entries = mappingEntries(mapping, kind);
  for (const name of Object.keys(entries)) {
    const id = entries[name].id ?? entries[name].arn;
    if (id) byId.set(id, name);
  }
  return byId;
}

/** Flows and modules whose id kept but whose name changed between two mappings of A. */
export function findRenames(previous: Mapping, current: Mapping): TokenRename[] {
  const renames: TokenRename[] = [];
  for (const kind of RENAMED_KINDS) {
    const before = idsByName(previous, kind);
    const after = idsByName(current, kind);
    for (const [id, from] of before) {
      const to = after.get(id);
      if (to !== undefined && to !== from) renames.push({ kind, from, to });
    }
  }
  return renames.sort((a, b) => compare(a.kind + a.from, b.kind + b.from));
}

export async function copyEnvironment(input: CopyInput): Promise<CopyResult> {
  const { source, target } = input;
  const a = readEnvResources(source.files);
  const b = readEnvResources(target.files);
  const mappingA = parseMapping(source.files.get(MAPPING_FILE), `branch of ${source.env}`);
  let mappingB = parseMapping(target.files.get(MAPPING_FILE), `branch of ${target.env}`);

  const selected: ResourceFile[] = [];
  const filteredOut: string[] = [];
  for (const [key, res] of a.resources) {
    if (!isNamed(res)) continue; // reported in `problems`: a file without a Name is not copied
    if (matchesFilters(key, input.include, input.exclude)) selected.push(res);
    else filteredOut.push(key);
  }
  const selectedKeys = new Set(selected.map((r) => resourceKey(r.folder, r.name)));

  // Renames first: they decide which of B's files survive and what B's mapping calls things.
  const renamed: CopyRename[] = [];
  const renamesSkipped: CopySummary['renamesSkipped'] = [];
  if (input.previousSourceMapping && mappingA) {
    const found = findRenames(input.previousSourceMapping, mappingA);
    const renamedAway = new Set(found.map((r) => `${r.kind}:${r.from}`));
    for (const r of found) {
      const folder = folderOfKind(r.kind) as string;
      const skip = (reason: string) => renamesSkipped.push({ ...r, reason });
      const inB = (name: string) =>
        b.resources.has(resourceKey(folder, name)) ||
        mappingEntry(mappingB, r.kind, name) !== undefined;
      if (!selectedKeys.has(resourceKey(folder, r.to))) skip('the new name is not copied');
      else if (!inB(r.from)) skip(`${target.env} has no ${r.kind} named "${r.from}"`);
      else if (inB(r.to) && !renamedAway.has(`${r.kind}:${r.to}`)) {
        skip(`${target.env} already has a ${r.kind} named "${r.to}"`);
      } else {
        renamed.push({ ...r, folder, oldPath: b.resources.get(resourceKey(folder, r.from))?.path });
      }
    }
    if (mappingB && renamed.length) mappingB = moveMappingEntries(mappingB, renamed);
  }

  // B's resources, minus renamed-away ones, with tokens naming them updated; then A's on top.
  const next = new Map<string, ResourceFile>();
  const renamedKeys = new Set(renamed.map((r) => resourceKey(r.folder, r.from)));
  for (const [key, res] of b.resources) {
    if (renamedKeys.has(key)) continue;
    next.set(key, await retoken(res, renamed));
  }
  const resources: CopiedResource[] = [];
  for (const res of selected) {
    const key = resourceKey(res.folder, res.name);
    const before = b.resources.get(key);
    const change: CopyChange = !before
      ? 'added'
      : before.text === res.text
        ? 'unchanged'
        : 'updated';
    resources.push({ key, folder: res.folder, name: res.name, change });
    next.set(key, res);
  }

  const files = new Map(target.files);
  for (const res of b.resources.values()) files.delete(res.path);
  const relocated = placeFiles(next, files, b.resources);

  if (mappingB && renamed.length) {
    files.set(MAPPING_FILE, await renderCanonical(mappingB));
  }
  const integrations = await mergeIntegrations(
    source.files.get(INTEGRATIONS_FILE),
    target.files.get(INTEGRATIONS_FILE),
  );
  if (integrations !== undefined) files.set(INTEGRATIONS_FILE, integrations);

  const { missingIntegrations, missingReferences } = missingFor(
    selected,
    integrationRefs(source.files.get(INTEGRATIONS_FILE)),
    mappingB,
    next,
  );
  const removedPaths = [...target.files.keys()].filter((p) => !files.has(p)).sort(compare);
  return {
    files: new Map([...files].sort(([x], [y]) => compare(x, y))),
    summary: {
      source: source.env,
      target: target.env,
      resources,
      renamed,
      renamesSkipped,
      filteredOut,
      relocated,
      missingIntegrations,
      missingReferences,
      removedPaths,
      problems: [
        ...a.problems.map((p) => ({ side: 'source' as const, ...p })),
        ...b.problems.map((p) => ({ side: 'target' as const, ...p })),
      ],
    },
  };
}

/** The resource with tokens naming renamed resources updated (re-rendered only if changed). */
async function retoken(res: ResourceFile, renames: readonly TokenRename[]): Promise<ResourceFile> {
  if (!res.json || renames.length === 0) return res;
  const json = renameTokens(res.json, renames);
  return json === res.json ? res : { ...res, json, text: await renderCanonical(json) };
}

/**
 * Writes each resource under the file name its folder's names give it. Adding a name to a folder
 * can change an existing file's name (names differing only in case both get a hash suffix).
 */
function isNamed(res: ResourceFile): boolean {
  return typeof res.json?.Name === 'string';
}

function placeFiles(
  resources: ReadonlyMap<string, ResourceFile>,
  files: Map<string, string>,
  before: ReadonlyMap<string, ResourceFile>,
): { from: string; to: string }[] {
  const byFolder = new Map<string, ResourceFile[]>();
  for (const res of resources.values()) {
    const list = byFolder.get(res.folder) ?? [];
    list.push(res);
    byFolder.set(res.folder, list);
  }
  const relocated: { from: string; to: string }[] = [];
  for (const [folder, list] of byFolder) {
    // A file that could not be read stays where it is: its name is a guess from the file name.
    for (const res of list) if (!isNamed(res)) files.set(res.path, res.text);
    const named = list.filter(isNamed);
    const names = fileNamesFor(named.map((r) => r.name));
    for (const res of named) {
      const path = `${folder}/${names.get(res.name) as string}`;
      files.set(path, res.text);
      const old = before.get(resourceKey(folder, res.name));
      if (old && old.path !== path) relocated.push({ from: old.path, to: path });
    }
  }
  return relocated.sort((x, y) => compare(x.from, y.from));
}

/**
 * integrations.json of B with A's entries added: array members are united (B keeps its own
 * associations), other members B lacks are taken from A. Undefined when neither side has one.
 */
export async function mergeIntegrations(
  textA: string | undefined,
  textB: string | undefined,
): Promise<string | undefined> {
  if (textA === undefined) return textB;
  const a = parseJsonObject(textA);
  const b = textB === undefined ? {} : parseJsonObject(textB);
  if (!a || !b) return textB ?? textA;
  const merged: Record<string, unknown> = { ...b };
  for (const key of Object.keys(a)) {
    const va = a[key];
    const vb = b[key];
    if (Array.isArray(va) && Array.isArray(vb)) {
      const seen = new Map<string, unknown>();
      for (const item of [...vb, ...va]) seen.set(JSON.stringify(item), item);
      merged[key] = [...seen].sort(([x], [y]) => compare(x, y)).map(([, item]) => item);
    } else if (vb === undefined) {
      merged[key] = va;
    }
  }
  const text = await renderCanonical(merged);
  return textB !== undefined && text === (await renderCanonical(b)) ? textB : text;
}

function missingFor(
  copied: readonly ResourceFile[],
  integrations: readonly { kind: string; name: string }[],
  mapping: Mapping | undefined,
  result: ReadonlyMap<string, ResourceFile>,
): { missingIntegrations: MissingReference[]; missingReferences: MissingReference[] } {
  const missing = new Map<string, MissingReference>();
  const note = (kind: string, name: string, user: string) => {
    if (mappingEntry(mapping, kind, name) !== undefined) return;
    const folder = folderOfKind(kind);
    if (folder && result.has(resourceKey(folder, name))) return; // the push creates it
    const id = `${kind}:${name}`;
    const entry = missing.get(id) ?? { kind, name, usedBy: [] };
    if (!entry.usedBy.includes(user)) entry.usedBy.push(user);
    missing.set(id, entry);
  };
  for (const res of copied) {
    for (const { ref } of findTokens(res.json ?? {})) {
      if (ref.type === 'resource') note(ref.kind, ref.name, resourceKey(res.folder, res.name));
    }
  }
  for (const ref of integrations) note(ref.kind, ref.name, INTEGRATIONS_FILE);
  const all = [...missing.values()].sort((x, y) => compare(x.kind + x.name, y.kind + y.name));
  return {
    missingIntegrations: all.filter((m) => INTEGRATION_KINDS.has(m.kind)),
    missingReferences: all.filter((m) => !INTEGRATION_KINDS.has(m.kind)),
  };
}

// ---- commit messages ------------------------------------------------------------------------

const ENV = '[a-z0-9][a-z0-9-]{0,62}';
const SUBJECT = new RegExp(`^copy (${ENV})@([0-9a-f]{4,40}) to (${ENV})$`);
const TRAILER = /^Source-Commit: ([0-9a-f]{40})$/m;
const SHORT_SHA_LENGTH = 12;

/**
 * `copy dev@<short sha> to prod`, then the copied resources, then a `Source-Commit` trailer with
 * the full sha, which is what the next copy reads to find renames (a short sha can become
 * ambiguous as the repository grows).
 */
export function copyCommitMessage(
  a: string,
  shaA: string,
  b: string,
  summary?: Pick<CopySummary, 'resources' | 'renamed'>,
): string {
  const lines = [`copy ${a}@${shaA.slice(0, SHORT_SHA_LENGTH)} to ${b}`, ''];
  for (const r of summary?.renamed ?? []) {
    lines.push(`renamed ${r.folder}/${r.from} -> ${r.folder}/${r.to}`);
  }
  for (const r of summary?.resources ?? []) {
    if (r.change !== 'unchanged') lines.push(`${r.change} ${r.key}`);
  }
  if (lines.length > 2) lines.push('');
  if (/^[0-9a-f]{40}$/.test(shaA)) lines.push(`Source-Commit: ${shaA}`);
  return lines.join('\n').trimEnd() + '\n';
}

export interface ParsedCopyMessage {
  source: string;
  target: string;
  /** The full sha when the trailer is present, else the short one from the subject. */
  sha: string;
}

export function parseCopyMessage(message: string): ParsedCopyMessage | undefined {
  const subject = message.split('\n', 1)[0].trim();
  const m = SUBJECT.exec(subject);
  if (!m) return undefined;
  const full = TRAILER.exec(message)?.[1];
  const sha = full && full.startsWith(m[2]) ? full : m[2];
  return { source: m[1], target: m[3], sha };
}
