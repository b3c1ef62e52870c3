/**
 * What refers to a resource, directly and through other resources: a flow that invokes a Lambda
 * function is used by the queue whose outbound flow it is, and by the flows that transfer to it.
 * Read from the tokens of an environment branch (flow and module content and drafts, queue hours
 * and outbound flow, routing profile queues), so it needs no access to the instance.
 */
import {
  EnvFiles,
  compare,
  mappingEntry,
  parseMapping,
  readEnvResources,
  MAPPING_FILE,
} from './env-files';
import { findTokens } from './token-refs';
import { ConnectCopyError, ExitCode } from '../errors';

/** The kinds a RESOURCE argument may name: the kinds of the portable tokens. */
export const USES_KINDS = [
  'flow',
  'module',
  'queue',
  'hours',
  'prompt',
  'routing-profile',
  'lambda',
  'quick-connect',
  'agent',
  'agent-queue',
  'security-profile',
  'phone-number',
  'lex-v2-alias',
  'lex-bot',
] as const;

export interface ResourceRef {
  kind: string;
  name: string;
}

export const refKey = (ref: ResourceRef): string => `${ref.kind}:${ref.name}`;

/** `queue:Sales`, `flow:Main IVR`, `lambda:customer-lookup` (the name may hold `:`). */
export function parseResourceArgument(text: string): ResourceRef {
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : '';
  const name = colon > 0 ? text.slice(colon + 1) : '';
  if (!(USES_KINDS as readonly string[]).includes(kind) || name === '') {
    throw new ConnectCopyError(
      'BAD_RESOURCE',
      `RESOURCE "${text}" is not KIND:NAME with KIND one of ${USES_KINDS.join(', ')}`,
      {
        exitCode: ExitCode.usage,
        data: { resource: text },
        suggestions: ['For example: connect-copy uses dev queue:Sales'],
      },
    );
  }
  return { kind, name };
}

export interface Reference {
  from: ResourceRef & { path: string };
  to: ResourceRef;
  /** JSON paths inside the referring file. */
  locations: string[];
}

/** Every resource-to-resource reference of a branch, grouped per (referrer, referenced) pair. */
export function collectReferences(files: EnvFiles): Reference[] {
  const out: Reference[] = [];
  for (const file of readEnvResources(files).resources.values()) {
    if (!file.json) continue;
    const byTarget = new Map<string, Reference>();
    for (const found of findTokens(file.json)) {
      const ref = found.ref;
      if (ref.type !== 'resource') continue;
      if (ref.kind === file.kind && ref.name === file.name) continue;
      const key = `${ref.kind}:${ref.name}`;
      let entry = byTarget.get(key);
      if (!entry) {
        entry = {
          from: { kind: file.kind, name: file.name, path: file.path },
          to: { kind: ref.kind, name: ref.name },
          locations: [],
        };
        byTarget.set(key, entry);
        out.push(entry);
      }
      if (!entry.locations.includes(found.path)) entry.locations.push(found.path);
    }
  }
  return out;
}

export interface UsesEntry extends ResourceRef {
  path: string;
  /** 1 for a direct reference, 2 for a referrer of a direct referrer, and so on. */
  depth: number;
  /** The resource this one refers to on the shortest path to the target (`kind:name`). */
  via: string;
  locations: string[];
}

export interface UsesTreeNode extends ResourceRef {
  path?: string;
  locations: string[];
  /** Shown higher in the tree already (its referrers are listed there), or a cycle. */
  repeated?: boolean;
  children: UsesTreeNode[];
}

export interface UsesReport {
  resource: ResourceRef;
  /** Whether the branch has a file or a mapping entry for the resource. */
  exists: boolean;
  /** Every referrer once, nearest first, then by kind and name. */
  referrers: UsesEntry[];
  tree: UsesTreeNode;
}

function existsInBranch(files: EnvFiles, resource: ResourceRef, fileKeys: Set<string>): boolean {
  if (fileKeys.has(refKey(resource))) return true;
  const mapping = parseMapping(files.get(MAPPING_FILE), MAPPING_FILE);
  return mappingEntry(mapping, resource.kind, resource.name) !== undefined;
}

const byKindAndName = (a: ResourceRef, b: ResourceRef): number =>
  compare(a.kind, b.kind) || compare(a.name, b.name);

export function findUses(files: EnvFiles, resource: ResourceRef): UsesReport {
  const references = collectReferences(files);
  const referrersOf = new Map<string, Reference[]>();
  for (const reference of references) {
    const key = refKey(reference.to);
    referrersOf.set(key, [...(referrersOf.get(key) ?? []), reference]);
  }
  for (const list of referrersOf.values()) list.sort((a, b) => byKindAndName(a.from, b.from));

  // Breadth first, so each referrer is listed at its shortest distance from the target.
  const referrers: UsesEntry[] = [];
  const expanded = new Set<string>([refKey(resource)]);
  let frontier = [resource];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: ResourceRef[] = [];
    for (const current of frontier) {
      for (const reference of referrersOf.get(refKey(current)) ?? []) {
        const key = refKey(reference.from);
        if (expanded.has(key)) continue;
        expanded.add(key);
        const { kind, name, path } = reference.from;
        const entry = { kind, name, path, depth, via: refKey(current) };
        referrers.push({ ...entry, locations: reference.locations });
        next.push({ kind, name });
      }
    }
    frontier = next;
  }

  const placed = new Set<string>();
  const grow = (node: ResourceRef, ancestors: Set<string>): UsesTreeNode[] =>
    (referrersOf.get(refKey(node)) ?? []).map((reference) => {
      const key = refKey(reference.from);
      const { kind, name, path } = reference.from;
      const base = { kind, name, path, locations: reference.locations };
      if (ancestors.has(key) || placed.has(key)) return { ...base, repeated: true, children: [] };
      placed.add(key);
      return { ...base, children: grow(reference.from, new Set([...ancestors, key])) };
    });
  placed.add(refKey(resource));
  const tree: UsesTreeNode = {
    ...resource,
    locations: [],
    children: grow(resource, new Set([refKey(resource)])),
  };

  const fileKeys = new Set(
    [...readEnvResources(files).resources.values()].map((r) =>
      refKey({ kind: r.kind, name: r.name }),
    ),
  );
  return { resource, exists: existsInBranch(files, resource, fileKeys), referrers, tree };
}

/** The tree as text: one referrer per line, indented under what it refers to. */
export function formatUsesTree(tree: UsesTreeNode): string {
  const lines = [`${tree.kind} ${tree.name}`];
  const walk = (nodes: UsesTreeNode[], indent: string) => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      const where = node.locations.length > 0 ? `  (${node.locations.join(', ')})` : '';
      const repeated = node.repeated ? '  [see above]' : '';
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${node.kind} ${node.name}${repeated}${where}`);
      walk(node.children, indent + (last ? '   ' : '│  '));
    });
  };
  walk(tree.children, '');
  return lines.join('\n');
}
