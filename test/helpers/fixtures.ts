import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fixturesDir } from './paths';

export interface CorpusFile {
  /** Path relative to test/fixtures/corpus, e.g. `flows/x.json`. */
  relative: string;
  path: string;
  isModule: boolean;
}

/** Every real flow and module copied from the shared corpus (see test/fixtures/corpus/MANIFEST.tsv). */
export function corpusFlowsAndModules(): CorpusFile[] {
  return (['flows', 'modules'] as const).flatMap((folder) =>
    readdirSync(fixturesDir('corpus', folder))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => ({
        relative: `${folder}/${name}`,
        path: fixturesDir('corpus', folder, name),
        isModule: folder === 'modules',
      })),
  );
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** A temporary seed folder holding copies of the given files (and an optional instance.json). */
export function seedFolder(
  files: string[],
  instanceJson?: unknown,
): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'connect-copy-seed-'));
  for (const file of files) copyFileSync(file, join(dir, basename(file)));
  if (instanceJson !== undefined) {
    writeFileSync(join(dir, 'instance.json'), JSON.stringify(instanceJson, null, 2));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Real exports that come from one repository and agree on one instance. */
export const FLOW_SETS: Record<string, string[]> = {
  'outbound-call': [
    'flows/aws-samples__sample-amazon-connect-outbound-call__OutboundCallFlow.json',
    'flows/aws-samples__sample-amazon-connect-outbound-call__OutboundCallWhisperer.json',
    'modules/aws-samples__sample-amazon-connect-outbound-call__ErrorModule.json',
    'modules/aws-samples__sample-amazon-connect-outbound-call__GetCustomerNameModule.json',
    'modules/aws-samples__sample-amazon-connect-outbound-call__GetCustomerResponseModule.json',
  ],
  'rules-engine': [
    'flows/aws-samples__amazon-connect-rules-engine__RulesEngineAgentWhisper.json',
    'flows/aws-samples__amazon-connect-rules-engine__RulesEngineCustomerQueue.json',
    'flows/aws-samples__amazon-connect-rules-engine__RulesEngineNLUMenu.json',
    'flows/aws-samples__amazon-connect-rules-engine__RulesEngineQueue.json',
  ],
  'terraform-templater': [
    'flows/sophyphile__amazon-connect-terraform-flow-templater__agent_hold.json',
  ],
  voicemail: ['flows/zhangyuezhong__amazonconnectvoicemail__Voicemail.json'],
  'crrice-defaults': [
    'flows/crrice__connect-copy__default-agent-transfer-content.json',
    'flows/crrice__connect-copy__default-customer-whisper-content.json',
    'flows/crrice__connect-copy__block-defn-content.json',
    'modules/crrice__connect-copy__default-module-content.json',
  ],
};

export const corpusPath = (relative: string) => fixturesDir('corpus', relative);
