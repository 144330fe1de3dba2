/**
 * One-shot requests (runtime.sendMessage), routed by message type through a map of handlers: one entry
 * per request in src/messages.ts `Requests`, typed by it. An unknown type gets no answer (undefined), so
 * other listeners in the extension may answer it.
 */
import type { Requests } from '../messages.ts';

export type RequestHandlers = { [K in keyof Requests]: (payload: Requests[K]['request']) => Promise<Requests[K]['reply']> };

export function routeRequest(handlers: RequestHandlers, message: unknown): Promise<unknown> | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(handlers, type)) return undefined;
  const handler = handlers[type as keyof Requests] as (payload: unknown) => Promise<unknown>;
  return handler(payload ?? {});
}
