// The Search panel's backend in the app: the generated commands, with the result stream
// delivered through a Tauri channel per search. (Kept apart from the model so unit tests
// never load the Tauri runtime.)

import { Channel } from "@tauri-apps/api/core";
import type { SearchBatch } from "../../ipc/bindings";
import type { Api } from "../../ipc";
import { chunksToResults, type SearchBackend } from "./model";

/** Chunks asked for per semantic search. */
const SEMANTIC_HITS = 50;

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
    // Hybrid: meaning and words fused, so it answers (words only, with a note) even
    // before the embedding model has run.
    async searchSemantic(projectId, q) {
      const r = await api.searchSemantic(projectId, { query: q.pattern, k: SEMANTIC_HITS, mode: "Hybrid", pathGlob: q.include[0] ?? null, language: null });
      return { ...chunksToResults(r.chunks), note: r.note };
    },
  };
}
