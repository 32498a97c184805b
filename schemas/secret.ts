// A secret value that refuses to be printed: JSON, string conversion and util.inspect all
// show a placeholder, so a config object can be logged without leaking keys.
const REDACTED = '[redacted]';
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

export class Secret<T = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  /** The only way to the value: call it where the secret is used, never where it is shown. */
  reveal(): T {
    return this.#value;
  }
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
  [inspectSymbol](): string {
    return REDACTED;
  }
}
