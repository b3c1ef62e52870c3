/**
 * Scale check for the snapshot core: a thousand real flows (the corpus, repeated under new ids)
 * tokenized and rendered. Run with `node dist/bench/snapshot.bench.js`; prints the time taken.
 */
import { buildSnapshot } from '../src/core/snapshot';
import { DEV, rawInstance, uuid } from '../test/helpers/raw-instance';

async function main(): Promise<void> {
  const raw = rawInstance(DEV);
  const base = raw.flows;
  const arn = raw.instance.arn;
  const flows = [];
  for (let i = 0; flows.length < 1000; i++) {
    const { flow, draft } = base[i % base.length];
    const id = uuid('bench', String(i));
    flows.push({
      flow: { ...flow, Id: id, Arn: `${arn}/contact-flow/${id}`, Name: `${flow.Name} #${i}` },
      draft,
    });
  }
  raw.flows = flows;
  const bytes = flows.reduce((n, f) => n + (f.flow.Content?.length ?? 0), 0);

  const started = process.hrtime.bigint();
  const snapshot = await buildSnapshot(raw, {
    environment: 'dev',
    naming: { lambda: { prefix: DEV.lambdaPrefix, suffix: '' }, lex: { prefix: '', suffix: '' } },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `${flows.length} flows (${(bytes / 1e6).toFixed(1)} MB of content) -> ` +
      `${snapshot.files.size} files in ${ms.toFixed(0)} ms`,
  );
}

void main();
