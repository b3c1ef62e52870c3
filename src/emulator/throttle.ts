/**
 * Connect's quotas are token buckets per account, region and API: "throttling limits are defined
 * for each API separately at the AWS account level, not for the individual instance".
 * https://docs.aws.amazon.com/connect/latest/APIReference/best-practices.html
 */

export interface BucketQuota {
  /** Tokens added per second. */
  rate: number;
  /** Bucket capacity. */
  burst: number;
}

export interface ThrottleSettings {
  enabled: boolean;
  /** Connect's default for "all other operations": 2 requests a second, burst 5. */
  default: BucketQuota;
  /** Per-operation quotas, e.g. Lambda's GetFunction at 100/s. */
  overrides: Record<string, BucketQuota>;
}

export const AWS_DEFAULT_QUOTA: BucketQuota = { rate: 2, burst: 5 };

export const AWS_OPERATION_QUOTAS: Record<string, BucketQuota> = {
  GetFunction: { rate: 100, burst: 100 },
  ListFunctions: { rate: 15, burst: 15 },
  CreateFunction: { rate: 15, burst: 15 },
};

export function defaultThrottleSettings(enabled = false): ThrottleSettings {
  return { enabled, default: { ...AWS_DEFAULT_QUOTA }, overrides: { ...AWS_OPERATION_QUOTAS } };
}

interface Bucket {
  tokens: number;
  updated: number;
}

export class Throttle {
  private readonly buckets = new Map<string, Bucket>();
  /** Answers given per bucket key, so tests can check a client stayed under the rate. */
  readonly throttledCount = new Map<string, number>();

  constructor(
    public settings: ThrottleSettings,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {}

  configure(settings: Partial<ThrottleSettings>): void {
    this.settings = {
      ...this.settings,
      ...settings,
      overrides: { ...this.settings.overrides, ...(settings.overrides ?? {}) },
    };
    this.buckets.clear();
  }

  /** Takes a token; false when the call must be answered 429. */
  take(account: string, region: string, operation: string): boolean {
    if (!this.settings.enabled) return true;
    const quota = this.settings.overrides[operation] ?? this.settings.default;
    const key = `${account}:${region}:${operation}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: quota.burst, updated: now };
    bucket.tokens = Math.min(quota.burst, bucket.tokens + (now - bucket.updated) * quota.rate);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.throttledCount.set(key, (this.throttledCount.get(key) ?? 0) + 1);
    return false;
  }
}
