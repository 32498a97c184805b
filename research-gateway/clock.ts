// Days as the gateway counts them: UTC calendar days as YYYY-MM-DD, which compare as text.

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function yearOf(ms: number): number {
  return new Date(ms).getUTCFullYear();
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
