/**
 * `rollback ENV COMMIT`: the branch's resource files become those of an older commit, but the
 * mapping stays the current one. Ids recorded since that commit must survive: the push then updates
 * each resource in place by id, and a flow created since is known by id if it is to be pruned.
 */
import {
  MAPPING_FILE,
  RESOURCE_FOLDERS,
  compare,
  folderOfKind,
  mappingEntries,
  mappingEntry,
  moveMappingEntries,
  parseMapping,
  readEnvResources,
  resourceKey,
  type EnvFiles,
} from './env-files';
import { renderCanonical } from './canonical';
import type { Mapping, MappingEntry } from './mapping';

export interface CreatedSince {
  kind: 'flow' | 'module';
  name: string;
  /** The id in the current mapping, when the resource exists in the instance. */
  id?: string;
}

export interface RollbackResult {
  /** The new tree: the target commit's files with the current mapping.json. */
  files: Map<string, string>;
  /** Flows and modules that exist now but did not at the target commit. A push leaves them in the
   * instance; with `--prune` the caller deletes these, and only these. */
  createdSince: CreatedSince[];
  /** Other resources that exist now but not at that commit: always left in the instance. */
  otherCreatedSince: { kind: string; name: string }[];
  /** Resources renamed since that commit: the mapping entry moves back to the old name. */
  renamed: RollbackRename[];
}

export interface RollbackRename {
  kind: string;
  folder: string;
  /** The name now. */
  from: string;
  /** The name at the target commit. */
  to: string;
}

const PRUNABLE_KINDS = ['flow', 'module'] as const;

/**
 * "Exists now" is read from the current mapping (it lists every resource of the instance,
 * filtered-out ones included); "existed then" from the target commit's mapping, matched by id so
 * a resource renamed since is not taken for a new one, and from its files. Without mappings, the
 * resource files of both sides are compared by name.
 */
export async function rollbackFiles(
  currentFiles: EnvFiles,
  targetCommitFiles: EnvFiles,
): Promise<RollbackResult> {
  const files = new Map(targetCommitFiles);
  const currentMappingText = currentFiles.get(MAPPING_FILE);
  let current = parseMapping(currentMappingText, 'current branch');
  const target = parseMapping(targetCommitFiles.get(MAPPING_FILE), 'target commit');
  const targetResources = readEnvResources(targetCommitFiles).resources;

  // A resource renamed since that commit gets its old name back in the mapping, so the push
  // renames it in place by id rather than creating the old name anew.
  const renamed: RollbackRename[] = [];
  if (current && target) {
    for (const kind of FILE_KINDS) {
      const folder = folderOfKind(kind) as string;
      const thenById = idIndex(mappingEntries(target, kind));
      const nowEntries = mappingEntries(current, kind);
      for (const name of Object.keys(nowEntries).sort(compare)) {
        const id = nowEntries[name].id;
        const oldName = id === undefined ? undefined : thenById.get(id);
        if (oldName === undefined || oldName === name) continue;
        if (!targetResources.has(resourceKey(folder, oldName))) continue;
        if (nowEntries[oldName] !== undefined) continue; // the old name is taken by another one
        renamed.push({ kind, folder, from: name, to: oldName });
      }
    }
    if (renamed.length) current = moveMappingEntries(current, renamed);
  }
  if (current === undefined) files.delete(MAPPING_FILE);
  else {
    files.set(
      MAPPING_FILE,
      renamed.length ? await renderCanonical(current) : (currentMappingText as string),
    );
  }

  const createdSince: CreatedSince[] = [];
  const otherCreatedSince: RollbackResult['otherCreatedSince'] = [];
  const namesNow = current ? namesFromMapping(current) : namesFromFiles(currentFiles);
  for (const [kind, names] of namesNow) {
    const folder = folderOfKind(kind) as string;
    const idsThen = new Set(Object.values(mappingEntries(target, kind)).map((e) => e.id));
    const namesThen = new Set(Object.keys(mappingEntries(target, kind)));
    for (const name of [...names].sort(compare)) {
      const id = mappingEntry(current, kind, name)?.id;
      const existed =
        targetResources.has(resourceKey(folder, name)) ||
        namesThen.has(name) ||
        (id !== undefined && idsThen.has(id));
      if (existed) continue;
      if ((PRUNABLE_KINDS as readonly string[]).includes(kind)) {
        const entry: CreatedSince = { kind: kind as CreatedSince['kind'], name };
        if (id) entry.id = id;
        createdSince.push(entry);
      } else {
        otherCreatedSince.push({ kind, name });
      }
    }
  }
  const byKind = (x: { kind: string; name: string }, y: { kind: string; name: string }) =>
    compare(x.kind, y.kind) || compare(x.name, y.name);
  return {
    files: new Map([...files].sort(([x], [y]) => compare(x, y))),
    createdSince: createdSince.sort(byKind),
    otherCreatedSince: otherCreatedSince.sort(byKind),
    renamed,
  };
}

/** Kinds that have files on a branch; agents, Lambdas and the like are never created by a push. */
const FILE_KINDS: string[] = Object.values(RESOURCE_FOLDERS);

function idIndex(entries: Record<string, MappingEntry> | undefined): Map<string, string> {
  const byId = new Map<string, string>();
  for (const [name, entry] of Object.entries(entries ?? {})) if (entry.id) byId.set(entry.id, name);
  return byId;
}

function namesFromMapping(mapping: Mapping): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const kind of FILE_KINDS) out.set(kind, new Set(Object.keys(mappingEntries(mapping, kind))));
  return out;
}

function namesFromFiles(files: EnvFiles): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const res of readEnvResources(files).resources.values()) {
    const set = out.get(res.kind) ?? new Set<string>();
    set.add(res.name);
    out.set(res.kind, set);
  }
  return out;
}
