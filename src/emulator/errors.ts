/**
 * Errors the emulator answers with. The SDK picks the class from `x-amzn-ErrorType` and copies
 * modelled members from the body by exact name, so `extra` must use the model's casing
 * (`problems` for flows, `Problems` for modules).
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (message: string) =>
  new ApiError('ResourceNotFoundException', 404, message);
export const invalidParameter = (message: string) =>
  new ApiError('InvalidParameterException', 400, message);
export const invalidRequest = (message: string, reason?: unknown) =>
  new ApiError(
    'InvalidRequestException',
    400,
    message,
    reason === undefined ? {} : { Reason: reason },
  );
export const duplicate = (message: string) =>
  new ApiError('DuplicateResourceException', 409, message);
export const resourceConflict = (message: string) =>
  new ApiError('ResourceConflictException', 409, message);
export const resourceInUse = (message: string, resourceType: string, resourceId: string) =>
  new ApiError('ResourceInUseException', 409, message, {
    ResourceType: resourceType,
    ResourceId: resourceId,
  });
export const limitExceeded = (message: string) =>
  new ApiError('LimitExceededException', 429, message);
export const serviceQuotaExceeded = (message: string) =>
  new ApiError('ServiceQuotaExceededException', 402, message);
export const throttled = () => new ApiError('ThrottlingException', 429, 'Rate exceeded');
export const internalError = (message = 'Internal service error') =>
  new ApiError('InternalServiceException', 500, message);

export const invalidContactFlow = (messages: string[]) =>
  new ApiError('InvalidContactFlowException', 400, 'The flow is not valid.', {
    problems: messages.slice(0, 50).map((message) => ({ message: message.slice(0, 256) })),
  });
export const invalidContactFlowModule = (messages: string[]) =>
  new ApiError('InvalidContactFlowModuleException', 400, 'The flow module is not valid.', {
    Problems: messages.slice(0, 50).map((message) => ({ message: message.slice(0, 256) })),
  });

/** Lambda's errors carry `Type` and a lower-case `message` (Connect uses `Message`). */
export const lambdaNotFound = (arn: string) =>
  new ApiError('ResourceNotFoundException', 404, `Function not found: ${arn}`, { Type: 'User' });
export const lambdaInvalidParameter = (message: string) =>
  new ApiError('InvalidParameterValueException', 400, message, { Type: 'User' });
export const lambdaThrottled = () =>
  new ApiError(
    'TooManyRequestsException',
    429,
    'Rate exceeded',
    { Type: 'User', Reason: 'CallerRateLimitExceeded' },
    { 'Retry-After': '1' },
  );
