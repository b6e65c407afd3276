import { Entity } from './entity.ts';

/**
 * Procgen's `std::vector<std::shared_ptr<Entity>>` without the garbage: an
 * ordered list of pooled entities. Order matters (Procgen steps and collides
 * from last to first, the agent is first), so removal keeps order. Entities
 * removed from the list go back to the pool and are reused by `add`.
 */
export class EntityList {
  /** Live entities are `items[0..count)`; slots past `count` hold pooled spares. */
  items: Entity[] = [];
  count = 0;

  constructor(initialCapacity = 64) {
    for (let i = 0; i < initialCapacity; i++) this.items.push(new Entity());
  }

  /** Appends a reset entity (reused from the pool when one is free). */
  add(): Entity {
    if (this.count === this.items.length) this.items.push(new Entity());
    return this.items[this.count++]!.reset();
  }

  /** Empties the list; the entities stay pooled. */
  clear(): void {
    this.count = 0;
  }

  /**
   * Removes every entity for which `shouldRemove` holds, keeping the order of
   * the rest. Removed entities move past `count` into the pool.
   */
  removeWhere(shouldRemove: (e: Entity) => boolean): void {
    const items = this.items;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const e = items[i]!;
      if (shouldRemove(e)) continue;
      if (kept !== i) {
        items[i] = items[kept]!;
        items[kept] = e;
      }
      kept++;
    }
    this.count = kept;
  }

  /** Removes and returns the last entity; it stays valid until the next `add`. */
  pop(): Entity {
    if (this.count === 0) throw new Error('pop() on an empty entity list.');
    return this.items[--this.count]!;
  }

  /** Makes this list an entity-by-entity copy of `other` (clone/restore). */
  copyFrom(other: EntityList): void {
    while (this.items.length < other.count) this.items.push(new Entity());
    for (let i = 0; i < other.count; i++) this.items[i]!.copyFrom(other.items[i]!);
    this.count = other.count;
  }
}
