/** Terminal renderings of results; `--json` prints the result objects themselves. */
import type { PushResult } from '../actions/push';
import type { CopyResult } from '../actions/copy';

export function renderPlan(result: PushResult, verbose = false): string {
  const { plan } = result;
  const lines: string[] = [];
  const writes = plan.steps.filter((s) => s.action !== 'unchanged');
  const title = result.dryRun ? 'Plan (dry run, nothing written)' : 'Plan';
  lines.push(
    `${title} for ${result.environment}: ${plan.summary.create} to create, ` +
      `${plan.summary.update} to update, ${plan.summary.unchanged} unchanged` +
      (plan.summary.conflict ? `, ${plan.summary.conflict} in conflict` : ''),
  );
  for (const step of writes) {
    const mark = step.action === 'create' ? '+' : '~';
    const fields = step.changedFields.length ? ` (${step.changedFields.join(', ')})` : '';
    const stub = step.stub ? ' [stub first: reference cycle]' : '';
    lines.push(`  ${mark} ${step.key}${fields}${stub}`);
    if (verbose) lines.push(`      ${step.reason}`);
  }
  for (const conflict of plan.conflicts) {
    lines.push(
      `  ! ${conflict.key}: changed in the console (${conflict.changedFields.join(', ')})`,
    );
  }
  if (plan.excluded.length) lines.push(`  ${plan.excluded.length} resource(s) outside the filters`);
  return lines.join('\n');
}

export function renderFollowUps(result: PushResult): string {
  if (result.followUps.length === 0) return '';
  return ['Still to do by hand:', ...result.followUps.map((f) => `  [ ] ${f.message}`)].join('\n');
}

export function renderCopy(result: CopyResult): string {
  const changed = result.summary.resources.filter((r) => r.change !== 'unchanged');
  const at = `${result.from}@${result.source.slice(0, 7)}`;
  const lines = [
    result.dryRun
      ? `Copy ${at} to ${result.to} (dry run, nothing committed): ` +
        `${changed.length} resource(s) would change`
      : result.commit
        ? `Copied ${at} to ${result.to}: ${changed.length} resource(s) changed, ` +
          `commit ${result.commit.slice(0, 7)} on env/${result.to}`
        : `${result.to} already has ${result.from}'s resources: nothing to commit`,
  ];
  for (const r of changed) lines.push(`  ${r.change === 'added' ? '+' : '~'} ${r.key}`);
  for (const r of result.summary.renamed) lines.push(`  > ${r.folder}/${r.from} -> ${r.to}`);
  for (const m of result.summary.missingIntegrations) {
    lines.push(`  ! ${m.kind} ${m.name} is not in ${result.to} (used by ${m.usedBy.join(', ')})`);
  }
  return lines.join('\n');
}
