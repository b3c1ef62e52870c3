/**
 * The slice of the Lambda API a Connect admin touches: functions exist so flows and associations
 * can name them. Code is stored, never run.
 */
import { createHash, randomUUID } from 'node:crypto';
import { encodeToken, validateTags } from '../common';
import { ApiError, lambdaInvalidParameter, lambdaNotFound, resourceConflict } from '../errors';
import { lambdaArn, LambdaFunctionRecord, Tags } from '../model';
import type { RequestContext } from '../router';
import { route } from './shared';

const NAME = /^[a-zA-Z0-9-_]{1,64}$/;
/** ListFunctions returns at most 50 a page whatever MaxItems asks. */
const PAGE = 50;

const key = (account: string, region: string, name: string) => `${account}:${region}:${name}`;

interface FunctionRef {
  account: string;
  region: string;
  name: string;
  qualifier?: string;
}

/**
 * `FunctionName` may be a name, `name:qualifier`, a partial ARN (`123456789012:function:name`)
 * or a full ARN, each optionally qualified; the Qualifier query member also qualifies.
 */
function parseFunctionName(ctx: RequestContext, raw: string): FunctionRef {
  const qualifierQuery = ctx.query.get('Qualifier') ?? undefined;
  const full = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(
    raw,
  );
  const partial = /^(\d{12}):function:([^:]+)(?::([^:]+))?$/.exec(raw);
  const plain = /^([^:]+)(?::([^:]+))?$/.exec(raw);
  let ref: FunctionRef;
  if (full) ref = { region: full[1], account: full[2], name: full[3], qualifier: full[4] };
  else if (partial) {
    ref = { region: ctx.region, account: partial[1], name: partial[2], qualifier: partial[3] };
  } else if (plain) {
    ref = { region: ctx.region, account: ctx.account, name: plain[1], qualifier: plain[2] };
  } else throw lambdaInvalidParameter(`FunctionName ${raw} is not a name or function ARN.`);
  if (!NAME.test(ref.name)) throw lambdaInvalidParameter(`FunctionName ${raw} is not valid.`);
  if (qualifierQuery !== undefined) {
    if (ref.qualifier !== undefined && ref.qualifier !== qualifierQuery) {
      throw lambdaInvalidParameter('The derived qualifier from the function name does not match.');
    }
    ref.qualifier = qualifierQuery;
  }
  return ref;
}

/** The function and qualifier named by the path, or Lambda's 404 naming the full ARN. */
function getFunction(ctx: RequestContext) {
  const ref = parseFunctionName(ctx, ctx.params.FunctionName ?? '');
  const arn = lambdaArn(ref.account, ref.region, ref.name);
  const fn = ctx.state.lambdaFunctions[key(ref.account, ref.region, ref.name)];
  if (!fn) throw lambdaNotFound(ref.qualifier ? `${arn}:${ref.qualifier}` : arn);
  const qualifier = ref.qualifier;
  // Only $LATEST exists (nothing is ever published), plus aliases that point at it.
  if (qualifier !== undefined && qualifier !== '$LATEST' && !fn.Aliases.includes(qualifier)) {
    throw lambdaNotFound(`${arn}:${qualifier}`);
  }
  return { fn, qualifier };
}

function configuration(fn: LambdaFunctionRecord, qualifier?: string) {
  const arn = lambdaArn(fn.Account, fn.Region, fn.FunctionName);
  return {
    FunctionName: fn.FunctionName,
    FunctionArn: qualifier ? `${arn}:${qualifier}` : arn,
    Runtime: fn.Runtime,
    Role: fn.Role,
    Handler: fn.Handler,
    CodeSize: fn.CodeSize,
    Description: fn.Description,
    Timeout: fn.Timeout,
    MemorySize: fn.MemorySize,
    LastModified: fn.LastModified,
    CodeSha256: fn.CodeSha256,
    Version: '$LATEST',
    RevisionId: fn.RevisionId,
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    TracingConfig: { Mode: 'PassThrough' },
    EphemeralStorage: { Size: 512 },
    State: 'Active',
    LastUpdateStatus: 'Successful',
  };
}

