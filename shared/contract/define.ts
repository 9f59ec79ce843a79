import type { z } from 'zod';

/**
 * One call of the contract: a zod schema for its input and (as a phantom type) its output.
 * Every shell — Electron IPC, browser-mode HTTP, the CLI — parses the input with `input`
 * before any handler runs.
 */
export interface CallDef<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom: never set at run time; carries the output type. */
  readonly __output?: O;
}

/** `call<Output>()(inputSchema)` — the output type is given, the input type is inferred. */
export function call<O>(): <I extends z.ZodType>(input: I) => CallDef<I, O> {
  return (input) => ({ input });
}

export type CallInput<D> = D extends CallDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInput<D> = D extends CallDef<infer I, unknown> ? z.output<I> : never;
export type CallOutput<D> = D extends CallDef<z.ZodType, infer O> ? O : never;

/** One event kind the backend pushes to the renderer (import progress, rebuild progress…). */
export interface EventDef<P extends z.ZodType> {
  readonly payload: P;
}

export function event<P extends z.ZodType>(payload: P): EventDef<P> {
  return { payload };
}
