import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyAction, CopyOptions } from '../../src/actions/copy';
import { pushEnvironment, PushOptions } from '../../src/actions/push';
import type { Json } from '../../src/core/tokens';
import type { SeedManifest } from '../../src/emulator/seed';
import type { TestEmulator } from '../helpers/emulator';
import type { TestAction } from '../helpers/flows';
import { pullFrom, SeededInstance, TestRepo } from '../helpers/repo';

/** One flow or module of a seed folder, written as a designer export would be. */
export interface FlowSpec {
  name: string;
  /** Designer type (`contactFlow`, `customerQueue`, `outboundWhisper`, ...). */
  type?: string;
  description?: string;
  module?: boolean;
  actions: TestAction[];
  /** Designer metadata per block (the emulator's seed reads Lex bot and alias names there). */
  actionMetadata?: Record<string, unknown>;
}

export function exportOf(spec: FlowSpec): Record<string, unknown> {
  return {
    Version: '2019-10-30',
    StartAction: spec.actions[0].Identifier,
    Metadata: {
      entryPointPosition: { x: 40, y: 40 },
      ActionMetadata: spec.actionMetadata ?? {},
      name: spec.name,
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(spec.module ? {} : { type: spec.type ?? 'contactFlow' }),
    },
    Actions: spec.actions,
    ...(spec.module
      ? { Settings: { InputParameters: [], OutputParameters: [], Transitions: [] } }
      : {}),
  };
}

/** Seeds one instance from flow specs plus an instance.json, through the control API. */
export async function seedSpecs(
  emu: TestEmulator,
  specs: FlowSpec[],
  manifest: SeedManifest,
): Promise<SeededInstance & { Alias: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'connect-copy-field-'));
  try {
    specs.forEach((spec, i) =>
      writeFileSync(join(dir, `${i}.json`), JSON.stringify(exportOf(spec), null, 2)),
    );
    writeFileSync(join(dir, 'instance.json'), JSON.stringify(manifest));
    return await emu.control.seed(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const credentialsFor = (account: string) => ({
  credentials: { accessKeyId: `AKIA${account}`, secretAccessKey: 'emulator-secret' },
  quota: false as const,
});

/** Sets one environment's naming rules in connect-copy.json. */
export async function setNaming(
  repo: TestRepo,
  env: string,
  naming: {
    lambda?: { prefix?: string; suffix?: string };
    lex?: { prefix?: string; suffix?: string };
  },
): Promise<void> {
  const cfg = await repo.store.readConfig();
  const current = cfg.environments[env].naming;
  cfg.environments[env].naming = {
    lambda: { ...current.lambda, ...naming.lambda },
    lex: { ...current.lex, ...naming.lex },
  };
  await repo.store.writeConfig(cfg, `naming for ${env}`);
}

/** Pulls dev and prod, sets naming rules, and pulls again so the mappings use them. */
export async function pullBoth(
  emu: TestEmulator,
  repo: TestRepo,
  dev: SeededInstance,
  prod: SeededInstance,
  naming: {
    dev?: Parameters<typeof setNaming>[2];
    prod?: Parameters<typeof setNaming>[2];
  } = {},
): Promise<void> {
  await pullFrom(emu, repo, 'dev', dev);
  await pullFrom(emu, repo, 'prod', prod);
  if (naming.dev) {
    await setNaming(repo, 'dev', naming.dev);
    await pullFrom(emu, repo, 'dev', dev, { again: true });
  }
  if (naming.prod) {
    await setNaming(repo, 'prod', naming.prod);
    await pullFrom(emu, repo, 'prod', prod, { again: true });
  }
}

export function copyAndPush(
  repo: TestRepo,
  target: SeededInstance,
  extra: Partial<CopyOptions> = {},
  push: Partial<PushOptions> = {},
) {
  return copyAction({
    cwd: repo.dir,
    from: 'dev',
    to: 'prod',
    push: true,
    ...extra,
    pushOptions: { clientOptions: credentialsFor(target.Account), ...push },
  });
}

export function push(
  repo: TestRepo,
  env: string,
  target: SeededInstance,
  extra: Partial<PushOptions> = {},
) {
  return pushEnvironment({
    cwd: repo.dir,
    environment: env,
    clientOptions: credentialsFor(target.Account),
    ...extra,
  });
}

/** The canonical file of a resource on a branch, found by the Name inside it. */
export async function fileByName(
  repo: TestRepo,
  branch: string,
  folder: string,
  name: string,
): Promise<{ path: string; body: Record<string, Json> }> {
  const files = await repo.store.readBranchFiles(branch);
  for (const [path, text] of files) {
    if (!path.startsWith(`${folder}/`)) continue;
    const body = JSON.parse(text) as Record<string, Json>;
    if (body.Name === name) return { path, body };
  }
  throw new Error(`no ${folder} file named ${name} on ${branch}`);
}

/** The id of a resource in the branch's mapping.json. */
export async function idOf(repo: TestRepo, branch: string, kind: string, name: string) {
  const mapping = JSON.parse((await repo.store.readBranchFiles(branch)).get('mapping.json')!) as {
    resources: Record<string, Record<string, { id?: string; arn?: string }>>;
  };
  const entry = mapping.resources[kind]?.[name];
  if (!entry) throw new Error(`no ${kind} ${name} in ${branch}'s mapping`);
  return entry;
}

/** Operations the emulator logged since `since` (a call sequence number). */
export async function callsSince(emu: TestEmulator, since: number) {
  return emu.control.calls(since);
}

export async function lastSeq(emu: TestEmulator): Promise<number> {
  return (await emu.control.calls()).at(-1)?.seq ?? 0;
}

export const DEV = { account: '111122223333', region: 'us-east-1' };
export const PROD = { account: '444455556666', region: 'us-east-1' };

export interface RecordingProxy {
  url: string;
  /** Every request that reached the proxy: path and JSON body (`{}` when none). */
  sent: { path: string; body: Record<string, unknown> }[];
  stop(): Promise<void>;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the emulator that records what the SDK sends and can
 * rewrite JSON answers, so a test sees the exact bytes a push puts on the wire.
 */
export async function startRecordingProxy(
  target: string,
  rewrite: (path: string, answer: Record<string, unknown>) => unknown = (_p, a) => a,
): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const sent: RecordingProxy['sent'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (req.url ?? '/').split('?')[0];
      const text = body.toString('utf8');
      sent.push({ path, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const status = answer.statusCode ?? 500;
            let out = Buffer.concat(parts).toString('utf8');
            if (status < 300 && out) {
              out = JSON.stringify(rewrite(path, JSON.parse(out) as Record<string, unknown>));
            }
            res.writeHead(status, {
              ...answer.headers,
              'content-length': String(Buffer.byteLength(out)),
            });
            res.end(out);
          });
        },
      );
      forward.end(body);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { rejection } from '../helpers/errors';
