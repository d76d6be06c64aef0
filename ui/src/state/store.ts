// A minimal observable value. It follows Svelte's store contract (subscribe calls
// back at once and returns an unsubscribe), so components can use `$store`, while
// state code stays free of any framework.

export interface Readable<T> {
  subscribe(run: (value: T) => void): () => void;
  get(): T;
}

export interface Writable<T> extends Readable<T> {
  set(value: T): void;
  update(fn: (value: T) => T): void;
}

export function writable<T>(initial: T): Writable<T> {
  let value = initial;
  const subs = new Set<(value: T) => void>();
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const s of [...subs]) s(value);
    },
    update(fn) {
      this.set(fn(value));
    },
    subscribe(run) {
      subs.add(run);
      run(value);
      return () => subs.delete(run);
    },
  };
}
