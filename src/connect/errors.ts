/**
 * SDK errors become ConnectCopyErrors here, at the edge of the Connect adapter, so users read
 * what failed (the IAM action, the instance, the endpoint) and what to do next instead of an SDK
 * class name.
 */
import { ConnectCopyError, EXIT } from '../errors';
import { operationOf, type ClientContext } from './clients';

export interface ErrorContext extends ClientContext {
  /** The instance as the user named it (alias, id or ARN). */
  instance?: string;
  /** Overrides what the clients recorded, for errors raised outside an SDK call. */
  operation?: string;
  service?: 'connect' | 'lambda';
}

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

const IAM_DOC = 'docs/iam.md';

/**
 * A ConnectCopyError for anything that came from AWS, the SDK's credential chain or the network;
 * any other error (a bug) is returned unchanged so its stack survives.
 */
export function translateError(error: unknown, context: ErrorContext = {}): Error {
  if (error instanceof ConnectCopyError) return error;
  if (!(error instanceof Error)) return new Error(String(error));

  const tagged = operationOf(error);
  const service = context.service ?? tagged?.service ?? 'connect';
  const operation = context.operation ?? tagged?.operation;
  const action = `${service}:${operation ?? '*'}`;
  const where = describeWhere(context);
  const metadata = (
    error as { $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number } }
  ).$metadata;
  const status = metadata?.httpStatusCode;
  const base = {
    action,
    awsError: error.name,
    awsMessage: error.message,
    httpStatus: status,
    requestId: metadata?.requestId,
    profile: context.profile,
    region: context.region,
    endpointUrl: context.endpointUrl,
  };
  const fail = (code: string, message: string, suggestions: string[], data = {}) =>
    new ConnectCopyError(code, message, {
      exitCode: EXIT.aws,
      data: { ...base, ...data },
      suggestions,
      cause: error,
    });

  const network = networkCode(error);
  if (network) {
    const endpoint =
      context.endpointUrl ??
      addressOf(error) ??
      `the ${service} endpoint of ${context.region ?? 'the region'}`;
    return fail(
      'AWS_UNREACHABLE',
      `Could not reach ${endpoint} (${network}) calling ${action}.`,
      [
        context.endpointUrl
          ? `check the endpoint URL (--endpoint-url, AWS_ENDPOINT_URL or "endpointUrl" in connect-copy.json); for the emulator, start it with \`connect-copy emulator\``
          : 'check your network connection and proxy settings (HTTPS_PROXY)',
      ],
      { endpointUrl: endpoint, networkError: network },
    );
  }

  if (error.name === 'CredentialsProviderError' || error.name === 'TokenProviderError') {
    const profile = context.profile;
    return fail(
      'AWS_NO_CREDENTIALS',
      `No usable AWS credentials${profile ? ` for profile ${profile}` : ''}: ${error.message}\n` +
        'connect-copy uses the standard AWS credential chain: AWS_ACCESS_KEY_ID and ' +
        'AWS_SECRET_ACCESS_KEY, then the profile named by --profile or AWS_PROFILE (or "default") ' +
        'in ~/.aws/credentials and ~/.aws/config, including SSO, then a container or instance role.',
      [
        profile
          ? `aws sso login --profile ${profile} (SSO) or aws configure --profile ${profile}`
          : 'pass --profile NAME, or set AWS_PROFILE, to use a named profile',
        `aws sts get-caller-identity${profile ? ` --profile ${profile}` : ''} shows which identity the chain finds`,
      ],
    );
  }

  if (INVALID_CREDENTIAL_NAMES.has(error.name)) {
    return fail(
      'AWS_INVALID_CREDENTIALS',
      `AWS rejected the credentials ${where} calling ${action}: ${error.message}`,
      [
        `refresh them (aws sso login${context.profile ? ` --profile ${context.profile}` : ''}) or check AWS_ACCESS_KEY_ID`,
      ],
    );
  }

  if (error.name === 'AccessDeniedException' || error.name === 'AccessDenied' || status === 403) {
    return fail(
      'AWS_ACCESS_DENIED',
      `Access denied: ${action} is not allowed ${where}. ${error.message}`,
      [
        `allow ${action} in the IAM policy of the identity ${context.profile ? `of profile ${context.profile}` : 'you use'} (${IAM_DOC} lists the policies connect-copy needs)`,
        `aws sts get-caller-identity${context.profile ? ` --profile ${context.profile}` : ''} shows which identity that is`,
      ],
    );
  }

  if (error.name === 'ResourceNotFoundException' && operation === 'DescribeInstance') {
    return instanceNotFound(context.instance ?? '(unknown)', context, error);
  }

  if (
    THROTTLING_NAMES.has(error.name) ||
    (status === 429 && error.name !== 'LimitExceededException')
  ) {
    const attempts = metadata?.attempts;
    return fail(
      'AWS_THROTTLED',
      `${action} was still throttled ${where}${attempts ? ` after ${attempts} attempts` : ''}. ` +
        'Connect quotas are per account and region, shared with every other tool using them.',
      [
        `lower the request rate for ${operation ?? 'the operation'} in connect-copy.json, e.g. "quota": { "${operation ?? 'Operation'}": { "rate": 1, "burst": 2 } }`,
        'run the command again when other scripts or pipelines on the same account are quiet',
      ],
      { attempts },
    );
  }

  if (error.name === 'LimitExceededException' || error.name === 'ServiceQuotaExceededException') {
    return fail('AWS_LIMIT_EXCEEDED', `${action} hit a Connect limit ${where}: ${error.message}`, [
      'check the instance against the Amazon Connect service quotas and request an increase in the Service Quotas console',
    ]);
  }

  if (metadata || '$fault' in error) {
    return fail(
      'AWS_ERROR',
      `${action} failed ${where}: ${error.name}: ${error.message}` +
        (status
          ? ` (HTTP ${status}${metadata?.requestId ? `, request id ${metadata.requestId}` : ''})`
          : ''),
      ['run again with --verbose (or DEBUG=connect-copy*) to see every call'],
    );
  }

  if (/region is missing/i.test(error.message)) {
    return new ConnectCopyError('AWS_NO_REGION', 'No AWS region is set.', {
      exitCode: EXIT.usage,
      data: base,
      suggestions: [
        'pass --region, set AWS_REGION, or give the environment a "region" in connect-copy.json',
      ],
      cause: error,
    });
  }

  return error;
}

