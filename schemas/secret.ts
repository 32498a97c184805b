// A value that must never be printed or serialised by accident (keys, password hashes, TOTP
// secrets): JSON, string conversion, templates and util.inspect all show '[redacted]'; only an
// explicit reveal() hands the value out.
export const REDACTED = '[redacted]';
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
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
  [inspectSymbol](): string {
    return `Secret(${REDACTED})`;
  }
}
