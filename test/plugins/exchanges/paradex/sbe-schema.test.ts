/**
 * The generator check: plugins/exchanges/paradex/sbe/schema.ts is hand-written, so this test reads the
 * published schema checked in beside it (paradex_1_0.xml, provenance in PROVENANCE.md) and recomputes
 * every offset, block length and field width from the XML's own rules (fields in order, no padding,
 * constant exponents not on the wire, sinceVersion fields appended). A new schema file whose layout
 * differs fails here, naming the constant and the offset that moved. A small XML reader is enough: the
 * schema is plain elements and double-quoted attributes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as schema from '../../../../plugins/exchanges/paradex/sbe/schema.ts';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function parseXml(source: string): XmlNode {
  const body = source.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const token = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*"[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let at = 0;
  for (let m = token.exec(body); m; m = token.exec(body)) {
    if (m.index !== at) throw new Error(`xml: cannot read ${JSON.stringify(body.slice(at, at + 40))}`);
    at = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += m[5];
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`xml: </${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = a[2]!;
      const node: XmlNode = { name: m[2]!, attrs, children: [], text: '' };
      top.children.push(node);
      if (!m[4]) stack.push(node);
    }
  }
  if (at !== body.length || stack.length !== 1) throw new Error('xml: unterminated document');
  return root.children[0]!;
}

const PRIMITIVE_BYTES: Record<string, number> = { char: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8 };

interface Encoding {
  bytes: number;
  /** The primitive the decoder reads: a composite's mantissa, an enum's encodingType. */
  primitive: string;
  /** A decimal composite's constant exponent (never on the wire). */
  exponent?: number;
  members?: { name: string; offset: number; bytes: number; primitive: string }[];
}

interface FieldLayout {
  name: string;
  offset: number;
  bytes: number;
  primitive: string;
  exponent?: number;
  sinceVersion: number;
}

interface MessageLayout {
  name: string;
  id: number;
  fields: FieldLayout[];
  groups: { name: string; fields: FieldLayout[]; blockLength: number }[];
  data: string[];
  /** Root block length a sender at `version` writes. */
  blockLength(version: number): number;
}

interface SchemaLayout {
  id: number;
  version: number;
  byteOrder: string;
  types: Map<string, Encoding>;
  messages: Map<string, MessageLayout>;
}

function primitiveEncoding(primitive: string, length = 1): Encoding {
  const bytes = PRIMITIVE_BYTES[primitive];
  if (bytes === undefined) throw new Error(`schema: unknown primitiveType ${primitive}`);
  return { bytes: bytes * length, primitive };
}

function readTypes(types: XmlNode): Map<string, Encoding> {
  const out = new Map<string, Encoding>();
  for (const t of types.children) {
    const name = t.attrs['name']!;
    if (t.name === 'type') out.set(name, primitiveEncoding(t.attrs['primitiveType']!, Number(t.attrs['length'] ?? 1)));
    else if (t.name === 'enum' || t.name === 'set') out.set(name, primitiveEncoding(t.attrs['encodingType']!));
    else if (t.name === 'composite') {
      const members: NonNullable<Encoding['members']> = [];
      let offset = 0;
      let exponent: number | undefined;
      for (const m of t.children) {
        if (m.attrs['presence'] === 'constant') {
          if (m.attrs['name'] === 'exponent') exponent = Number(m.text.trim());
          continue;
        }
        const enc = primitiveEncoding(m.attrs['primitiveType']!, Number(m.attrs['length'] ?? 1));
        members.push({ name: m.attrs['name']!, offset, bytes: enc.bytes, primitive: enc.primitive });
        offset += enc.bytes;
      }
      out.set(name, { bytes: offset, primitive: members[0]?.primitive ?? 'none', exponent, members });
    }
  }
  return out;
}

function readFields(nodes: XmlNode[], types: Map<string, Encoding>, where: string): FieldLayout[] {
  const out: FieldLayout[] = [];
  let offset = 0;
  for (const f of nodes.filter((n) => n.name === 'field')) {
    const type = f.attrs['type']!;
    const enc = types.get(type) ?? (PRIMITIVE_BYTES[type] !== undefined ? primitiveEncoding(type) : undefined);
    if (!enc) throw new Error(`schema: ${where}.${f.attrs['name']} has unknown type ${type}`);
    if (f.attrs['offset'] !== undefined) offset = Number(f.attrs['offset']);
    out.push({ name: f.attrs['name']!, offset, bytes: enc.bytes, primitive: enc.primitive, exponent: enc.exponent, sinceVersion: Number(f.attrs['sinceVersion'] ?? 0) });
    offset += enc.bytes;
  }
  return out;
}

