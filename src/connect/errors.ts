/**
 * SDK errors become ConnectCopyErrors here, at the edge of the Connect adapter, so users read
 * what failed (the IAM action, the instance, the endpoint) and what to do next instead of an SDK
 * class name.
 */
import { ConnectCopyError, ExitCode } from '../errors';
import { operationOf, type ClientContext } from './clients';

export interface ErrorContext extends ClientContext {
  /** The instance as the user named it (alias, id or ARN). */
  instance?: string;
  /** Overrides what the clients recorded, for errors raised outside an SDK call. */
  operation?: string;
  service?: 'connect' | 'lambda';
}

type Kind =
  | 'unreachable'
  | 'no-credentials'
  | 'invalid-credentials'
  | 'access-denied'
  | 'instance-not-found'
  | 'throttled'
  | 'limit-exceeded'
  | 'aws'
  | 'no-region';

/** What the messages below need to know about one failure. */
interface Failure {
  action: string;
  operation?: string;
  where: string;
  /** ` --profile NAME`, or nothing, to append to a suggested command. */
  profileFlag: string;
  context: ErrorContext;
  error: Error;
  /** A service error or an SDK-sent request, as opposed to a bug in our code. */
  fromSdk: boolean;
  status?: number;
  requestId?: string;
  attempts?: number;
  network?: string;
  endpoint?: string;
}

const CREDENTIAL_CHAIN =
  'connect-copy uses the standard AWS credential chain: AWS_ACCESS_KEY_ID and ' +
  'AWS_SECRET_ACCESS_KEY, then the profile named by --profile or AWS_PROFILE (or "default") in ' +
  '~/.aws/credentials and ~/.aws/config, SSO included, then a container or instance role.';

const ENDPOINT_SOURCES = '--endpoint-url, AWS_ENDPOINT_URL or "endpointUrl" in connect-copy.json';

/** Long user text, out of line: the message and the next steps for each kind of failure. */
const TEXT: Record<Kind, (f: Failure) => { message: string; suggestions: string[] }> = {
  unreachable: (f) => ({
    message: `Could not reach ${f.endpoint} (${f.network}) calling ${f.action}.`,
    suggestions: [
      f.context.endpointUrl
        ? `check the endpoint URL (${ENDPOINT_SOURCES}); is the emulator running?`
        : 'check the network connection and proxy settings (HTTPS_PROXY)',
    ],
  }),
  'no-credentials': (f) => ({
    message:
      `No usable AWS credentials` +
      (f.context.profile ? ` for profile ${f.context.profile}` : '') +
      `: ${f.error.message}\n${CREDENTIAL_CHAIN}`,
    suggestions: [
      // An endpoint override is most often the local emulator, which accepts any keys.
      ...(f.context.endpointUrl
        ? [
            `for the local emulator at ${f.context.endpointUrl}, any keys do: ` +
              'AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test',
          ]
        : []),
      f.context.profile
        ? `aws sso login${f.profileFlag} (SSO), or aws configure${f.profileFlag}`
        : 'pass --profile NAME, or set AWS_PROFILE, to use a named profile',
      `aws sts get-caller-identity${f.profileFlag} shows which identity the chain finds`,
    ],
  }),
  'invalid-credentials': (f) => ({
    message: `AWS rejected the credentials ${f.where} calling ${f.action}: ${f.error.message}`,
    suggestions: [`refresh them (aws sso login${f.profileFlag}) or check AWS_ACCESS_KEY_ID`],
  }),
  'access-denied': (f) => ({
    message: `Access denied: ${f.action} is not allowed ${f.where}. ${f.error.message}`,
    suggestions: [
      `allow ${f.action} in the identity's IAM policy (docs/iam.md lists what connect-copy needs)`,
      `aws sts get-caller-identity${f.profileFlag} shows which identity that is`,
    ],
  }),
  'instance-not-found': (f) => ({
    message: `Amazon Connect instance ${f.context.instance ?? '(unnamed)'} not found ${f.where}.`,
    suggestions: [
      `aws connect list-instances --region ${regionOf(f.context)}${f.profileFlag} lists them`,
      'check --region (or "region" in connect-copy.json): instances are regional',
    ],
  }),
  throttled: (f) => ({
    message:
      `${f.action} was still throttled ${f.where}` +
      (f.attempts ? ` after ${f.attempts} attempts` : '') +
      '. Connect quotas are per account and region, shared by every tool that uses them.',
    suggestions: [
      `lower the rate for ${f.operation ?? 'the operation'} in connect-copy.json, e.g. ` +
        `"quota": { "operations": { "${f.operation ?? 'Operation'}": { "rate": 1, "burst": 2 } } }`,
      'run the command again when other scripts on the same account are quiet',
    ],
  }),
  'limit-exceeded': (f) => ({
    message: `${f.action} hit a Connect limit ${f.where}: ${f.error.message}`,
    suggestions: ['compare the instance with the Amazon Connect service quotas'],
  }),
  aws: (f) => ({
    message:
      `${f.action} failed ${f.where}: ${f.error.name}: ${f.error.message}` +
      problemsOf(f.error) +
      (f.status ? ` (HTTP ${f.status}${f.requestId ? `, request id ${f.requestId}` : ''})` : ''),
    suggestions: ['run again with --verbose (or DEBUG=connect-copy*) to see every call'],
  }),
  'no-region': () => ({
    message: 'No AWS region is set.',
    suggestions: ['pass --region, set AWS_REGION, or give the environment a "region"'],
  }),
};

