import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import { ApiError, lambdaThrottled, throttled } from './errors';
import { EmulatorState, emptyState } from './model';
import { findInstance, RequestContext, Route, Router, Service } from './router';
import { Throttle, ThrottleSettings, defaultThrottleSettings } from './throttle';
import { Faults, isWriteOperation } from './faults';
import { PaginationQuirks } from './common';
import { allRoutes } from './handlers';
import { controlRoutes, CONTROL_PREFIX } from './control';

export interface EmulatorOptions {
  pagination: PaginationQuirks;
  /** Treat `Foo` and `foo` as the same name for uniqueness. */
  caseInsensitiveNames: boolean;
  /** Modules' State and Status as real responses show them: lower case. */
  lowerCaseModuleStatus: boolean;
  /** Describe of a never-published flow throws ContactFlowNotPublishedException. */
  notPublishedError: boolean;
  /**
   * Search results carry flow and module Content, as the API model says. Off, they leave it out,
   * as some suspect the service does, so a client's Describe fallback can be exercised.
   */
  searchReturnsContent: boolean;
  /** Publishing checks that Lambda functions and Lex bots are associated with the instance. */
  validateIntegrations: boolean;
  /** Resource quotas per instance; Connect's 2023 defaults. */
  quotas: ResourceQuotas;
}

export interface ResourceQuotas {
  flows: number;
  modules: number;
  queues: number;
  routingProfiles: number;
  hours: number;
  prompts: number;
  quickConnects: number;
  lambdaFunctions: number;
  lexBots: number;
  queuesPerRoutingProfile: number;
}

/**
 * The documented defaults are far below what a large instance holds after quota increases; the
 * emulator enforces them only when asked, with the numbers from the Connect quotas page.
 */
export const AWS_RESOURCE_QUOTAS: ResourceQuotas = {
  flows: 100,
  modules: 200,
  queues: 50,
  routingProfiles: 100,
  hours: 100,
  prompts: 500,
  quickConnects: 100,
  lambdaFunctions: 50,
  lexBots: 70,
  queuesPerRoutingProfile: 50,
};

const UNLIMITED_QUOTAS: ResourceQuotas = {
  flows: 100000,
  modules: 100000,
  queues: 100000,
  routingProfiles: 100000,
  hours: 100000,
  prompts: 100000,
  quickConnects: 100000,
  lambdaFunctions: 50,
  lexBots: 100000,
  queuesPerRoutingProfile: 50,
};

export function defaultOptions(): EmulatorOptions {
  return {
    pagination: { shortPages: 0, shuffle: false },
    caseInsensitiveNames: false,
    lowerCaseModuleStatus: true,
    notPublishedError: false,
    searchReturnsContent: true,
    validateIntegrations: false,
    quotas: { ...UNLIMITED_QUOTAS },
  };
}

export interface CallRecord {
  seq: number;
  /** Seconds on a monotonic clock, for the time between calls: not a date (wall clocks step). */
  time: number;
  service: Service | 'control';
  operation: string;
  method: string;
  path: string;
  instanceId?: string;
  account: string;
  region: string;
  status: number;
  errorCode?: string;
  /** From `amz-sdk-request: attempt=N; max=M`; 1 when the client sends none. */
  attempt: number;
  invocationId?: string;
  write: boolean;
}

export interface StartOptions {
  port?: number;
  host?: string;
  stateFile?: string;
  throttle?: boolean;
  /** Print unknown routes to stderr so a test that hits one fails loudly. */
  logUnknownRoutes?: boolean;
}

/**
 * A local Amazon Connect (and Lambda, and Lex V2 models) endpoint. The real SDK clients and the
 * AWS CLI talk to it through an endpoint override; tests drive it through the control API.
 */
export class Emulator extends EventEmitter {
  state: EmulatorState = emptyState();
  options: EmulatorOptions = defaultOptions();
  readonly throttle: Throttle;
  readonly faults = new Faults();
  readonly calls: CallRecord[] = [];
  private readonly router = new Router();
  private server?: Server;
  private seq = 0;
  url = '';

  constructor(private readonly startOptions: StartOptions = {}) {
    super();
    this.throttle = new Throttle(defaultThrottleSettings(startOptions.throttle ?? false));
    this.router.add(allRoutes);
    this.router.add(controlRoutes);
  }

