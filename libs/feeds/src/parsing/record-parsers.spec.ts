import { Readable } from 'node:stream';
import { BadBodyError } from '../feed.exception';
import { MAX_LINE_CHARS, recordItems, type RawItem } from './record-parsers';

async function collect(chunks: (string | Buffer)[], format: 'ndjson' | 'csv' | 'json'): Promise<{ items: RawItem[]; batches: number }> {
  const items: RawItem[] = [];
  let batches = 0;
  for await (const batch of recordItems(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), format)) {
    batches++;
    items.push(...batch);
  }
  return { items, batches };
}

describe('record parsers', () => {
  it('keeps an NDJSON line whole when it spans chunks, even inside a multi-byte character', async () => {
    const line = Buffer.from('{"metric":"水位","value":1}\n{"metric":"m","value":2}');
    const cut = line.indexOf(Buffer.from('水')) + 1; // between the bytes of 水
    const { items } = await collect([line.subarray(0, cut), line.subarray(cut)], 'ndjson');
    expect(items).toEqual([{ raw: { metric: '水位', value: 1 } }, { raw: { metric: 'm', value: 2 } }]);
  });

  it('reads CRLF line ends, skips blank lines and names the line of a bad one', async () => {
    const { items } = await collect(['{"a":1}\r\n\r\n{bad\r\n', '{"a":2}\r\n'], 'ndjson');
    expect(items).toEqual([{ raw: { a: 1 } }, { raw: '{bad', error: 'line 3: not valid JSON' }, { raw: { a: 2 } }]);
  });

  it('hands on many lines in batches rather than one by one', async () => {
    const text = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ i })).join('\n');
    const chunks = text.match(/[\s\S]{1,65536}/g)!;
    const { items, batches } = await collect(chunks, 'ndjson');
    expect(items).toHaveLength(2500);
    expect(items[2499]).toEqual({ raw: { i: 2499 } });
    expect(batches).toBeLessThanOrEqual(chunks.length + 1);
  });

  it('rejects a line longer than the limit without holding it, and keeps the lines around it', async () => {
    const piece = 'x'.repeat(256 * 1024);
    const chunks = [
      '{"a":1}\n{"long":"',
      ...Array.from({ length: Math.ceil(MAX_LINE_CHARS / piece.length) + 2 }, () => piece),
      '"}\n{"a":2}\n',
    ];
    const { items } = await collect(chunks, 'ndjson');
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({ raw: { a: 1 } });
    expect(items[1].error).toBe(`line 2: longer than ${MAX_LINE_CHARS} characters`);
    expect(String(items[1].raw)).toMatch(/^\{"long":"x+…$/);
    expect(String(items[1].raw).length).toBeLessThanOrEqual(2001);
    expect(items[2]).toEqual({ raw: { a: 2 } });
  });

  it('rejects an over-long last line that never ends', async () => {
    const { items } = await collect(['{"a":1}\n', 'y'.repeat(MAX_LINE_CHARS + 10)], 'ndjson');
    expect(items.map((i) => i.error)).toEqual([undefined, `line 2: longer than ${MAX_LINE_CHARS} characters`]);
  });

  it('reads CSV rows into the record shape in batches', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `s-${i},${i},113.3,23.1`).join('\n');
    const { items, batches } = await collect([`entity,value,lon,lat\n${rows}\n`], 'csv');
    expect(items).toHaveLength(1500);
    expect(items[0]).toEqual({ raw: { entity: 's-0', value: 0, location: [113.3, 23.1] } });
    expect(batches).toBe(2);
  });

  it('stops a CSV body at a record over the limit with a clear error', async () => {
    const body = `entity,value\ns-1,1\n"${'z'.repeat(MAX_LINE_CHARS + 10)}",2\n`;
    await expect(collect([body], 'csv')).rejects.toThrow(/The CSV could not be read: Max Record Size: .* 1048576 at line 3/);
  });

  it('answers a body that is not CSV at all (a quote opening mid-field) as a bad body, and ends the stream it read', async () => {
    const body = Readable.from([Buffer.from('{"metric":"m","value":1}\n')]);
    const read = (async () => {
      for await (const _batch of recordItems(body, 'csv'));
    })();
    await expect(read).rejects.toBeInstanceOf(BadBodyError);
    await expect(read).rejects.toThrow(/^The CSV could not be read: Invalid Opening Quote/);
    expect(body.destroyed).toBe(true);
  });
});