const CODES: Record<Kind, string> = {
  unreachable: 'AWS_UNREACHABLE',
  'no-credentials': 'AWS_NO_CREDENTIALS',
  'invalid-credentials': 'AWS_INVALID_CREDENTIALS',
  'access-denied': 'AWS_ACCESS_DENIED',
  'instance-not-found': 'AWS_INSTANCE_NOT_FOUND',
  throttled: 'AWS_THROTTLED',
  'limit-exceeded': 'AWS_LIMIT_EXCEEDED',
  aws: 'AWS_ERROR',
  'no-region': 'AWS_NO_REGION',
};

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'RequestLimitExceeded',
  'SlowDown',
]);

const INVALID_CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const resourceOfError = new WeakMap<object, string>();

/**
 * Marks an error with the resource (`flows/Main IVR`) whose read failed, so a persistent failure
 * on one flow names that flow rather than only the operation.
 */
export function tagResource<T>(error: T, resource: string): T {
  if (typeof error === 'object' && error !== null && !resourceOfError.has(error)) {
    resourceOfError.set(error, resource);
  }
  return error;
}

/**
 * A ConnectCopyError for anything that came from AWS, the SDK's credential chain or the network;
 * any other error (a bug) is returned unchanged so its stack survives.
 */
export function translateError(error: unknown, context: ErrorContext = {}): Error {
  if (error instanceof ConnectCopyError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const failure = describeFailure(error, context);
  const kind = classify(failure);
  return kind ? toConnectCopyError(kind, failure) : error;
}

/** The instance named by the user does not exist where the reader looked. */
export function instanceNotFound(context: ErrorContext, cause?: Error): ConnectCopyError {
  const error = cause ?? new Error(`No instance named ${context.instance} in the region.`);
  const operation = context.operation ?? 'DescribeInstance';
  const failure = describeFailure(error, { ...context, operation });
  return toConnectCopyError('instance-not-found', failure);
}

function describeFailure(error: Error, context: ErrorContext): Failure {
  const tagged = operationOf(error);
  const service = context.service ?? tagged?.service ?? 'connect';
  const operation = context.operation ?? tagged?.operation;
  const metadata = (error as { $metadata?: SdkMetadata }).$metadata;
  const network = networkCode(error);
  return {
    action: `${service}:${operation ?? '*'}`,
    operation,
    where: describeWhere(context),
    profileFlag: context.profile ? ` --profile ${context.profile}` : '',
    context,
    error,
    fromSdk: metadata !== undefined || '$fault' in error,
    status: metadata?.httpStatusCode,
    requestId: metadata?.requestId,
    attempts: metadata?.attempts,
    network,
    endpoint: network
      ? (context.endpointUrl ??
        addressOf(error) ??
        `the ${service} endpoint in ${regionOf(context)}`)
      : undefined,
  };
}

function toConnectCopyError(kind: Kind, failure: Failure): ConnectCopyError {
  const { message, suggestions } = TEXT[kind](failure);
  const { error, context } = failure;
  const resource = resourceOfError.get(error);
  return new ConnectCopyError(
    CODES[kind],
    resource ? `${message} (reading ${resource})` : message,
    {
      exitCode: kind === 'no-region' ? ExitCode.usage : ExitCode.aws,
      data: {
        action: failure.action,
        awsError: error.name,
        awsMessage: error.message,
        httpStatus: failure.status,
        requestId: failure.requestId,
        attempts: failure.attempts,
        instance: context.instance,
        ...(resource ? { resource } : {}),
        profile: context.profile,
        region: context.region,
        endpointUrl: failure.endpoint ?? context.endpointUrl,
      },
      suggestions,
      cause: error,
    },
  );
}

interface SdkMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

function classify(f: Failure): Kind | undefined {
  const name = f.error.name;
  if (f.network) return 'unreachable';
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return 'no-credentials';
  }
  if (INVALID_CREDENTIAL_NAMES.has(name)) return 'invalid-credentials';
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || f.status === 403) {
    return 'access-denied';
  }
  if (name === 'ResourceNotFoundException' && f.operation === 'DescribeInstance') {
    return 'instance-not-found';
  }
  // LimitExceededException is Connect's resource quota; the SDK retries it as throttling.
  if (name === 'LimitExceededException' || name === 'ServiceQuotaExceededException') {
    return 'limit-exceeded';
  }
  if (THROTTLING_NAMES.has(name) || f.status === 429) return 'throttled';
  if (f.fromSdk) return 'aws';
  if (/region is missing/i.test(f.error.message)) return 'no-region';
  return undefined;
}

