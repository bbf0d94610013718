import { from, lastValueFrom, toArray } from 'rxjs';
import { splitLines } from '../../src/cli/split-lines.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const lines = async (...chunks: string[]): Promise<string[]> =>
  (await lastValueFrom(from(chunks.map(bytes)).pipe(splitLines(), toArray()))).map((line) => new TextDecoder().decode(line));

describe('splitLines (pub -l)', () => {
  it('splits on \\n and \\r\\n, whatever the chunk boundaries', async () => {
    const input = 'one\r\ntwo\n\nthree ✓\nlast';
    expect(await lines(input)).toEqual(['one', 'two', '', 'three ✓', 'last']);
    for (let cut = 0; cut <= input.length; cut++) {
      expect(await lines(input.slice(0, cut), input.slice(cut))).toEqual(['one', 'two', '', 'three ✓', 'last']);
    }
    expect(await lines(...input.split(''))).toEqual(['one', 'two', '', 'three ✓', 'last']);
  });

  it('emits no empty line after a final newline, and nothing for no input', async () => {
    expect(await lines('a\n')).toEqual(['a']);
    expect(await lines()).toEqual([]);
  });
});
