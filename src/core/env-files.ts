/**
 * An environment branch read as resources: the verbs that compare or combine branches (diff, copy,
 * rollback, validate) match resources by the exact Name stored in each file, never by file name,
 * because a file name also depends on the other names of its folder.
 */

import { resourceFilter } from './filters';
import { ConnectCopyError, ExitCode } from '../errors';
import { FOLDERS, type FileType } from './canonical';
import type { Mapping, MappingEntry } from './mapping';

/** The folders of an environment branch that hold one file per resource, and their kind. */
export const RESOURCE_FOLDERS: Readonly<Record<string, FileType>> = Object.fromEntries(
  Object.entries(FOLDERS).map(([kind, folder]) => [folder, kind as FileType]),
);

export type ResourceFolder = string;
export type FileKind = FileType;

export const MAPPING_FILE = 'mapping.json';
export const INTEGRATIONS_FILE = 'integrations.json';

/** Branch files: path inside the tree -> UTF-8 text. */
export type EnvFiles = ReadonlyMap<string, string>;

export interface ResourceFile {
  folder: ResourceFolder;
  kind: FileKind;
  /** The exact resource name (the file's `Name`, or the file stem when the file has none). */
  name: string;
  path: string;
  text: string;
  /** The parsed file; undefined when it is not a JSON object. */
  json?: Record<string, unknown>;
}

export interface EnvResources {
  /** `<folder>/<name>` -> resource, sorted by key. */
  resources: Map<string, ResourceFile>;
  /** Files that could not be read as a resource (bad JSON, missing Name, duplicate Name). */
  problems: { path: string; message: string }[];
  /** Files outside the resource folders other than the mapping and integrations. */
  otherFiles: string[];
}

export function isResourceFolder(folder: string): folder is ResourceFolder {
  return Object.prototype.hasOwnProperty.call(RESOURCE_FOLDERS, folder);
}

export function folderOfKind(kind: string): ResourceFolder | undefined {
  return Object.prototype.hasOwnProperty.call(FOLDERS, kind)
    ? FOLDERS[kind as FileType]
    : undefined;
}

export const resourceKey = (folder: string, name: string): string => `${folder}/${name}`;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Splits `flows/Main IVR.json` into its folder and file name; undefined for other layouts. */
export function splitResourcePath(
  path: string,
): { folder: ResourceFolder; file: string } | undefined {
  const slash = path.indexOf('/');
  if (slash <= 0 || path.indexOf('/', slash + 1) !== -1) return undefined;
  const folder = path.slice(0, slash);
  const file = path.slice(slash + 1);
  if (!isResourceFolder(folder) || !file.endsWith('.json')) return undefined;
  return { folder, file };
}

/**
 * Reads every resource file of a branch. A file that does not parse still counts as a resource
 * (named after its file), so a diff shows it rather than silently dropping it.
 */
export function readEnvResources(files: EnvFiles): EnvResources {
  const resources = new Map<string, ResourceFile>();
  const problems: EnvResources['problems'] = [];
  const otherFiles: string[] = [];

  for (const path of [...files.keys()].sort()) {
    const text = files.get(path) as string;
    const split = splitResourcePath(path);
    if (!split) {
      if (path !== MAPPING_FILE && path !== INTEGRATIONS_FILE) otherFiles.push(path);
      continue;
    }
    const json = parseJsonObject(text);
    let name = json && typeof json.Name === 'string' ? json.Name : undefined;
    if (json === undefined) problems.push({ path, message: 'is not a JSON object' });
    else if (name === undefined) problems.push({ path, message: 'has no "Name" string' });
    name ??= split.file.slice(0, -'.json'.length);

    const key = resourceKey(split.folder, name);
    const previous = resources.get(key);
    if (previous) {
      problems.push({
        path,
        message: `has the same Name as ${previous.path} ("${name}"); only ${previous.path} is used`,
      });
      continue;
    }
    const kind = RESOURCE_FOLDERS[split.folder];
    resources.set(key, { folder: split.folder, kind, name, path, text, json });
  }
  return {
    resources: new Map([...resources].sort(([a], [b]) => compare(a, b))),
    problems,
    otherFiles,
  };
}

/** Code-unit order, so results do not depend on the locale of the machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A mapping's entries of one kind, by name (kinds arrive as strings read from tokens). */
export function mappingEntries(
  mapping: Mapping | undefined,
  kind: string,
): Record<string, MappingEntry> {
  const resources = mapping?.resources as Record<string, Record<string, MappingEntry>> | undefined;
  return resources?.[kind] ?? {};
}

