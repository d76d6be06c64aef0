// The Search panel's backend in the app: the generated commands, with the result stream
// delivered through a Tauri channel per search. (Kept apart from the model so unit tests
// never load the Tauri runtime.)

import { Channel } from "@tauri-apps/api/core";
import type { SearchBatch } from "../../ipc/bindings";
import type { Api } from "../../ipc";
import type { SearchBackend } from "./model";

export function tauriSearchBackend(api: Api): SearchBackend {
  return {
    searchText(projectId, query, onBatch) {
      const channel = new Channel<SearchBatch>();
      channel.onmessage = onBatch;
      return api.searchText(projectId, query, channel);
    },
    searchCancel: (projectId) => api.searchCancel(projectId),
    searchReplacePreview: (projectId, query, replacement) => api.searchReplacePreview(projectId, query, replacement),
    searchReplaceApply: (projectId, query, replacement, files) => api.searchReplaceApply(projectId, query, replacement, files),
    searchReplaceUndo: (projectId, undoId) => api.searchReplaceUndo(projectId, undoId),
    // searchSemantic: set here once the backend's search_semantic command exists; the
    // panel then offers the Semantic mode (see MODES in model.ts).
  };
}
