/**
 * Lines for the trader's console from strategies whose judgments do not pass through the
 * execution simulator (the flash-loan strategy prices on-chain cycles itself). The CLI prints
 * them; tests and the report can listen too.
 */
export type AnnouncementListener = (line: string) => void;

export class Announcements {
  private readonly listeners: AnnouncementListener[] = [];

  on(listener: AnnouncementListener): void {
    this.listeners.push(listener);
  }

  emit(line: string): void {
    for (const l of this.listeners) l(line);
  }
}
