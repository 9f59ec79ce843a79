import type { EventName, PayloadOf } from '../../shared/contract/api.js';

export type EventListener = (event: EventName, payload: unknown) => void;

/** Fans backend events out to every connected shell (IPC to the window, SSE clients). */
export interface EventHub {
  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const l of [...listeners]) {
        try {
          l(event, payload);
        } catch (err) {
          // One broken client (a closed socket) must not stop the others from hearing.
          console.error(`event listener failed for ${event}:`, err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
