/**
 * SBE negotiation on the public socket (docs.paradex.trade/ws/general-information/binary-encoding-sbe):
 * "Append the schema parameters to the WebSocket URL: ?sbeSchemaId=1&sbeSchemaVersion=1" ("0 or 1. Use 1");
 * "An unsupported schema or version is rejected with HTTP 400 at connect. There is no silent fallback
 * to JSON". Added to whatever wsUrl is configured (testnet, a proxy), keeping its other parameters.
 */
export function withSbeNegotiation(wsUrl: string, schemaId: number, schemaVersion: number): string {
  const url = new URL(wsUrl);
  url.searchParams.set('sbeSchemaId', String(schemaId));
  url.searchParams.set('sbeSchemaVersion', String(schemaVersion));
  return url.toString();
}

/** `ws` reports a refused upgrade as "Unexpected server response: 400". */
export function isNegotiationRefusal(reason: string | undefined): boolean {
  return reason !== undefined && /Unexpected server response: 400\b/.test(reason);
}

export function negotiationRefusedReason(schemaId: number, schemaVersion: number, original: string): string {
  return (
    `Paradex refused the WebSocket connect with HTTP 400: SBE negotiation sbeSchemaId=${schemaId}&sbeSchemaVersion=${schemaVersion} ` +
    `not accepted (the venue rejects an unsupported or retired schema at connect). Set venues.paradex.sbeSchemaVersion to a ` +
    `version the venue serves (docs: "0 or 1. Use 1"), or encoding: json for an endpoint without SBE (${original})`
  );
}
