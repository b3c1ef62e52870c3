/**
 * Scale check for diff, copy and validate: a thousand real flows (the corpus, repeated under new
 * names) in two environments, one flow in ten edited on the second. Run with
 * `node dist/bench/compare.bench.js`; prints the time each verb's core takes.
 */
import { copyEnvironment } from '../src/core/copy';
import { diffEnvironments } from '../src/core/diff';
import { validateReferences } from '../src/core/validate';
import { corpusFiles, mappingFromContent } from '../test/helpers/corpus-mapping';
import {
  buildEnvFiles,
  flowResource,
  otherInstance,
  type RawResource,
} from '../test/helpers/environments';

async function time<T>(label: string, run: () => T | Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await run();
  console.log(`${label}: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
  return result;
}

async function main(): Promise<void> {
  const flows = corpusFiles().filter((f) => f.file.startsWith('flows/'));
  const resources: RawResource[] = [];
  for (let i = 0; resources.length < 1000; i++) {
    resources.push(flowResource(`Flow #${i}`, flows[i % flows.length].content));
  }
  // Every flow tokenized against one mapping: references to other instances stay literal.
  const dev = { ...mappingFromContent(flows[0].content), environment: 'dev' };
  const prod = otherInstance(dev, 'prod');
  const filesA = await buildEnvFiles(dev, resources);
  const edited = resources.map((r, i) =>
    i % 10 === 0 ? { ...r, fields: { ...r.fields, Description: 'edited' } } : r,
  );
  const filesB = await buildEnvFiles(prod, edited);
  const bytes = [...filesA.values()].reduce((n, t) => n + t.length, 0);
  console.log(`${filesA.size} files, ${(bytes / 1e6).toFixed(1)} MB per environment`);

  const diff = await time('diff', () => diffEnvironments(filesA, filesB));
  console.log(`  ${diff.counts.changed} changed, ${diff.counts.unchanged} unchanged`);
  await time('copy', () =>
    copyEnvironment({
      source: { env: 'dev', files: filesA },
      target: { env: 'prod', files: filesB },
    }),
  );
  const report = await time('validate', () => validateReferences(filesA, dev));
  console.log(`  ${report.errors} errors`);
}

void main();