function readSchema(source: string): SchemaLayout {
  const root = parseXml(source);
  const types = readTypes(root.children.find((c) => c.name === 'types')!);
  const messages = new Map<string, MessageLayout>();
  for (const m of root.children.filter((c) => c.name === 'sbe:message')) {
    const name = m.attrs['name']!;
    const fields = readFields(m.children, types, name);
    const groups = m.children
      .filter((c) => c.name === 'group')
      .map((g) => {
        const gf = readFields(g.children, types, `${name}.${g.attrs['name']}`);
        return { name: g.attrs['name']!, fields: gf, blockLength: gf.reduce((end, f) => Math.max(end, f.offset + f.bytes), 0) };
      });
    messages.set(name, {
      name,
      id: Number(m.attrs['id']),
      fields,
      groups,
      data: m.children.filter((c) => c.name === 'data').map((d) => d.attrs['name']!),
      blockLength: (version) => fields.filter((f) => f.sinceVersion <= version).reduce((end, f) => Math.max(end, f.offset + f.bytes), 0),
    });
  }
  return { id: Number(root.attrs['id']), version: Number(root.attrs['version']), byteOrder: root.attrs['byteOrder']!, types, messages };
}

/** Which schema.ts table describes which message, and what the decoders read each field as. */
const ROOTS: { table: string; message: string; layout: Record<string, number>; notDecoded?: string[]; noMarket?: true }[] = [
  { table: 'TRADE', message: 'TradeEvent', layout: schema.TRADE },
  { table: 'BBO', message: 'BboEvent', layout: schema.BBO },
  {
    table: 'BOOK',
    message: 'BookEvent',
    layout: { ts: schema.BOOK.ts, seq: schema.BOOK.seq, pkgType: schema.BOOK.pkgType },
    // The interactive / API-feed touch fields: null on the deltas feed the connector subscribes.
    notDecoded: ['bestBidPrice', 'bestBidSize', 'bestAskPrice', 'bestAskSize', 'relativeSpread', 'bestBidApiPrice', 'bestBidApiSize', 'bestAskApiPrice', 'bestAskApiSize'],
  },
  { table: 'MARKET_SUMMARY', message: 'MarketSummaryEvent', layout: schema.MARKET_SUMMARY },
  { table: 'FUNDING_DATA', message: 'FundingDataEvent', layout: schema.FUNDING_DATA, notDecoded: ['impactPremiumRate'] },
  { table: 'FUNDING_RATE_COMPARISON', message: 'FundingRateComparisonEvent', layout: schema.FUNDING_RATE_COMPARISON },
  { table: 'HEARTBEAT', message: 'HeartbeatEvent', layout: schema.HEARTBEAT, noMarket: true },
];
/** Keys of the tables that are not field offsets. */
const BLOCK_KEYS = new Set(['requiredBlock', 'blockSinceV1']);
/** Fields read as something other than an int64 (reader.ts u8 / i16). */
const PRIMITIVE_READ: Record<string, string> = { side: 'uint8', tradeType: 'uint8', pkgType: 'uint8', assetKind: 'uint8', source: 'uint8', fundingPeriodHours: 'int16' };
/** Decimal fields turned into strings at 12 places (Rate12); every other decimal at DECIMALS_8. */
const TWELVE_PLACES = new Set(['fundingRatePrecise', 'hourlyFundingRate']);
const TEMPLATE_MESSAGE: Record<keyof typeof schema.TEMPLATE, string> = {
  trade: 'TradeEvent',
  bbo: 'BboEvent',
  book: 'BookEvent',
  marketSummary: 'MarketSummaryEvent',
  fundingData: 'FundingDataEvent',
  fundingRateComparison: 'FundingRateComparisonEvent',
  heartbeat: 'HeartbeatEvent',
  subscribed: 'SubscribedEvent',
};

