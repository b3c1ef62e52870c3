/** `show`: one flow or module of an environment branch as a diagram. */
import {
  buildFlowGraph,
  ChangedBlock,
  compareBlocks,
  renderMermaid,
  renderSvg,
} from '../core/flow-diagram';
import { readEnvResources, resourceKey, ResourceFile } from '../core/env-files';
import { ConnectCopyError, ExitCode } from '../errors';
import { SnapshotStore } from '../store/git-store';
import { readEnvironmentBranch, resolveCompareRef } from './env-branch';

export type DiagramFormat = 'mermaid' | 'svg';

export interface ShowOptions {
  cwd: string;
  environment: string;
  /** The flow's or module's exact Name. */
  flow: string;
  format: DiagramFormat;
  /** Another environment name or a commit of the repository. */
  compare?: string;
}

export interface ShowResult {
  environment: string;
  commit: string;
  flow: { kind: 'flow' | 'module'; name: string; path: string };
  format: DiagramFormat;
  mermaid?: string;
  svg?: string;
  /** Blocks added or changed relative to `compare` (empty without it). */
  changedBlocks: ChangedBlock[];
  /** Identifiers of blocks `compare` has and this flow has not. */
  removedBlocks: string[];
  compare?: { ref: string; commit: string; found: boolean };
}

/** The flow of that Name, else the module of that Name; undefined when neither exists. */
export function findFlowFile(
  resources: Map<string, ResourceFile>,
  name: string,
): ResourceFile | undefined {
  return resources.get(resourceKey('flows', name)) ?? resources.get(resourceKey('modules', name));
}

function flowNotFound(
  environment: string,
  name: string,
  resources: Map<string, ResourceFile>,
): ConnectCopyError {
  const lower = name.toLowerCase();
  const similar = [...resources.values()]
    .filter((r) => r.kind === 'flow' || r.kind === 'module')
    .filter((r) => r.name.toLowerCase().includes(lower) || lower.includes(r.name.toLowerCase()))
    .slice(0, 5)
    .map((r) => `"${r.name}" (${r.kind})`);
  return new ConnectCopyError(
    'FLOW_NOT_FOUND',
    `No flow or module named "${name}" on env/${environment}`,
    {
      exitCode: ExitCode.usage,
      data: { environment, flow: name },
      suggestions:
        similar.length > 0
          ? [`Did you mean ${similar.join(', ')}? Names are exact and case-sensitive.`]
          : [`List the flows with: git ls-tree --name-only env/${environment} flows/ modules/`],
    },
  );
}

function contentOf(file: ResourceFile): unknown {
  return file.json?.Content;
}

export async function showFlow(options: ShowOptions): Promise<ShowResult> {
  const store = await SnapshotStore.open(options.cwd);
  const { commit, files } = await readEnvironmentBranch(store, options.environment);
  const { resources } = readEnvResources(files);
  const file = findFlowFile(resources, options.flow);
  if (!file) throw flowNotFound(options.environment, options.flow, resources);

  let changedBlocks: ChangedBlock[] = [];
  let removedBlocks: string[] = [];
  let compare: ShowResult['compare'];
  if (options.compare !== undefined) {
    const other = await resolveCompareRef(store, options.compare);
    const before = readEnvResources(await store.readBranchFiles(other.commit)).resources;
    const previous = before.get(resourceKey(file.folder, file.name));
    ({ changed: changedBlocks, removed: removedBlocks } = compareBlocks(
      contentOf(file),
      previous ? contentOf(previous) : undefined,
    ));
    compare = { ...other, found: previous !== undefined };
  }

  const graph = buildFlowGraph(contentOf(file), changedBlocks);
  const rendered =
    options.format === 'svg'
      ? { svg: renderSvg(graph, `${file.kind} ${file.name} (${options.environment})`) }
      : { mermaid: renderMermaid(graph) };
  return {
    environment: options.environment,
    commit,
    flow: { kind: file.kind === 'module' ? 'module' : 'flow', name: file.name, path: file.path },
    format: options.format,
    ...rendered,
    changedBlocks,
    removedBlocks,
    ...(compare ? { compare } : {}),
  };
}
