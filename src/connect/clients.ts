/**
 * SDK clients for Connect and Lambda with what a bulk reader or writer needs on top of the SDK
 * defaults: a client-side token bucket per operation at Connect's quota, retries with enough
 * attempts for a 2 requests/s API, and a per-attempt call log for `--verbose`.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LexModelsV2Client } from '@aws-sdk/client-lex-models-v2';
import { setTimeout as delay } from 'node:timers/promises';
import { TokenBucket } from 'limiter';
import { ConnectCopyError, ExitCode } from '../errors';
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  FinalizeRequestMiddleware,
  InitializeMiddleware,
  MiddlewareStack,
  RelativeMiddlewareOptions,
  RetryErrorInfo,
  RetryStrategyV2,
  RetryToken,
} from '@smithy/types';

export interface BucketQuota {
  /** Requests a second, refilled steadily. */
  rate: number;
  /** Requests that may go at once after a quiet spell. */
  burst: number;
}

export interface QuotaOptions {
  /** Every Connect operation without its own entry. */
  default?: BucketQuota;
  /** Per operation name (`SearchContactFlows`, `GetFunction`); `false` lifts the limit. */
  operations?: Record<string, BucketQuota | false>;
}

export interface ClientOptions {
  /** Falls back to AWS_REGION and the profile's region, as every AWS tool does. */
  region?: string;
  /** Falls back to AWS_PROFILE, then the default credential chain. */
  profile?: string;
  /** An endpoint override (the emulator); the SDK itself reads AWS_ENDPOINT_URL otherwise. */
  endpointUrl?: string;
  maxAttempts?: number;
  /** `false` turns the client-side limiter off and leaves pacing to the SDK's adaptive retries. */
  quota?: QuotaOptions | false;
  /** Log every attempt to stderr; also on when DEBUG matches `connect-copy*`. */
  verbose?: boolean;
  /** Where verbose lines go; stderr by default. */
  log?: (line: string) => void;
  /** Explicit credentials instead of the default chain (tests against the emulator). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** What error messages name: where the calls went and as whom. */
export interface ClientContext {
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

export interface OperationStats {
  /** HTTP attempts, retries included. */
  attempts: number;
  /** Attempts answered 429. */
  throttled: number;
  /** Time spent waiting for the client-side limiter, in ms. */
  waitedMs: number;
}

export interface Clients {
  connect: ConnectClient;
  lambda: LambdaClient;
  /** Lex V2 models: only to name the bot aliases flows call (ids differ per environment). */
  lex: LexModelsV2Client;
  context: ClientContext;
  /** Attempts per `service:Operation` since the clients were made. */
  stats(): Record<string, OperationStats>;
  close(): void;
}

/**
 * "All other operations: 2 requests per second, burst 5", per account, region and API.
 * https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html
 */
export const CONNECT_DEFAULT_QUOTA: BucketQuota = { rate: 2, burst: 5 };

/** Lambda's control plane is far more generous; GetFunction has its own 100/s quota. */
const LAMBDA_QUOTAS: Record<string, BucketQuota> = {
  default: { rate: 15, burst: 15 },
  GetFunction: { rate: 100, burst: 100 },
};

/** The SDK default of 3 attempts gives up within a second or two at 2 requests/s. */
export const DEFAULT_MAX_ATTEMPTS = 10;

type Service = 'connect' | 'lambda' | 'lex';

/** Which operation an SDK error came from; errors carry no command name of their own. */
const operationOfError = new WeakMap<object, { service: Service; operation: string }>();

export function operationOf(error: unknown): { service: Service; operation: string } | undefined {
  return typeof error === 'object' && error !== null ? operationOfError.get(error) : undefined;
}

export function createClients(options: ClientOptions = {}): Clients {
  checkQuota(options.quota);
  const profile = options.profile ?? process.env.AWS_PROFILE;
  const verbose = options.verbose ?? debugEnabled(process.env.DEBUG);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const shared = {
    ...(options.region ? { region: options.region } : {}),
    ...(profile ? { profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // The SDK's adaptive mode keeps ONE rate for the whole client: a 429 on any operation slows
    // every other operation down with it, though Connect's buckets are per operation. With our
    // per-operation limiter pacing calls, standard retries (backoff per call) are the right fit;
    // adaptive is only the fallback when that limiter is off.
    retryMode: options.quota === false ? 'adaptive' : 'standard',
    maxAttempts: options.maxAttempts ?? maxAttemptsFromEnv() ?? DEFAULT_MAX_ATTEMPTS,
  };
  const connect = new ConnectClient(shared);
  const lambda = new LambdaClient(shared);
  const lex = new LexModelsV2Client(shared);
  failFastOnQuotaErrors(connect.config);

  const limiters = new Map<string, TokenBucket | null>();
  const stats: Record<string, OperationStats> = {};
  const limiterFor = (service: Service, operation: string): TokenBucket | null => {
    const key = `${service}:${operation}`;
    if (!limiters.has(key)) {
      limiters.set(key, makeLimiter(quotaFor(options.quota, service, operation)));
    }
    return limiters.get(key) ?? null;
  };

  for (const [service, client] of [
    ['connect', connect],
    ['lambda', lambda],
    ['lex', lex],
  ] as const) {
    const stack = client.middlewareStack as unknown as MiddlewareStack<object, object>;
    stack.add(tagErrors(service), { step: 'initialize', name: 'connectCopyTagErrors' });
    stack.addRelativeTo(
      paceAndLog(service, { limiterFor, stats, verbose, log }),
      ATTEMPT_MIDDLEWARE_POSITION,
    );
  }

  return {
    connect,
    lambda,
    lex,
    context: {
      profile,
      region: options.region ?? process.env.AWS_REGION,
      endpointUrl:
        options.endpointUrl ?? process.env.AWS_ENDPOINT_URL_CONNECT ?? process.env.AWS_ENDPOINT_URL,
    },
    stats: () => structuredClone(stats),
    close: () => {
      connect.destroy();
      lambda.destroy();
      lex.destroy();
      limiters.clear();
    },
  };
}

/**
 * Inside the retry loop and before signing: every attempt, retries included, waits for a token,
 * and a long wait never leaves a stale signature (SigV4 requests expire after 5 minutes).
 */
const ATTEMPT_MIDDLEWARE_POSITION: RelativeMiddlewareOptions = {
  name: 'connectCopyPaceAndLog',
  relation: 'before',
  toMiddleware: 'httpSigningMiddleware',
};

/**
 * Connect answers a resource quota (LimitExceededException) with HTTP 429, which the SDK takes for
 * throttling and retries, up to ten times in adaptive mode; waiting never raises a quota, so such
 * a write fails at its first attempt and the push stops there (field report #13: an apply that
 * spun forever at the flow quota).
 */
const QUOTA_ERRORS = new Set(['LimitExceededException', 'ServiceQuotaExceededException']);

function failFastOnQuotaErrors(config: { retryStrategy: () => Promise<unknown> }): void {
  const defaults = config.retryStrategy;
  let inner: RetryStrategyV2 | undefined;
  const strategy = async (): Promise<RetryStrategyV2> =>
    (inner ??= (await defaults()) as RetryStrategyV2);
  const wrapper: RetryStrategyV2 & { mode?: string } = {
    mode: 'adaptive',
    acquireInitialRetryToken: async (scope: string) =>
      (await strategy()).acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: async (token: RetryToken, info: RetryErrorInfo) => {
      const name = (info.error as { name?: unknown } | undefined)?.name;
      // Rejecting here makes the SDK rethrow the service error itself, unretried.
      if (typeof name === 'string' && QUOTA_ERRORS.has(name)) throw info.error;
      return (await strategy()).refreshRetryTokenForRetry(token, info);
    },
    recordSuccess: (token: RetryToken) => inner?.recordSuccess(token),
  };
  config.retryStrategy = () => Promise.resolve(wrapper);
}

/** AWS_MAX_ATTEMPTS still wins over our default, as in every AWS tool. */
function maxAttemptsFromEnv(): number | undefined {
  const value = Number(process.env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function quotaFor(
  quota: QuotaOptions | false | undefined,
  service: Service,
  operation: string,
): BucketQuota | false {
  if (quota === false) return false;
  const own = quota?.operations?.[operation];
  if (own !== undefined) return own;
  if (service === 'lambda') return LAMBDA_QUOTAS[operation] ?? LAMBDA_QUOTAS.default;
  // Lex's model API quotas are far above Connect's; pacing it like Lambda keeps it polite.
  if (service === 'lex') return LAMBDA_QUOTAS.default;
  return quota?.default ?? CONNECT_DEFAULT_QUOTA;
}

/** A bad quota in the configuration is a usage error, reported before any call is made. */
function checkQuota(quota: QuotaOptions | false | undefined): void {
  if (!quota) return;
  const entries = [['default', quota.default] as const, ...Object.entries(quota.operations ?? {})];
  for (const [name, value] of entries) {
    if (value === undefined || value === false) continue;
    if (!(value.rate > 0) || !(value.burst >= 1)) {
      throw new ConnectCopyError(
        'INVALID_QUOTA',
        `The rate limit for ${name} needs "rate" > 0 and "burst" >= 1 ` +
          `(got ${JSON.stringify(value)}).`,
        {
          exitCode: ExitCode.usage,
          data: { operation: name, quota: value },
          suggestions: ['fix "quota" in connect-copy.json, e.g. { "rate": 2, "burst": 5 }'],
        },
      );
    }
  }
}

/**
 * Connect's own model: a bucket of `burst` tokens, refilled continuously at `rate` a second and
 * full at the start. Calls wait their turn in order; every attempt takes a token.
 */
function makeLimiter(quota: BucketQuota | false): TokenBucket | null {
  if (quota === false) return null;
  const bucket = new TokenBucket({
    bucketSize: quota.burst,
    tokensPerInterval: quota.rate,
    interval: 1000,
  });
  bucket.content = quota.burst;
  return bucket;
}

function tagErrors(service: Service): InitializeMiddleware<object, object> {
  return (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (typeof error === 'object' && error !== null && context.commandName) {
        operationOfError.set(error, {
          service,
          operation: context.commandName.replace(/Command$/, ''),
        });
      }
      throw error;
    }
  };
}

interface PaceOptions {
  limiterFor(service: Service, operation: string): TokenBucket | null;
  stats: Record<string, OperationStats>;
  verbose: boolean;
  log(line: string): void;
}

/** How long after its token a call that had to wait is sent (see paceAndLog). */
const AFTER_WAIT_MS = 25;

/** Shorter waits are the event loop's own scheduling, not the quota. */
const LOGGED_WAIT_MS = 100;

function paceAndLog(
  service: Service,
  pace: PaceOptions,
): FinalizeRequestMiddleware<object, object> {
  return (next, context) => async (args) => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    const key = `${service}:${operation}`;
    const stats = (pace.stats[key] ??= { attempts: 0, throttled: 0, waitedMs: 0 });
    const limiter = pace.limiterFor(service, operation);

    const queued = performance.now();
    if (limiter) {
      await limiter.removeTokens(1);
      // A call that waited for its token goes out a little after it: calls sent together reach
      // Connect one after another, so the last of a burst can land later than the next call
      // sent alone, before Connect's bucket has its token. The shift does not slow the pace.
      if (performance.now() - queued >= 1) await delay(AFTER_WAIT_MS);
    }
    const started = limiter ? performance.now() : queued;
    const first = stats.attempts === 0;
    stats.waitedMs += started - queued;
    stats.attempts++;

    const request = args.request as { headers?: Record<string, string> };
    const attempt = /attempt=(\d+)/.exec(request.headers?.['amz-sdk-request'] ?? '')?.[1] ?? '1';
    const report = (status: string) => {
      if (!pace.verbose) return;
      const waited = Math.round(started - queued);
      pace.log(
        `connect-copy ${key} attempt=${attempt} status=${status} ` +
          `${Math.round(performance.now() - started)}ms` +
          (waited >= LOGGED_WAIT_MS ? ` (waited ${waited}ms for the rate limiter)` : ''),
      );
    };
    try {
      const result = await next(args);
      const response = result.response as { statusCode?: number };
      report(String(response.statusCode ?? 'ok'));
      return result;
    } catch (error) {
      const status = statusOf(error);
      if (status === 429) stats.throttled++;
      report(status !== undefined ? String(status) : networkCode(error));
      throw error;
    } finally {
      if (first && limiter) lagFirstCall(limiter, started);
    }
  };
}

/** The most a first call's round trip moves an operation's bucket back (see lagFirstCall). */
const FIRST_CALL_LAG_MAX_MS = 100;

/**
 * Connect's bucket for an operation starts refilling when our first call reaches it, which is later
 * than when we took that call's token: a new connection, the first signing. Our bucket is moved
 * back by the first call's round trip (at most FIRST_CALL_LAG_MAX_MS), so it never runs ahead of
 * Connect's, and the first call that has to wait for a token is not answered 429.
 */
function lagFirstCall(limiter: TokenBucket, sentAt: number): void {
  const lag = Math.min(performance.now() - sentAt, FIRST_CALL_LAG_MAX_MS);
  limiter.drip();
  limiter.content -= (lag * limiter.tokensPerInterval) / limiter.interval;
}

function statusOf(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata;
  return metadata?.httpStatusCode;
}

function networkCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : ((error as Error)?.name ?? 'error');
}

/**
 * The `debug` package's convention: DEBUG holds comma- or space-separated patterns with `*`
 * wildcards; a leading `-` excludes.
 */
export function debugEnabled(setting: string | undefined, namespace = 'connect-copy:aws'): boolean {
  if (!setting) return false;
  let enabled = false;
  for (const pattern of setting.split(/[\s,]+/).filter(Boolean)) {
    const negate = pattern.startsWith('-');
    const body = negate ? pattern.slice(1) : pattern;
    const regex = new RegExp(
      `^${body.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
    );
    if (regex.test(namespace)) {
      if (negate) return false;
      enabled = true;
    }
  }
  return enabled;
}
