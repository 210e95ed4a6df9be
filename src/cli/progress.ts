// A one-line progress bar for long CLI operations; silent unless the stream is a terminal.

export interface Progress {
  update(fraction: number | null, detail: string): void;
  done(): void;
}

const WIDTH = 28;
const FRAME_MS = 100;

export function createProgress(stream: NodeJS.WriteStream, label: string): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update(fraction, detail) {
      const now = Date.now();
      if (now - last < FRAME_MS) return;
      last = now;
      const bar =
        fraction === null
          ? ''
          : `[${'█'.repeat(Math.round(Math.min(1, fraction) * WIDTH)).padEnd(WIDTH, '░')}] ${Math.floor(Math.min(1, fraction) * 100)
              .toString()
              .padStart(3)}% `;
      stream.write(`\r\x1b[2K${label} ${bar}${detail}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
