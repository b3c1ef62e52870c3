import { MultiBar, Presets, SingleBar } from 'cli-progress';
import type { ReadProgress } from '../connect/reader';

/**
 * Progress for long reads and writes, on stderr only. On a terminal, one bar per kind of
 * resource (flows 340/1000); when stderr is a file or a pipe, plain lines instead: at most one
 * per kind a second, plus the last, so CI logs stay short.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  return stream.isTTY ? barReporter(stream) : lineReporter(stream);
}

function barReporter(stream: NodeJS.WriteStream) {
  const multibar = new MultiBar(
    {
      stream,
      format: ' {kind} [{bar}] {value}/{total}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  return {
    onProgress(event: ReadProgress): void {
      const kind = event.kind.padEnd(22);
      // Lists without a known total (users, security profiles) show what was read so far.
      const total = Math.max(event.total ?? event.done, event.done, 1);
      const bar = bars.get(event.kind);
      if (!bar) bars.set(event.kind, multibar.create(total, event.done, { kind }));
      else {
        bar.setTotal(total);
        bar.update(event.done, { kind });
      }
    },
    done(): void {
      multibar.stop();
    },
  };
}

function lineReporter(stream: NodeJS.WriteStream) {
  const printedAt = new Map<string, number>();
  const describe = (e: ReadProgress) =>
    e.total === undefined ? `${e.kind} ${e.done}` : `${e.kind} ${e.done}/${e.total}`;
  return {
    onProgress(event: ReadProgress): void {
      const now = Date.now();
      const finished = event.total !== undefined && event.done >= event.total;
      if (finished || now - (printedAt.get(event.kind) ?? 0) >= 1000) {
        printedAt.set(event.kind, now);
        stream.write(`${describe(event)}\n`);
      }
    },
    done(): void {},
  };
}
