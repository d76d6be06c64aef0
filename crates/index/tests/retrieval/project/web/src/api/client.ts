// The HTTP client of the web app.

export class ApiError extends Error {
  constructor(public status: number, message: string) {
    super(message);
  }
}

/** GETs a URL and parses the JSON body, giving up after `timeoutMs`. */
export async function fetchJsonWithTimeout<T>(url: string, timeoutMs = 5000): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: controller.signal });
    if (!res.ok) throw new ApiError(res.status, await res.text());
    return (await res.json()) as T;
  } finally {
    clearTimeout(timer);
  }
}

/** Retries a request while the server answers 503 Service Unavailable. */
export async function retryWhenUnavailable<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 503 || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, 200 * i));
    }
  }
}
