import type { RawInstance } from '../../src/core/raw';
import type { Mapping } from '../../src/core/standin-tokens';

/** The mapping of an instance as read (stand-in for core's buildMapping until it lands). */
export function mappingOf(raw: RawInstance): Mapping {
  const entries = <T>(
    items: T[],
    name: (t: T) => string | undefined,
    id: (t: T) => string | undefined,
    arn: (t: T) => string | undefined,
  ) => Object.fromEntries(items.map((t) => [name(t) ?? '', { id: id(t), arn: arn(t) }]));
  return {
    version: 1,
    environment: 'prod',
    instance: raw.instance,
    naming: { lambda: { prefix: '', suffix: '' }, lex: { prefix: '', suffix: '' } },
    resources: {
      flow: entries(
        raw.flows,
        (f) => f.flow.Name,
        (f) => f.flow.Id,
        (f) => f.flow.Arn,
      ),
      module: entries(
        raw.modules,
        (m) => m.module.Name,
        (m) => m.module.Id,
        (m) => m.module.Arn,
      ),
      queue: entries(
        raw.queues,
        (q) => q.queue.Name,
        (q) => q.queue.QueueId,
        (q) => q.queue.QueueArn,
      ),
      hours: entries(
        raw.hours,
        (h) => h.Name,
        (h) => h.HoursOfOperationId,
        (h) => h.HoursOfOperationArn,
      ),
      prompt: entries(
        raw.prompts,
        (p) => p.Name,
        (p) => p.PromptId,
        (p) => p.PromptARN,
      ),
      'routing-profile': entries(
        raw.routingProfiles,
        (r) => r.profile.Name,
        (r) => r.profile.RoutingProfileId,
        (r) => r.profile.RoutingProfileArn,
      ),
      'quick-connect': entries(
        raw.quickConnects,
        (q) => q.Name,
        (q) => q.QuickConnectId,
        (q) => q.QuickConnectARN,
      ),
    },
    fingerprints: {},
  };
}
