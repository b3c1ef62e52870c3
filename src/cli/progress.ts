import type { ReadProgress } from '../connect/reader';

/**
 * Progress for long reads and writes, on stderr only: one line per kind that is rewritten in
 * place on a terminal, and plain lines (at most one per kind per second, plus the last) when
 * stderr is a file or a pipe.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const latest = new Map<string, ReadProgress>();
  const printedAt = new Map<string, number>();
  const interactive = Boolean(stream.isTTY);
  const describe = (e: ReadProgress) =>
    e.total === undefined ? `${e.kind} ${e.done}` : `${e.kind} ${e.done}/${e.total}`;

  return {
    onProgress(event: ReadProgress): void {
      latest.set(event.kind, event);
      if (interactive) {
        stream.write(`\r\x1b[2K${[...latest.values()].map(describe).join('  ')}`);
        return;
      }
      const now = Date.now();
      const finished = event.total !== undefined && event.done >= event.total;
      if (finished || now - (printedAt.get(event.kind) ?? 0) >= 1000) {
        printedAt.set(event.kind, now);
        stream.write(`${describe(event)}\n`);
      }
    },
    done(): void {
      if (interactive && latest.size > 0) stream.write('\r\x1b[2K');
    },
  };
}