/** Every way schema.ts disagrees with the XML, one readable line each (empty: they agree). */
function schemaMismatches(xml: SchemaLayout): string[] {
  const out: string[] = [];
  const same = (what: string, ours: unknown, theirs: unknown) => {
    if (ours !== theirs) out.push(`${what} is ${String(ours)} in schema.ts, ${String(theirs)} in paradex_1_0.xml`);
  };
  same('SBE_SCHEMA_ID', schema.SBE_SCHEMA_ID, xml.id);
  same('SBE_SCHEMA_VERSION_KNOWN', schema.SBE_SCHEMA_VERSION_KNOWN, xml.version);
  same('byteOrder (reader.ts reads little-endian)', 'littleEndian', xml.byteOrder);

  const header = xml.types.get('messageHeader')!;
  same('MESSAGE_HEADER_BYTES', schema.MESSAGE_HEADER_BYTES, header.bytes);
  // header.ts reads blockLength @0, templateId @2, schemaId @4, version @6, uint16 each.
  same('messageHeader layout', 'blockLength@0:uint16 templateId@2:uint16 schemaId@4:uint16 version@6:uint16', header.members!.map((m) => `${m.name}@${m.offset}:${m.primitive}`).join(' '));
  const group = xml.types.get('groupSizeEncoding')!;
  same('GROUP_HEADER_BYTES', schema.GROUP_HEADER_BYTES, group.bytes);
  same('groupSizeEncoding layout', 'blockLength@0:uint16 numInGroup@2:uint16', group.members!.map((m) => `${m.name}@${m.offset}:${m.primitive}`).join(' '));
  same('varString8 length prefix', 'length@0:uint8', xml.types.get('varString8')!.members!.map((m) => `${m.name}@${m.offset}:${m.primitive}`)[0]);
  for (const t of ['Price8', 'Price8NULL', 'Qty8', 'Qty8NULL', 'Value8', 'Value8NULL', 'Rate8', 'Rate8NULL']) same(`DECIMALS_8 (${t} exponent)`, -schema.DECIMALS_8, xml.types.get(t)?.exponent);
  for (const t of ['Rate12', 'Rate12NULL']) same(`DECIMALS_12 (${t} exponent)`, -schema.DECIMALS_12, xml.types.get(t)?.exponent);

  for (const [key, message] of Object.entries(TEMPLATE_MESSAGE)) same(`TEMPLATE.${key} (${message} id)`, schema.TEMPLATE[key as keyof typeof schema.TEMPLATE], xml.messages.get(message)?.id);
  const known = new Set<number>(Object.values(schema.TEMPLATE));
  for (const m of xml.messages.values()) {
    // templateId ranges from the XML: public market data 1-19, system 40-59 (private 20-39 are not on the public feed).
    const publicFeed = (m.id >= 1 && m.id <= 19) || (m.id >= 40 && m.id <= 59);
    if (publicFeed && !known.has(m.id)) out.push(`${m.name} (templateId ${m.id}) is published for the public feed but has no TEMPLATE entry or decoder`);
  }

  for (const { table, message, layout, notDecoded = [], noMarket } of ROOTS) {
    const m = xml.messages.get(message);
    if (!m) {
      out.push(`${table}: paradex_1_0.xml has no message ${message}`);
      continue;
    }
    for (const [key, offset] of Object.entries(layout)) {
      if (BLOCK_KEYS.has(key)) continue;
      const f = m.fields.find((x) => x.name === key);
      if (!f) {
        out.push(`${table}.${key}: ${message} has no field ${key}`);
        continue;
      }
      if (offset !== f.offset) out.push(`${table}.${key} is @${offset}, paradex_1_0.xml puts ${message}.${key} @${f.offset} (the offset moved)`);
      same(`${table}.${key} width (read as ${PRIMITIVE_READ[key] ?? 'int64'})`, PRIMITIVE_READ[key] ?? 'int64', f.primitive);
      if (f.exponent !== undefined) same(`${table}.${key} exponent`, TWELVE_PLACES.has(key) ? -12 : -8, f.exponent);
    }
    for (const f of m.fields) {
      if (!(f.name in layout) && !notDecoded.includes(f.name)) {
        out.push(`${message}.${f.name} @${f.offset} (sinceVersion ${f.sinceVersion}) has no offset in schema.ts ${table}`);
      }
    }
    // Decoders read `market` right after the root block (and the book's two groups).
    same(`${message} first var data (what the decoder reads after the root block)`, noMarket ? undefined : 'market', m.data[0]);
  }

  // Block lengths the decoders require: a sender's block at version 0 (every decoded field present).
  const v0 = (message: string) => xml.messages.get(message)?.blockLength(0);
  same('TRADE.requiredBlock', schema.TRADE.requiredBlock, v0('TradeEvent'));
  same('BBO.requiredBlock', schema.BBO.requiredBlock, v0('BboEvent'));
  same('MARKET_SUMMARY.requiredBlock', schema.MARKET_SUMMARY.requiredBlock, v0('MarketSummaryEvent'));
  same('MARKET_SUMMARY.blockSinceV1', schema.MARKET_SUMMARY.blockSinceV1, xml.messages.get('MarketSummaryEvent')?.blockLength(1));
  same('FUNDING_DATA.requiredBlock', schema.FUNDING_DATA.requiredBlock, v0('FundingDataEvent'));
  same('FUNDING_RATE_COMPARISON.requiredBlock', schema.FUNDING_RATE_COMPARISON.requiredBlock, v0('FundingRateComparisonEvent'));
  same('HEARTBEAT.requiredBlock', schema.HEARTBEAT.requiredBlock, v0('HeartbeatEvent'));
  const book = xml.messages.get('BookEvent');
  const pkgType = book?.fields.find((f) => f.name === 'pkgType');
  same('BOOK.requiredBlock (end of pkgType)', schema.BOOK.requiredBlock, pkgType && pkgType.offset + pkgType.bytes);
  same('BookEvent block at version 0 (the XML: "An 89-byte block is what every client has always received")', 89, book?.blockLength(0));
  same('BookEvent groups', 'bids asks', book?.groups.map((g) => g.name).join(' '));
  for (const g of book?.groups ?? []) {
    same(`BOOK.entryPrice (${g.name}.price)`, schema.BOOK.entryPrice, g.fields.find((f) => f.name === 'price')?.offset);
    same(`BOOK.entrySize (${g.name}.size)`, schema.BOOK.entrySize, g.fields.find((f) => f.name === 'size')?.offset);
    same(`BOOK.entryBlock (${g.name} entry)`, schema.BOOK.entryBlock, g.blockLength);
  }
  return out;
}

