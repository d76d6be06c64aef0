// Human wording for error codes. The UI always shows the code too, so a user can
// report it and tests can look for it, and never inspects the message text.

import type { ErrorCode } from "./bindings";

const WORDS: Record<ErrorCode, string> = {
  NotFound: "Not found.",
  AlreadyExists: "Something with that name already exists.",
  OutsideProject: "That path is outside the project.",
  Conflict: "The file changed on disk since it was opened.",
  TooLarge: "The file is too large to edit.",
  Binary: "The file is binary.",
  UnsupportedEncoding: "The file's encoding is not supported.",
  InvalidInput: "The input is not valid.",
  PermissionDenied: "Permission denied.",
  Cancelled: "Cancelled.",
  SandboxUnavailable: "The sandbox is not available on this system.",
  ProviderUnavailable: "No AI provider is available.",
  EmbedderUnavailable: "Semantic search is not available here (the local model is missing); the message says how to fix it.",
  Io: "A file system error occurred.",
  Internal: "Something went wrong inside Aura.",
};

export function describeCode(code: ErrorCode): string {
  return WORDS[code] ?? "Unexpected error.";
}
