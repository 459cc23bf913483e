/**
 * One trade at a time per instrument. An order whose outcome is unknown keeps its instrument
 * locked (quarantined) until it is reconciled, so nothing trades on top of a position we cannot see.
 */
export class InstrumentLocks {
  private readonly held = new Map<string, string>();
  private readonly quarantined = new Map<string, string>();

  tryAcquire(instrument: string, owner: string): boolean {
    if (this.held.has(instrument) || this.quarantined.has(instrument)) return false;
    this.held.set(instrument, owner);
    return true;
  }

  release(instrument: string, owner: string): void {
    if (this.held.get(instrument) === owner) this.held.delete(instrument);
  }

  /** Keep the instrument blocked after its trade ends, until reconcile() lifts it. */
  quarantine(instrument: string, reason: string): void {
    this.quarantined.set(instrument, reason);
  }

  lift(instrument: string): void {
    this.quarantined.delete(instrument);
  }

  isBusy(instrument: string): boolean {
    return this.held.has(instrument) || this.quarantined.has(instrument);
  }

  quarantineReason(instrument: string): string | undefined {
    return this.quarantined.get(instrument);
  }

  quarantinedInstruments(): string[] {
    return [...this.quarantined.keys()];
  }

  inFlight(): number {
    return this.held.size;
  }
}
