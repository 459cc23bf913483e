/** The 8-byte SBE message header every Paradex binary frame starts with (schema: messageHeader). */
import { MESSAGE_HEADER_BYTES, SBE_SCHEMA_ID } from './schema.ts';
import { sbeFail } from './reader.ts';

export interface SbeHeader {
  /** Root block length as the sender wrote it: a newer version's block is longer, and is skipped by this. */
  blockLength: number;
  templateId: number;
  schemaId: number;
  version: number;
}

export function readHeader(buf: Buffer): SbeHeader {
  if (buf.length < MESSAGE_HEADER_BYTES) sbeFail('header', `needs ${MESSAGE_HEADER_BYTES} bytes, the frame has ${buf.length}`);
  const header = {
    blockLength: buf.readUInt16LE(0),
    templateId: buf.readUInt16LE(2),
    schemaId: buf.readUInt16LE(4),
    version: buf.readUInt16LE(6),
  };
  // A schema id changes only on a breaking change (schema versioning policy): its layout is unknown to us.
  if (header.schemaId !== SBE_SCHEMA_ID) sbeFail('header.schemaId', `is ${header.schemaId}; this decoder knows schema ${SBE_SCHEMA_ID} only`);
  if (buf.length < MESSAGE_HEADER_BYTES + header.blockLength) {
    sbeFail('header.blockLength', `is ${header.blockLength} but only ${buf.length - MESSAGE_HEADER_BYTES} bytes follow the header`);
  }
  return header;
}
