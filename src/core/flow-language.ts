/**
 * Rules of Amazon Connect's Flow Language that both the push's offline check and the emulator's
 * publish validation apply (Amazon Connect admin guide, "Flow language"; service quotas).
 */
export const FLOW_LANGUAGE_VERSION = '2019-10-30';

/** Connect rejects content with more actions than this. */
export const MAX_ACTIONS = 250;

export const MAX_IDENTIFIER = 50;

/** Characters an action Identifier may not hold. */
export const IDENTIFIER_FORBIDDEN = /[%:()\\/=$,;[\]{}]/;

/** Identifiers Connect refuses because they name JavaScript object members. */
export const RESERVED_IDENTIFIERS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
]);

export function isValidIdentifier(id: string): boolean {
  return (
    id.length <= MAX_IDENTIFIER && !IDENTIFIER_FORBIDDEN.test(id) && !RESERVED_IDENTIFIERS.has(id)
  );
}
