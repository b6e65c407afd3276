import type { ApiEvent } from '@shared/api/events.ts';

export type EventListener = (event: ApiEvent) => void;

/** Services emit here; every transport subscribes once and forwards to its clients. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
