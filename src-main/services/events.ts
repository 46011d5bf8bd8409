/** The push-event hub every transport subscribes to. */
import type { ApiEvent } from '../api/channels';
import type { PayloadOf } from '../api/contract';

export type EventListener = <E extends ApiEvent>(event: E, payload: PayloadOf<E>) => void;

export class EventHub {
  private readonly listeners = new Set<EventListener>();

  emit<E extends ApiEvent>(event: E, payload: PayloadOf<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
