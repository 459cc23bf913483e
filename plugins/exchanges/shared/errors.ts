/**
 * Typed venue errors shared by the exchange plugins. Each names the venue and what went wrong,
 * so a log line or a thrown error tells the operator where to look.
 */

/** Longest piece of a wire frame or HTTP body quoted in an error or log line. */
export const EXCERPT_CHARS = 160;

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

/**
 * A frame or REST body that does not have the shape the codec expects. `field` is the JSON
 * path of the offending value (e.g. `params.data.inserts[2].price`); `symbol` is set when
 * the codec got far enough to know which market the frame concerns, so the connector can
 * resync exactly that book.
 */
export class WireFormatError extends Error {
  constructor(
    readonly venue: string,
    readonly field: string,
    readonly problem: string,
    readonly symbol?: string,
  ) {
    super(`${venue}: ${field} ${problem}`);
    this.name = 'WireFormatError';
  }

  withSymbol(symbol: string): WireFormatError {
    return this.symbol === symbol ? this : new WireFormatError(this.venue, this.field, this.problem, symbol);
  }
}

/** A REST call answered with a non-2xx status. */
export class VenueHttpError extends Error {
  constructor(
    readonly venue: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${venue}: GET ${url} answered HTTP ${status}: ${excerpt(body)}`);
    this.name = 'VenueHttpError';
  }
}

/** A REST call that did not answer within its timeout. */
export class VenueTimeoutError extends Error {
  constructor(
    readonly venue: string,
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${venue}: GET ${url} gave no answer within ${timeoutMs} ms (raise requestTimeoutMs or check the venue's status)`);
    this.name = 'VenueTimeoutError';
  }
}

/** A REST call that failed below HTTP (DNS, refused connection, TLS) or returned no JSON. */
export class VenueRequestError extends Error {
  constructor(
    readonly venue: string,
    readonly url: string,
    message: string,
  ) {
    super(`${venue}: GET ${url} failed: ${message}`);
    this.name = 'VenueRequestError';
  }
}

/** A market the config asks for that the venue does not list. */
export class UnknownMarketError extends Error {
  constructor(
    readonly venue: string,
    readonly symbols: string[],
  ) {
    super(`${venue}: the venue does not list ${symbols.join(', ')} (check the symbol spelling in the config)`);
    this.name = 'UnknownMarketError';
  }
}