export function mappingEntry(
  mapping: Mapping | undefined,
  kind: string,
  name: string,
): MappingEntry | undefined {
  const entries = mappingEntries(mapping, kind);
  return Object.prototype.hasOwnProperty.call(entries, name) ? entries[name] : undefined;
}

export interface MappingMove {
  kind: string;
  folder: string;
  from: string;
  to: string;
}

/**
 * The mapping with each moved entry (and its fingerprint, when the mapping carries them) under its
 * new name. All moves apply at once, so two resources swapping names keep their own ids.
 */
export function moveMappingEntries(mapping: Mapping, moves: readonly MappingMove[]): Mapping {
  const resources = { ...(mapping.resources as Record<string, Record<string, MappingEntry>>) };
  const entries = new Map<MappingMove, MappingEntry | undefined>();
  for (const m of moves) {
    const kindEntries = { ...(resources[m.kind] ?? {}) };
    entries.set(m, kindEntries[m.from]);
    delete kindEntries[m.from];
    resources[m.kind] = kindEntries;
  }
  for (const m of moves) {
    const entry = entries.get(m);
    if (entry) resources[m.kind] = { ...resources[m.kind], [m.to]: entry };
  }
  const moved: Mapping = { ...mapping, resources: resources as Mapping['resources'] };
  // Pull keeps fingerprints out of mapping.json (in a git note); never add an empty member.
  if (mapping.fingerprints !== undefined) {
    moved.fingerprints = moveFingerprints(mapping.fingerprints, moves);
  }
  return moved;
}

/**
 * Fingerprints (`<folder>/<name>` -> hash) with the moved resources under their new keys, so the
 * conflict check of the next push still finds what was last pulled for a renamed resource.
 */
export function moveFingerprints(
  fingerprints: Readonly<Record<string, string>>,
  moves: readonly MappingMove[],
): Record<string, string> {
  const next = { ...fingerprints };
  const taken = moves.map((m) => next[resourceKey(m.folder, m.from)]);
  for (const m of moves) delete next[resourceKey(m.folder, m.from)];
  moves.forEach((m, i) => {
    if (taken[i] !== undefined) next[resourceKey(m.folder, m.to)] = taken[i];
  });
  return next;
}

/** A branch's mapping.json; undefined when the branch has none (never pulled). */
export function parseMapping(text: string | undefined, where: string): Mapping | undefined {
  if (text === undefined) return undefined;
  const json = parseJsonObject(text);
  if (!json || !isObject(json.resources) || !isObject(json.instance)) {
    throw new ConnectCopyError(
      'INVALID_MAPPING',
      `${MAPPING_FILE} of ${where} is not a connect-copy mapping (not JSON, or no "instance" and ` +
        '"resources"); it is written by pull and should not be edited by hand.',
      {
        exitCode: ExitCode.repositoryState,
        data: { file: MAPPING_FILE, where },
        suggestions: [`git checkout -- ${MAPPING_FILE}`, 'connect-copy pull <env>'],
      },
    );
  }
  return json as unknown as Mapping;
}

/**
 * integrations.json as the mapping kinds its entries name: the push associates each with the
 * instance, so each must exist there. Lambda entries may carry a qualifier (`lookup:live`).
 */
export function integrationRefs(
  text: string | undefined,
): { kind: string; name: string; path: string }[] {
  const json = text === undefined ? undefined : parseJsonObject(text);
  if (!json) return [];
  const kinds: Record<string, string> = {
    LambdaFunctions: 'lambda',
    LexBots: 'lex-bot',
    LexV2Aliases: 'lex-v2-alias',
  };
  const refs: { kind: string; name: string; path: string }[] = [];
  for (const [key, kind] of Object.entries(kinds)) {
    const list = json[key];
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, i) => {
      if (typeof item !== 'string') return;
      const name = kind === 'lambda' ? (/^[A-Za-z0-9_-]+/.exec(item)?.[0] ?? item) : item;
      refs.push({ kind, name, path: `$.${key}[${i}]` });
    });
  }
  return refs;
}

/** Include and exclude patterns on `<folder>/<name>`, matched as filters.ts explains. */
export function matchesFilters(
  key: string,
  include: readonly string[] = [],
  exclude: readonly string[] = [],
): boolean {
  const slash = key.indexOf('/');
  return resourceFilter(include, exclude)(key.slice(0, slash), key.slice(slash + 1));
}
