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
  // Byte reads: the length is checked above, and readUInt16LE checks it again per call.
  const header = {
    blockLength: buf[0]! | (buf[1]! << 8),
    templateId: buf[2]! | (buf[3]! << 8),
    schemaId: buf[4]! | (buf[5]! << 8),
    version: buf[6]! | (buf[7]! << 8),
  };
  // A schema id changes only on a breaking change (schema versioning policy): its layout is unknown to us.
  if (header.schemaId !== SBE_SCHEMA_ID) sbeFail('header.schemaId', `is ${header.schemaId}; this decoder knows schema ${SBE_SCHEMA_ID} only`);
  if (buf.length < MESSAGE_HEADER_BYTES + header.blockLength) {
    sbeFail('header.blockLength', `is ${header.blockLength} but only ${buf.length - MESSAGE_HEADER_BYTES} bytes follow the header`);
  }
  return header;
}
