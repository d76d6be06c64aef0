// The last error a run produced, for the AI's "Fix Error" action: the Run panel records
// it when a program fails, the edit review pre-fills its instruction from it.

/** At most this much of the program's error output is kept (the end, where tracebacks finish). */
export const LAST_ERROR_MAX = 4000;

let lastError = "";

export function setLastError(text: string): void {
  lastError = text.length > LAST_ERROR_MAX ? text.slice(text.length - LAST_ERROR_MAX) : text;
}

export function getLastError(): string {
  return lastError;
}
