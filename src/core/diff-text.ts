/**
 * Terminal renderings of a diff and a status. Short on purpose: one line per resource, then one
 * line per changed block, capped, because a reviewer scans this before opening the files; the
 * `--json` output is the diff object itself and carries everything.
 */
import type { ContentDiff, EnvironmentDiff, EnvironmentStatus, ResourceDiff } from './diff';

export interface DiffTextOptions {
  /** One line per resource with counts (`--stat`). */
  stat?: boolean;
  /** Names shown for the two sides, `dev` and `prod`. */
  labels?: [string, string];
  /** Most blocks listed per resource before `... and N more` (default 20). */
  maxBlocks?: number;
}

const MARK = { added: '+', removed: '-', changed: '~' } as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function contentCounts(content: ContentDiff[]): string[] {
  let added = 0;
  let removed = 0;
  let changed = 0;
  let moved = 0;
  let other = 0;
  for (const c of content) {
    added += c.blocksAdded.length;
    removed += c.blocksRemoved.length;
    changed += c.blocksChanged.length;
    moved += c.layoutMoves;
    other += c.otherFields.length + (c.startAction ? 1 : 0);
  }
  const parts: string[] = [];
  if (changed) parts.push(`${changed} changed`);
  if (added) parts.push(`${added} added`);
  if (removed) parts.push(`${removed} removed`);
  const out: string[] = [];
  if (parts.length) out.push(`blocks: ${parts.join(', ')}`);
  if (other) out.push(plural(other, 'other content change'));
  if (moved) out.push(`${moved} moved in the designer`);
  return out;
}

function statLine(r: ResourceDiff): string {
  const key = `${r.folder}/${r.name}`;
  if (r.change !== 'changed') return `${MARK[r.change]} ${key} (${r.change})`;
  const parts = [...(r.fields.length ? [r.fields.join(', ')] : []), ...contentCounts(r.content)];
  return `~ ${key}: ${parts.join('; ')}`;
}

function contentLines(c: ContentDiff, maxBlocks: number): string[] {
  const lines: string[] = [];
  const prefix = c.field === 'Content' ? '' : `${c.field}: `;
  const blocks = [
    ...c.blocksChanged.map((b) => `~ ${prefix}${b.label} (${b.fields.join(', ')})`),
    ...c.blocksAdded.map((b) => `+ ${prefix}${b.label}`),
    ...c.blocksRemoved.map((b) => `- ${prefix}${b.label}`),
  ];
  lines.push(...blocks.slice(0, maxBlocks));
  if (blocks.length > maxBlocks) lines.push(`... and ${blocks.length - maxBlocks} more blocks`);
  if (c.startAction) {
    lines.push(
      `~ ${prefix}StartAction ${String(c.startAction.from)} -> ${String(c.startAction.to)}`,
    );
  }
  if (c.otherFields.length) lines.push(`~ ${prefix}${c.otherFields.join(', ')}`);
  if (c.layoutMoves)
    lines.push(`  ${prefix}${plural(c.layoutMoves, 'block')} moved in the designer`);
  return lines;
}

export function renderDiffText(diff: EnvironmentDiff, options: DiffTextOptions = {}): string {
  const [la, lb] = options.labels ?? ['A', 'B'];
  const maxBlocks = options.maxBlocks ?? 20;
  const lines: string[] = [];

  for (const r of diff.resources) {
    lines.push(statLine(r));
    if (options.stat || r.change !== 'changed') continue;
    for (const l of r.lists) {
      const items = [
        ...l.added.map((x) => `+ ${l.field}: ${x}`),
        ...l.removed.map((x) => `- ${l.field}: ${x}`),
      ];
      lines.push(...items.slice(0, maxBlocks).map((x) => '    ' + x));
      if (items.length > maxBlocks) lines.push(`    ... and ${items.length - maxBlocks} more`);
    }
    for (const c of r.content) lines.push(...contentLines(c, maxBlocks).map((l) => '    ' + l));
  }
  for (const e of diff.integrations.added) lines.push(`+ integration ${e}`);
  for (const e of diff.integrations.removed) lines.push(`- integration ${e}`);
  for (const p of diff.otherFiles) lines.push(`~ ${p}`);
  for (const p of diff.problems) {
    lines.push(`! ${p.side === 'A' ? la : lb}: ${p.path} ${p.message}`);
  }

  const { added, removed, changed } = diff.counts;
  if (added + removed + changed === 0 && lines.length === 0) {
    lines.push(`No differences between ${la} and ${lb} (outside ${'mapping.json'}).`);
  } else {
    lines.push(
      `${plural(changed, 'resource')} changed, ${added} only in ${lb}, ${removed} only in ${la}.`,
    );
  }
  if (diff.mappingDiffers)
    lines.push('mapping.json differs (environment-specific ids, not shown).');
  return lines.join('\n') + '\n';
}

export function renderStatusText(status: EnvironmentStatus, env = 'the branch'): string {
  const lines: string[] = [];
  const describe = {
    local: 'changed on the branch',
    remote: 'changed in the console',
    conflict: 'CONFLICT: changed on the branch and in the console',
  };
  const mark = { local: 'L', remote: 'R', conflict: 'C' };
  for (const e of status.entries) {
    const sides = [e.local && `branch ${e.local}`, e.remote && `console ${e.remote}`]
      .filter(Boolean)
      .join(', ');
    lines.push(`${mark[e.state]} ${e.key}: ${describe[e.state]} (${sides})`);
  }
  const { local, remote, conflict } = status.counts;
  if (status.entries.length === 0) lines.push(`${env} and its instance are in sync.`);
  else
    lines.push(`${local} changed on the branch, ${remote} in the console, ${conflict} conflicts.`);
  if (!status.exact) {
    lines.push('Some resources changed in the console may also have changed on the branch.');
  }
  return lines.join('\n') + '\n';
}
