import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countLines, progressView } from '../../local/import-progress.js';

/** What a long import shows when its output is not a terminal, and how it counts the file. */

describe('countLines', () => {
  it('counts a last line without a newline, and no line for an empty file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'count-lines-'));
    try {
      const file = join(dir, 'f');
      for (const [text, lines] of [
        ['', 0],
        ['a', 1],
        ['a\n', 1],
        ['a\n\nb', 3],
        ['a\nb\n', 2],
      ] as const) {
        writeFileSync(file, text);
        expect(await countLines(file)).toBe(lines);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('progressView, not on a terminal', () => {
  it('writes a line with the rate and the time left at most every 5 s', () => {
    let now = 0;
    const written: string[] = [];
    const view = progressView(
      { write: (t: string) => written.push(t) } as never,
      1_000,
      100,
      () => now,
    );
    now = 4_000;
    view.update(300, 400);
    expect(written).toEqual([]);
    now = 10_000;
    view.update(600, 1_000);
    // 500 lines in 10 s: the 400 left take 8 s.
    expect(written).toEqual([
      'import-records: line 600/1000, 1000 records, 100 records/s, ETA 8 s\n',
    ]);
    now = 12_000;
    view.update(700, 1_200);
    expect(written).toHaveLength(1);
  });

  it('says no time left when it cannot know the total (standard input)', () => {
    let now = 0;
    const written: string[] = [];
    const view = progressView(
      { write: (t: string) => written.push(t) } as never,
      undefined,
      0,
      () => now,
    );
    now = 6_000;
    view.update(60, 60);
    expect(written).toEqual(['import-records: line 60, 60 records, 10 records/s\n']);
  });
});
