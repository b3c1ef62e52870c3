/**
 * Naming rules: Lambda functions and Lex bots are deployed per environment under names such as
 * `dev-lookup`; files store the portable name (`lookup`) so two environments in sync have equal
 * files. The rule is a prefix and a suffix per environment.
 */
export interface NameRule {
  prefix: string;
  suffix: string;
}

export interface NamingRules {
  lambda: NameRule;
  lex: NameRule;
}

export const NO_NAMING: NamingRules = {
  lambda: { prefix: '', suffix: '' },
  lex: { prefix: '', suffix: '' },
};

/** Portable name -> real function name in this environment (`overrides.lambda[p][env]`). */
export type LambdaOverrides = Record<string, string>;

/**
 * The real name with the rule's prefix and suffix removed, only when both match: a function that
 * does not follow the rule keeps its real name, so nothing is guessed.
 */
export function portableName(real: string, rule: NameRule): string {
  const { prefix, suffix } = rule;
  if (prefix === '' && suffix === '') return real;
  if (real.length <= prefix.length + suffix.length) return real;
  if (!real.startsWith(prefix) || !real.endsWith(suffix)) return real;
  return real.slice(prefix.length, real.length - suffix.length);
}

export function realName(portable: string, rule: NameRule): string {
  return rule.prefix + portable + rule.suffix;
}

/** An override naming this exact function wins over the rule. */
export function portableLambdaName(
  real: string,
  rules: NamingRules,
  overrides: LambdaOverrides = {},
): string {
  for (const [portable, name] of Object.entries(overrides)) if (name === real) return portable;
  return portableName(real, rules.lambda);
}

export function realLambdaName(
  portable: string,
  rules: NamingRules,
  overrides: LambdaOverrides = {},
): string {
  return Object.prototype.hasOwnProperty.call(overrides, portable)
    ? overrides[portable]
    : realName(portable, rules.lambda);
}

export interface LambdaArn {
  partition: string;
  region: string;
  account: string;
  name: string;
  /** Version or alias after the name (`live`, `3`, `$LATEST`), without the colon. */
  qualifier?: string;
}

const LAMBDA_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([\w-]{1,64})(?::([\w$-]+))?$/;

export function parseLambdaArn(arn: string): LambdaArn | undefined {
  const m = LAMBDA_ARN.exec(arn);
  if (!m) return undefined;
  const [, partition, region, account, name, qualifier] = m;
  return qualifier === undefined
    ? { partition, region, account, name }
    : { partition, region, account, name, qualifier };
}

export function lambdaArn(parts: Omit<LambdaArn, 'qualifier'>): string {
  return `arn:${parts.partition}:lambda:${parts.region}:${parts.account}:function:${parts.name}`;
}