const XML = readFileSync(new URL('../../../../plugins/exchanges/paradex/sbe/paradex_1_0.xml', import.meta.url), 'utf8');

describe('schema.ts against the checked-in paradex_1_0.xml', () => {
  it('every offset, block length, width and template id in schema.ts is what the XML lays out', () => {
    expect(schemaMismatches(readSchema(XML))).toEqual([]);
  });

  it('reads the layouts the decoders were written from (sanity of the reader itself)', () => {
    const xml = readSchema(XML);
    expect(xml.messages.get('BookEvent')!.blockLength(0)).toBe(89);
    expect(xml.messages.get('FundingDataEvent')!.blockLength(0)).toBe(58);
    expect(xml.messages.get('FundingDataEvent')!.blockLength(1)).toBe(66);
    expect(xml.messages.get('MarketSummaryEvent')!.blockLength(0)).toBe(216);
    expect(xml.messages.get('MarketSummaryEvent')!.blockLength(1)).toBe(240);
    expect(xml.messages.get('TradeEvent')!.blockLength(0)).toBe(50);
    // FillEvent: "a client on an earlier version reads the same 107-byte block" (XML comment), 116 at 1:2.
    expect(xml.messages.get('FillEvent')!.blockLength(1)).toBe(107);
    expect(xml.messages.get('FillEvent')!.blockLength(2)).toBe(116);
  });

  it('a schema whose layout moved fails, naming the constant and the offset', () => {
    // TradeEvent.side widened to a uint16: everything after it moves by one byte.
    const widened = XML.replace('<enum name="Side" encodingType="uint8"', '<enum name="Side" encodingType="uint16"');
    const moved = schemaMismatches(readSchema(widened));
    expect(moved).toContain('TRADE.price is @25, paradex_1_0.xml puts TradeEvent.price @26 (the offset moved)');
    expect(moved).toContain('TRADE.side width (read as uint8) is uint8 in schema.ts, uint16 in paradex_1_0.xml');
    expect(moved).toContain('TRADE.requiredBlock is 50 in schema.ts, 51 in paradex_1_0.xml');
  });

  it('a version bump, an appended field or a new public template fails until schema.ts is reviewed', () => {
    const bumped = XML.replace('id="1"\n  version="2"', 'id="1"\n  version="3"')
      .replace('<data  id="7"  name="market"    type="varString8"/>', '<field id="8" name="bidOrders" type="int64" sinceVersion="3"/>\n    <data  id="7"  name="market"    type="varString8"/>')
      .replace('<sbe:message name="HeartbeatEvent" id="40"', '<sbe:message name="LiquidationEvent" id="7"><field id="1" name="ts" type="Timestamp"/></sbe:message>\n  <sbe:message name="HeartbeatEvent" id="40"');
    expect(schemaMismatches(readSchema(bumped))).toEqual([
      'SBE_SCHEMA_VERSION_KNOWN is 2 in schema.ts, 3 in paradex_1_0.xml',
      'LiquidationEvent (templateId 7) is published for the public feed but has no TEMPLATE entry or decoder',
      'BboEvent.bidOrders @48 (sinceVersion 3) has no offset in schema.ts BBO',
    ]);
  });
});
