/**
 * Makes tool execution idempotent per turn. After a drop or a handoff the core resends
 * the cut-off turn and the model may call the same function again, with a NEW id. The
 * key is (turn, name, canonical args), so a repeat finds the first call: answered from
 * the cached outcome if it finished, or joined to it while it waits for the user or
 * runs. Pure and bounded (oldest keys forgotten first).
 */

/** JSON with object keys sorted at every level: equal args give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function callKey(turn: number, name: string, args: unknown): string {
  return `${turn}\u0000${name}\u0000${canonicalJson(args ?? {})}`;
}

export class ToolCallCache<T> {
  private readonly items = new Map<string, T>();

  constructor(private readonly maxItems = 200) {}

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  set(key: string, value: T): void {
    this.items.delete(key);
    this.items.set(key, value);
    while (this.items.size > this.maxItems) this.items.delete(this.items.keys().next().value!);
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  clear(): void {
    this.items.clear();
  }

  get size(): number {
    return this.items.size;
  }
}
