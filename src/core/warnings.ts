/**
 * Something the core noticed but did not treat as an error: the command decides how to show it
 * (stderr line, or an entry in the `--json` result).
 */
export interface Warning {
  /** Stable, kebab-case code a script can match on. */
  code: string;
  message: string;
  /** `<folder>/<name>` of the resource concerned, when there is one. */
  resource?: string;
  /** JSON path inside the resource, when the warning is about one value. */
  path?: string;
}