  async start(): Promise<string> {
    if (this.startOptions.stateFile) await this.loadStateIfExists(this.startOptions.stateFile);
    const server = createServer((req, res) => {
      void this.handle(req, res);
    });
    // The SDK keeps sockets alive; without this, close() waits for them to time out.
    server.keepAliveTimeout = 1000;
    const host = this.startOptions.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.startOptions.port ?? 0, host, () => resolve());
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.url = `http://${host}:${port}`;
    return this.url;
  }

  /** Stops serving; saves the state file unless `save` is false (a start that failed). */
  async stop(options: { save?: boolean } = {}): Promise<void> {
    const server = this.server;
    this.server = undefined;
    // A held call would keep its connection, and close() would wait for it.
    this.faults.clear();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (this.startOptions.stateFile && options.save !== false) {
      await this.saveState(this.startOptions.stateFile);
    }
  }

  reset(): void {
    this.state = emptyState(this.state.defaultAccount);
    this.options = defaultOptions();
    this.faults.clear();
    this.calls.length = 0;
    this.throttle.configure(defaultThrottleSettings(false));
  }

  configureThrottle(settings: Partial<ThrottleSettings>): void {
    this.throttle.configure(settings);
  }

  async loadStateIfExists(file: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    this.loadState(JSON.parse(text), file);
  }

  loadState(value: unknown, source = 'state'): void {
    const state = value as EmulatorState;
    if (!state || state.version !== 1 || typeof state.instances !== 'object') {
      throw new Error(`${source} is not an emulator state file (expected "version": 1)`);
    }
    this.state = {
      ...emptyState(state.defaultAccount),
      ...state,
    };
  }

  /** Written to a temporary file first, so an interrupted save never leaves half a state. */
  async saveState(file: string): Promise<void> {
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(this.state, null, 2) + '\n');
    await rename(temp, file);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const rawPath = (req.url ?? '/').split('?')[0];
    const { account: keyAccount, region, service: scopeService } = parseAuthorization(req);
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request']))?.[1] ?? 1);
    const match = this.router.match(req.method ?? 'GET', rawPath);
    const isControl = rawPath.startsWith(CONTROL_PREFIX);
    const operation = match?.route.operation ?? 'UnknownOperation';
    const service: Service | 'control' = isControl
      ? 'control'
      : (match?.route.service ?? (scopeService === 'lambda' ? 'lambda' : 'connect'));

    let status = 200;
    let payload: unknown = {};
    let headers: Record<string, string> = {};
    let errorCode: string | undefined;
    let instanceId: string | undefined;
    let account = keyAccount ?? this.state.defaultAccount;

    try {
      const body = await readBody(req);
      if (!match) {
        if (this.startOptions.logUnknownRoutes !== false) {
          process.stderr.write(`emulator: no route for ${req.method} ${rawPath}\n`);
        }
        throw new ApiError(
          'UnknownOperationException',
          404,
          `The emulator has no operation at ${req.method} ${rawPath}`,
        );
      }
      const named = match.params.InstanceId ?? (body.InstanceId as string | undefined);
      if (typeof named === 'string') {
        instanceId = named.startsWith('arn:') ? named.slice(named.lastIndexOf('/') + 1) : named;
        // Without an account in the access key, the instance says whose bucket a call draws on.
        if (!keyAccount) account = this.state.instances[instanceId]?.Account ?? account;
      }
      if (!isControl) {
        const fault = this.faults.apply(operation);
        if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.hold) await fault.hold;
        if (fault.error) throw fault.error;
        if (!this.throttle.take(account, region, operation)) {
          throw service === 'lambda' ? lambdaThrottled() : throttled();
        }
      }
      const ctx: RequestContext = {
        operation,
        service: service === 'control' ? 'connect' : service,
        params: match.params,
        query: url.searchParams,
        body,
        account,
        keyAccount,
        region,
        emulator: this,
        state: this.state,
        status: 200,
        instance: () => findInstance(this.state, named, { region, keyAccount }),
      };
      const result = await match.route.handler(ctx);
      status = ctx.status;
      payload = result ?? {};
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError('InternalServiceException', 500, describeUnexpected(error));
      if (!(error instanceof ApiError)) {
        process.stderr.write(`emulator: ${operation} failed: ${(error as Error).stack}\n`);
      }
      status = apiError.status;
      errorCode = apiError.code;
      headers = {
        ...apiError.headers,
        'x-amzn-ErrorType': `${apiError.code}:http://internal.amazon.com/coral/com.amazonaws.${
          service === 'lambda' ? 'lambda' : 'connect'
        }/`,
      };
      payload =
        service === 'lambda'
          ? { Type: 'User', message: apiError.message, ...apiError.extra }
          : { Message: apiError.message, ...apiError.extra };
    }

    const record: CallRecord = {
      seq: ++this.seq,
      time: performance.now() / 1000,
      service,
      operation,
      method: req.method ?? 'GET',
      path: rawPath,
      instanceId,
      account,
      region,
      status,
      errorCode,
      attempt,
      invocationId: req.headers['amz-sdk-invocation-id'] as string | undefined,
      write: isWriteOperation(operation),
    };
    if (!isControl) {
      this.calls.push(record);
      this.emit('call', record);
    }

    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': requestId,
      ...headers,
    });
    res.end(text);
  }
}

function describeUnexpected(error: unknown): string {
  return `The emulator failed unexpectedly: ${(error as Error)?.message ?? String(error)}`;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 400, 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('SerializationException', 400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * The SigV4 scope names region and service (`Credential=AKID/20240101/us-east-1/connect/...`).
 * The emulator takes the account from a 12-digit run in the access key id, so tests can act as
 * several accounts with dummy keys such as `AKIA111122223333`.
 */
export function parseAuthorization(req: IncomingMessage): {
  account?: string;
  region: string;
  service?: string;
} {
  const header = String(req.headers.authorization ?? '');
  const scope = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(header);
  if (!scope) return { region: 'us-east-1' };
  const account = /(\d{12})/.exec(scope[1])?.[1];
  return { account, region: scope[2], service: scope[3] };
}

export type { Route };