/** Lambda writes `2024-01-01T00:00:00.000+0000`, a string, unlike Connect's epoch numbers. */
function lambdaTimestamp(): string {
  return new Date().toISOString().replace('Z', '+0000');
}

function integerMember(value: unknown, member: string, min: number, max: number, fallback: number) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw lambdaInvalidParameter(`${member} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

function policyDocument(fn: LambdaFunctionRecord) {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: fn.Policy });
}

const lambdaRoute = (
  method: string,
  path: string,
  operation: string,
  handler: (ctx: RequestContext) => unknown,
) => route(method, `/2015-03-31${path}`, operation, handler, 'lambda');

export const lambdaRoutes = [
  lambdaRoute('POST', '/functions', 'CreateFunction', (ctx) => {
    const b = ctx.body;
    const name = b.FunctionName;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw lambdaInvalidParameter('FunctionName must be 1-64 letters, digits, - or _.');
    }
    if (typeof b.Role !== 'string' || !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(b.Role)) {
      throw lambdaInvalidParameter('Role must be an IAM role ARN.');
    }
    const zip = (b.Code as { ZipFile?: unknown } | undefined)?.ZipFile;
    if (typeof zip !== 'string' || zip === '') {
      throw lambdaInvalidParameter(
        'Code.ZipFile is required (S3 and image code are not emulated).',
      );
    }
    const id = key(ctx.account, ctx.region, name);
    if (ctx.state.lambdaFunctions[id]) {
      throw resourceConflict(`Function already exist: ${name}`);
    }
    const bytes = Buffer.from(zip, 'base64');
    const fn: LambdaFunctionRecord = {
      FunctionName: name,
      Account: ctx.account,
      Region: ctx.region,
      Runtime: typeof b.Runtime === 'string' ? b.Runtime : 'nodejs20.x',
      Role: b.Role,
      Handler: typeof b.Handler === 'string' ? b.Handler : 'index.handler',
      Description: typeof b.Description === 'string' ? b.Description : '',
      Timeout: integerMember(b.Timeout, 'Timeout', 1, 900, 3),
      MemorySize: integerMember(b.MemorySize, 'MemorySize', 128, 10240, 128),
      Code: zip,
      CodeSha256: createHash('sha256').update(bytes).digest('base64'),
      CodeSize: bytes.length,
      LastModified: lambdaTimestamp(),
      RevisionId: randomUUID(),
      Aliases: [],
      Tags: lambdaTags(b.Tags),
      Policy: [],
    };
    ctx.state.lambdaFunctions[id] = fn;
    ctx.status = 201;
    return configuration(fn);
  }),
  lambdaRoute('GET', '/functions/{FunctionName}', 'GetFunction', (ctx) => {
    const { fn, qualifier } = getFunction(ctx);
    const location =
      `https://awslambda-${fn.Region}-tasks.s3.${fn.Region}.amazonaws.com/snapshots/` +
      `${fn.Account}/${fn.FunctionName}-${fn.RevisionId}?X-Amz-Expires=600`;
    return {
      Configuration: configuration(
        fn,
        qualifier && qualifier !== '$LATEST' ? qualifier : undefined,
      ),
      Code: { RepositoryType: 'S3', Location: location },
      Tags: Object.keys(fn.Tags).length > 0 ? fn.Tags : undefined,
    };
  }),
  lambdaRoute('GET', '/functions', 'ListFunctions', (ctx) => {
    const mine = Object.values(ctx.state.lambdaFunctions)
      // A dummy key that names no account (`test`) sees every account's functions in the region,
      // as ListInstances does, so `aws lambda list-functions` finds seeded ones.
      .filter((f) => f.Region === ctx.region && (!ctx.keyAccount || f.Account === ctx.keyAccount))
      .sort((a, b) => (a.FunctionName < b.FunctionName ? -1 : 1));
    const maxItems = ctx.query.get('MaxItems');
    const size = Math.min(
      PAGE,
      maxItems === null ? PAGE : integerMember(Number(maxItems), 'MaxItems', 1, 10000, PAGE),
    );
    const marker = ctx.query.get('Marker');
    const start = marker ? markerOffset(marker) : 0;
    const next = start + size;
    return {
      Functions: mine.slice(start, next).map((f) => configuration(f)),
      NextMarker: next < mine.length ? encodeToken(next) : undefined,
    };
  }),
  lambdaRoute('DELETE', '/functions/{FunctionName}', 'DeleteFunction', (ctx) => {
    const { fn } = getFunction(ctx);
    delete ctx.state.lambdaFunctions[key(fn.Account, fn.Region, fn.FunctionName)];
    ctx.status = 204;
    return {};
  }),
  lambdaRoute('GET', '/functions/{FunctionName}/aliases', 'ListAliases', (ctx) => {
    const { fn } = getFunction(ctx);
    return { Aliases: fn.Aliases.map((alias) => aliasShape(fn, alias)) };
  }),
  lambdaRoute('POST', '/functions/{FunctionName}/aliases', 'CreateAlias', (ctx) => {
    const { fn } = getFunction(ctx);
    const name = ctx.body.Name;
    if (typeof name !== 'string' || !/^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/.test(name)) {
      throw lambdaInvalidParameter('Name must be letters, digits, - or _, not only digits.');
    }
    if (ctx.body.FunctionVersion !== '$LATEST') {
      // No version is ever published, so an alias can only point at $LATEST.
      throw lambdaNotFound(
        `${lambdaArn(fn.Account, fn.Region, fn.FunctionName)}:${String(ctx.body.FunctionVersion)}`,
      );
    }
    if (fn.Aliases.includes(name)) throw resourceConflict(`Alias already exists: ${name}`);
    fn.Aliases.push(name);
    ctx.status = 201;
    return aliasShape(fn, name);
  }),
  lambdaRoute('POST', '/functions/{FunctionName}/policy', 'AddPermission', (ctx) => {
    const { fn } = getFunction(ctx);
    const { StatementId, Action, Principal, SourceArn, SourceAccount } = ctx.body;
    if (
      typeof StatementId !== 'string' ||
      typeof Action !== 'string' ||
      typeof Principal !== 'string'
    ) {
      throw lambdaInvalidParameter('StatementId, Action and Principal are required.');
    }
    if (fn.Policy.some((s) => (s as { Sid?: string }).Sid === StatementId)) {
      throw resourceConflict(`The statement id (${StatementId}) provided already exists.`);
    }
    const condition: Record<string, unknown> = {};
    if (typeof SourceArn === 'string') condition.ArnLike = { 'AWS:SourceArn': SourceArn };
    if (typeof SourceAccount === 'string')
      condition.StringEquals = { 'AWS:SourceAccount': SourceAccount };
    const statement = {
      Sid: StatementId,
      Effect: 'Allow',
      Principal: Principal.includes('.') ? { Service: Principal } : { AWS: Principal },
      Action,
      Resource: lambdaArn(fn.Account, fn.Region, fn.FunctionName),
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
    fn.Policy.push(statement);
    ctx.status = 201;
    return { Statement: JSON.stringify(statement) };
  }),
  lambdaRoute('GET', '/functions/{FunctionName}/policy', 'GetPolicy', (ctx) => {
    const { fn } = getFunction(ctx);
    if (fn.Policy.length === 0) {
      throw new ApiError(
        'ResourceNotFoundException',
        404,
        'The resource you requested does not exist.',
        {
          Type: 'User',
        },
      );
    }
    return { Policy: policyDocument(fn), RevisionId: fn.RevisionId };
  }),
];

function aliasShape(fn: LambdaFunctionRecord, alias: string) {
  return {
    AliasArn: `${lambdaArn(fn.Account, fn.Region, fn.FunctionName)}:${alias}`,
    Name: alias,
    FunctionVersion: '$LATEST',
    Description: '',
    RevisionId: fn.RevisionId,
  };
}

function lambdaTags(value: unknown): Tags {
  try {
    return validateTags(value);
  } catch (error) {
    throw lambdaInvalidParameter((error as Error).message);
  }
}

function markerOffset(marker: string): number {
  try {
    const offset = (JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { o: number })
      .o;
    if (Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw lambdaInvalidParameter('Marker is not valid.');
}
