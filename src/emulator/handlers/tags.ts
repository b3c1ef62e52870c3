/** Tag, Untag and ListTagsForResource by full ARN, for the instance and every resource in it. */
import { validateTags } from '../common';
import { invalidParameter, notFound } from '../errors';
import { findResource, resolveConnectArn } from '../lookup';
import type { Tags } from '../model';
import type { RequestContext } from '../router';
import { route } from './shared';

function taggable(ctx: RequestContext): { tags: Tags; set(tags: Tags): void } {
  const arn = ctx.params.resourceArn ?? '';
  const resolved = resolveConnectArn(ctx.state, arn);
  if (!resolved) throw notFound(`Resource not found: ${arn}`);
  const { instance, kind } = resolved;
  if (kind === 'instance') return { tags: instance.Tags, set: (tags) => (instance.Tags = tags) };
  // Agent queues exist only as a view of their user; Connect tags the user instead.
  if (kind === 'agentQueue') throw invalidParameter(`Agent queues cannot be tagged: ${arn}`);
  const record = findResource(instance, kind, arn)!;
  return { tags: record.Tags, set: (tags) => (record.Tags = tags) };
}

export const tagRoutes = [
  route('POST', '/tags/{resourceArn}', 'TagResource', (ctx) => {
    const target = taggable(ctx);
    if (ctx.body.tags === undefined) throw invalidParameter('tags is required.');
    const added = validateTags(ctx.body.tags);
    target.set(validateTags({ ...target.tags, ...added }));
    return {};
  }),
  route('DELETE', '/tags/{resourceArn}', 'UntagResource', (ctx) => {
    const target = taggable(ctx);
    const keys = ctx.query.getAll('tagKeys');
    if (keys.length === 0) throw invalidParameter('tagKeys is required.');
    const tags = { ...target.tags };
    for (const key of keys) delete tags[key];
    target.set(tags);
    return {};
  }),
  route('GET', '/tags/{resourceArn}', 'ListTagsForResource', (ctx) => ({
    tags: { ...taggable(ctx).tags },
  })),
];
