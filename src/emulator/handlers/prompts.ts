import { newId, optionalString, requireString, validateTags } from '../common';
import { invalidParameter } from '../errors';
import { InstanceRecord, nowSeconds, PromptRecord } from '../model';
import { Family, lastModified, NAME_FIELDS, route, tagsOut } from './shared';

const prompts = new Family({ kind: 'prompt', label: 'Prompt', idParam: 'PromptId' });

/** An S3 object, or a presigned https URL such as GetPromptFile hands out (how copies work). */
const S3_URI = /^(s3:\/\/\S+\/.+|https:\/\/\S+)$/;

function s3Uri(value: string | undefined): string | undefined {
  if (value !== undefined && (value.length > 2000 || !S3_URI.test(value))) {
    throw invalidParameter(`S3Uri ${value} is not an s3://bucket/key or https URL.`);
  }
  return value;
}

function promptShape(instance: InstanceRecord, record: PromptRecord) {
  return {
    PromptARN: prompts.arn(instance, record.Id),
    PromptId: record.Id,
    Name: record.Name,
    Description: record.Description,
    Tags: tagsOut(record.Tags),
    ...lastModified(instance, record),
  };
}

const PATH = '/prompts/{InstanceId}';
const ITEM = `${PATH}/{PromptId}`;

export const promptRoutes = [
  route('PUT', PATH, 'CreatePrompt', (ctx) => {
    const instance = ctx.instance();
    const name = requireString(ctx.body, 'Name', { min: 1, max: 127 });
    const record: PromptRecord = {
      Id: newId(),
      Name: name,
      Description: optionalString(ctx.body, 'Description', { min: 1, max: 250 }),
      S3Uri: s3Uri(requireString(ctx.body, 'S3Uri', { min: 1 })),
      Tags: validateTags(ctx.body.Tags),
      LastModifiedTime: nowSeconds(),
    };
    prompts.insert(ctx, instance, record, 'prompts');
    return { PromptARN: prompts.arn(instance, record.Id), PromptId: record.Id };
  }),
  prompts.describeRoute(ITEM, 'DescribePrompt', 'Prompt', promptShape),
  prompts.listRoute('/prompts-summary/{InstanceId}', 'ListPrompts', 'PromptSummaryList', (i, r) =>
    prompts.summary(i, r),
  ),
  prompts.searchRoute(
    '/search-prompts',
    'SearchPrompts',
    'Prompts',
    100,
    { fields: NAME_FIELDS },
    promptShape,
  ),
  prompts.updateRoute(ITEM, 'UpdatePrompt', (ctx, instance, record) => {
    const uri = s3Uri(optionalString(ctx.body, 'S3Uri', { min: 1 }));
    prompts.rename(ctx, instance, record, { max: 250 });
    if (uri !== undefined) record.S3Uri = uri;
    return { PromptARN: prompts.arn(instance, record.Id), PromptId: record.Id };
  }),
  prompts.deleteRoute(ITEM, 'DeletePrompt'),
  route('GET', `${ITEM}/file`, 'GetPromptFile', (ctx) => {
    const { instance, record } = prompts.get(ctx);
    // Shaped like a presigned S3 URL; nothing is served there, CreatePrompt accepts it as S3Uri.
    const bucket = `amazon-connect-${instance.Id.slice(0, 8)}`;
    const signature = record.Id.replace(/-/g, '');
    const url =
      `https://${bucket}.s3.${instance.Region}.amazonaws.com/prompts/${record.Id}.wav` +
      `?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature=${signature}`;
    return { PromptPresignedUrl: url, ...lastModified(instance, record) };
  }),
];