/** The instance named by the user does not exist where we looked. */
export function instanceNotFound(
  instance: string,
  context: ClientContext,
  cause?: unknown,
): ConnectCopyError {
  const region = context.region ?? '(default region)';
  const profile = context.profile ?? 'default';
  return new ConnectCopyError(
    'AWS_INSTANCE_NOT_FOUND',
    `Amazon Connect instance ${instance} not found in region ${region} (profile ${profile}).`,
    {
      exitCode: EXIT.aws,
      data: {
        instance,
        region: context.region,
        profile: context.profile,
        endpointUrl: context.endpointUrl,
      },
      suggestions: [
        `aws connect list-instances --region ${region}${context.profile ? ` --profile ${context.profile}` : ''} lists the instances there`,
        'check --region (or "region" in connect-copy.json): instances are regional',
      ],
      cause,
    },
  );
}

function describeWhere(context: ErrorContext): string {
  const parts = [`in region ${context.region ?? '(default region)'}`];
  parts.push(`(profile ${context.profile ?? 'default'})`);
  return parts.join(' ');
}

/** Node reports refused connections directly, or as an AggregateError when it tried several addresses. */
function networkCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner)) {
    for (const e of inner) {
      const c = (e as { code?: unknown })?.code;
      if (typeof c === 'string' && NETWORK_CODES.has(c)) return c;
    }
  }
  if (error.name === 'TimeoutError') return 'timeout';
  return undefined;
}

function addressOf(error: Error): string | undefined {
  const { address, port } = error as { address?: unknown; port?: unknown };
  return typeof address === 'string' ? `${address}${port ? `:${port}` : ''}` : undefined;
}