/** Connect lists what is wrong with flow content in `problems` (modules: `Problems`). */
function problemsOf(error: Error): string {
  const { problems, Problems } = error as { problems?: unknown; Problems?: unknown };
  const list = (Array.isArray(problems) ? problems : Array.isArray(Problems) ? Problems : [])
    .map((p: { message?: unknown }) => (typeof p?.message === 'string' ? p.message : undefined))
    .filter((m): m is string => m !== undefined);
  return list.length ? ` Problems: ${list.join('; ')}.` : '';
}

function regionOf(context: ClientContext): string {
  return context.region ?? '(default region)';
}

function describeWhere(context: ErrorContext): string {
  return `in region ${regionOf(context)} (${describeIdentity(context)})`;
}

/** Without a profile the credentials may come from anywhere in the chain, not a profile. */
function describeIdentity(context: ClientContext): string {
  return context.profile ? `profile ${context.profile}` : 'default credentials';
}

/** Node reports a refused connection directly, or in an AggregateError after several addresses. */
function networkCode(error: Error): string | undefined {
  const codes = [
    error,
    ...(((error as { errors?: unknown }).errors as unknown[] | undefined) ?? []),
  ]
    .map((e) => (e as { code?: unknown })?.code)
    .filter((c): c is string => typeof c === 'string');
  const known = codes.find((c) => NETWORK_CODES.has(c));
  if (known) return known;
  return error.name === 'TimeoutError' ? 'timeout' : undefined;
}

function addressOf(error: Error): string | undefined {
  const { address, port } = error as { address?: unknown; port?: unknown };
  return typeof address === 'string' ? `${address}${port ? `:${port}` : ''}` : undefined;
}
