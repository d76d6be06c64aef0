// Browser storage helpers.

/** Saves a value in localStorage that is forgotten after `ttlMs`. */
export function setWithExpiry(key: string, value: unknown, ttlMs: number): void {
  localStorage.setItem(key, JSON.stringify({ value, expires: Date.now() + ttlMs }));
}

/** Reads a value saved by setWithExpiry; an expired one is removed and gives null. */
export function getWithExpiry<T>(key: string): T | null {
  const raw = localStorage.getItem(key);
  if (!raw) return null;
  const { value, expires } = JSON.parse(raw);
  if (Date.now() > expires) {
    localStorage.removeItem(key);
    return null;
  }
  return value as T;
}
