/**
 * One venue's L2 book for one market, in integer units (price at the venue's price
 * decimals, size at its size decimals). Small on purpose: the depth generator replaces it
 * step by step today, and the matching engine of the private side will read and mutate it
 * tomorrow; both go through `applyChanges`, so every mutation comes out as level changes a
 * venue feed can publish.
 */
export type BookSide = 'bid' | 'ask';

export interface BookLevel {
  readonly price: number;
  readonly size: number;
}

export type LevelChangeKind = 'insert' | 'update' | 'delete';

export interface LevelChange {
  readonly side: BookSide;
  readonly kind: LevelChangeKind;
  readonly price: number;
  /** New size; 0 for a delete. */
  readonly size: number;
}

export interface BookLevels {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

export class L2Book {
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();

  /** Levels of one side, best first, at most `limit`. */
  levels(side: BookSide, limit = Infinity): BookLevel[] {
    const entries = [...this.sideMap(side)].map(([price, size]) => ({ price, size }));
    entries.sort(side === 'bid' ? (a, b) => b.price - a.price : (a, b) => a.price - b.price);
    return entries.slice(0, limit);
  }

  snapshot(limit = Infinity): BookLevels {
    return { bids: this.levels('bid', limit), asks: this.levels('ask', limit) };
  }

  best(side: BookSide): BookLevel | undefined {
    return this.levels(side, 1)[0];
  }

  sizeAt(side: BookSide, price: number): number {
    return this.sideMap(side).get(price) ?? 0;
  }

  /** The changes that turn this book into `target`, without applying them. */
  diff(target: BookLevels): LevelChange[] {
    const changes: LevelChange[] = [];
    for (const side of ['bid', 'ask'] as const) {
      const current = this.sideMap(side);
      const wanted = new Map((side === 'bid' ? target.bids : target.asks).map((l) => [l.price, l.size]));
      for (const [price] of current) {
        if (!wanted.has(price)) changes.push({ side, kind: 'delete', price, size: 0 });
      }
      for (const [price, size] of wanted) {
        const had = current.get(price);
        if (had === undefined) changes.push({ side, kind: 'insert', price, size });
        else if (had !== size) changes.push({ side, kind: 'update', price, size });
      }
    }
    return changes;
  }

  /** Apply level changes (a delete, or any change to size 0, removes the level). */
  applyChanges(changes: readonly LevelChange[]): void {
    for (const c of changes) {
      const map = this.sideMap(c.side);
      if (c.kind === 'delete' || c.size === 0) map.delete(c.price);
      else map.set(c.price, c.size);
    }
  }

  private sideMap(side: BookSide): Map<number, number> {
    return side === 'bid' ? this.bids : this.asks;
  }
}
