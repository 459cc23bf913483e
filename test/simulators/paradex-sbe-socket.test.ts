/**
 * The Paradex simulator's public socket with `paradexPublicEncoding: 'sbe'`: negotiation on the
 * upgrade URL, JSON-RPC replies as text and channel data as binary SBE frames, the bare deltas
 * channel only, the idle heartbeat, private channels untouched. Frames are read with the test's
 * own reader (sbe-reader.ts), never with the connector's decoder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { readBboEvent, readBookEvent, readFundingDataEvent, readHeader, readHeartbeatEvent } from './sbe-reader.ts';
import { SbeClient } from './sbe-client.ts';

const BTC = 'BTC-USD-PERP';
const DELTAS = `order_book.${BTC}.deltas`;
const HEARTBEAT_MS = 60;

let sims: VenueSimulators;
const clients: SbeClient[] = [];

const sbeUrl = (query = 'sbeSchemaId=1&sbeSchemaVersion=1') => `${sims.paradex.wsUrl}?${query}`;

async function connect(query?: string, keepHeartbeats = false): Promise<SbeClient> {
  const c = await SbeClient.open(query === '' ? sims.paradex.wsUrl : sbeUrl(query), { keepHeartbeats });
  clients.push(c);
  return c;
}

/** The simulator's book in the frames' units: mantissas at exponent -8, best first. */
function simBook() {
  const m = sims.market('paradex', 'BTC');
  const i = m.instrument;
  const scale = (u: number, d: number) => BigInt(u) * 10n ** BigInt(8 - d);
  const { bids, asks } = m.book.snapshot();
  const side = (levels: typeof bids) => levels.map((l) => ({ price: scale(l.price, i.priceDecimals), size: scale(l.size, i.sizeDecimals) }));
  return { bids: side(bids), asks: side(asks) };
}

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 5, updateIntervalMs: 0, dislocationProbability: 0, paradexPublicEncoding: 'sbe', paradexSbeHeartbeatMs: HEARTBEAT_MS });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await sims.stop();
});

describe('paradex SBE negotiation (docs: "An unsupported schema or version is rejected with HTTP 400 at connect")', () => {
  it.each([
    ['an unknown schema id', 'sbeSchemaId=2&sbeSchemaVersion=1'],
    ['version 2 (not negotiable yet)', 'sbeSchemaId=1&sbeSchemaVersion=2'],
    ['a version that is no number', 'sbeSchemaId=1&sbeSchemaVersion=one'],
    ['the id without the version', 'sbeSchemaId=1'],
    ['the version without the id', 'sbeSchemaVersion=1'],
  ])('refuses %s with HTTP 400 naming the schema', async (_what, query) => {
    const { status, body } = await SbeClient.refusal(sbeUrl(query));
    expect(status).toBe(400);
    expect(JSON.parse(body).message).toMatch(/sbeSchema/);
  });

  it('accepts versions 1 and 0; frames carry the negotiated version', async () => {
    for (const version of [1, 0]) {
      const c = await connect(`sbeSchemaId=1&sbeSchemaVersion=${version}`);
      c.subscribe(`funding_data.${BTC}`, 1);
      expect((await c.nextText()).result).toEqual({ channel: `funding_data.${BTC}` });
      const frame = await c.nextBinary();
      expect(readHeader(frame)).toEqual({ blockLength: version === 1 ? 66 : 58, templateId: 5, schemaId: 1, version });
      const f = readFundingDataEvent(frame);
      expect(f).toMatchObject({ market: BTC, fundingPeriodHours: 8, end: frame.length });
      if (version === 1) expect(f.impactPremiumRate).toBeNull();
    }
  });
});

describe('paradex SBE public channels', () => {
  it('acks as JSON text, then streams the deltas channel as BookEvent frames: whole-book snapshot, then deltas at seq + 1', async () => {
    const c = await connect();
    c.subscribe(DELTAS, 7);
    expect(await c.nextText()).toMatchObject({ jsonrpc: '2.0', id: 7, result: { channel: DELTAS } });
    const snap = readBookEvent(await c.nextBinary());
    const rest = (await (await fetch(`${sims.paradex.restUrl}/orderbook/${BTC}`)).json()) as { seq_no: number };
    expect(snap).toMatchObject({ pkgType: 0, market: BTC, seq: BigInt(rest.seq_no) });
    expect({ bids: snap.bids, asks: snap.asks }).toEqual(simBook());
    expect(snap.touch.every((t) => t === null)).toBe(true);

    // Apply deltas as a client would (size 0 removes); the result must be the simulator's book.
    const book = { bids: new Map(snap.bids.map((l) => [l.price, l.size])), asks: new Map(snap.asks.map((l) => [l.price, l.size])) };
    let seq = snap.seq;
    sims.step();
    sims.step();
    const target = simBook();
    const text = (pairs: Array<[bigint, bigint]>) => pairs.map(([p, q]) => `${p}:${q}`).join(',');
    const settled = () =>
      text([...book.bids].sort((a, b) => (b[0] > a[0] ? 1 : -1))) === text(target.bids.map((l) => [l.price, l.size])) &&
      text([...book.asks].sort((a, b) => (a[0] > b[0] ? 1 : -1))) === text(target.asks.map((l) => [l.price, l.size]));
    while (!settled()) {
      const d = readBookEvent(await c.nextBinary());
      expect(d.pkgType).toBe(1);
      expect(d.seq).toBe(++seq);
      for (const [levels, side] of [[d.bids, book.bids], [d.asks, book.asks]] as const) {
        for (const l of levels) {
          if (l.size === 0n) side.delete(l.price);
          else side.set(l.price, l.size);
        }
      }
    }
    expect(seq).toBeGreaterThan(snap.seq); // the steps moved the book: deltas were read
  });

  it('publishes bbo as BboEvent with the book seq and the touch', async () => {
    const c = await connect();
    c.subscribe(`bbo.${BTC}`, 3);
    await c.nextText();
    const e = readBboEvent(await c.nextBinary());
    const { bids, asks } = simBook();
    expect(e).toMatchObject({ market: BTC, bidPrice: bids[0]?.price, bidSize: bids[0]?.size, askPrice: asks[0]?.price, askSize: asks[0]?.size });
    expect(e.header).toEqual({ blockLength: 48, templateId: 2, schemaId: 1, version: 1 });
  });

  it('refuses suffixed delta channels with the venue\'s own words, and the snapshot feed', async () => {
    const c = await connect();
    c.subscribe(`${DELTAS}@15@50ms`, 4);
    expect(await c.nextText()).toMatchObject({ id: 4, error: { code: -32600, message: 'invalid subscribe request', data: 'no parameters expected for deltas topic.' } });
    c.subscribe(`order_book.${BTC}.snapshot@15@100ms`, 5);
    expect((await c.nextText()).error).toMatchObject({ code: -32600, data: expect.stringMatching(/deltas/) });
    c.subscribe(DELTAS, 6);
    expect((await c.nextText()).result).toEqual({ channel: DELTAS });
  });

  it('sends a HeartbeatEvent to an idle SBE connection, seq rising', async () => {
    const c = await connect(undefined, true);
    const a = readHeartbeatEvent(await c.nextBinary(HEARTBEAT_MS * 4));
    const b = readHeartbeatEvent(await c.nextBinary(HEARTBEAT_MS * 4));
    expect(a.header).toEqual({ blockLength: 16, templateId: 40, schemaId: 1, version: 1 });
    expect(b.seq).toBe(a.seq + 1n);
    expect(b.ts).toBeGreaterThanOrEqual(a.ts);
  });

  it('sendGarbage: a non-JSON text frame and a truncated BookEvent', async () => {
    const c = await connect();
    c.subscribe(DELTAS, 1);
    await c.nextText();
    await c.nextBinary(); // snapshot
    sims.faults.sendGarbage('paradex');
    let text: string | undefined;
    let cut: Uint8Array | undefined;
    while (!text || !cut) {
      const f = await c.next();
      if (f.kind === 'text') text = f.text;
      else if (readHeader(f.bytes).templateId === 3) cut = f.bytes;
    }
    expect(() => JSON.parse(text as string)).toThrow();
    expect(() => readBookEvent(cut as Uint8Array)).toThrow();
  });
});

describe('paradex SBE mode without the parameters', () => {
  it('refuses public channels (SBE is required) but keeps the private JSON path', async () => {
    const c = await connect('');
    c.subscribe(DELTAS, 1);
    expect((await c.nextText()).error).toMatchObject({ code: -32600, data: expect.stringMatching(/sbeSchemaId=1&sbeSchemaVersion=1/) });
    // Private channels answer as before: JSON, auth first (the private module's own refusal).
    c.subscribe('orders.ALL', 2);
    expect((await c.nextText()).error).toMatchObject({ code: 40110, data: expect.stringMatching(/auth/) });
    c.send({ jsonrpc: '2.0', method: 'auth', params: { bearer: 'not-a-jwt' }, id: 3 });
    expect((await c.nextText()).error.code).toBe(40110);
    // No heartbeat on a connection that did not negotiate SBE.
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS * 2));
    expect(c.heartbeats).toBe(0);
    expect(c.frames.filter((f) => f.kind === 'binary')).toHaveLength(0);
  });
});
