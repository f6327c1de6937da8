// Imports' server state, apart from queries.ts so that only the Settings
// screen's chunk carries it.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "./client";
import { invalidateTasks, keys } from "./queries";
import type { Import } from "./types";
import { inProgress } from "../lib/imports";

/** The person's recent imports, newest first (an unfinished one is picked up again). */
export function useImports() {
  return useQuery({
    queryKey: keys.imports,
    queryFn: ({ signal }) => api<{ imports: Import[] }>("/api/imports", { signal }).then((r) => r.imports),
  });
}

/** One import, polled every second while it is queued or running; the lists refresh once it is done. */
export function useImport(id: string | null) {
  const client = useQueryClient();
  const job = useQuery({
    queryKey: keys.importJob(id ?? ""),
    queryFn: ({ signal }) => api<Import>(`/api/imports/${id ?? ""}`, { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (inProgress(query.state.data) ? 1000 : false),
  });
  const done = job.data?.status === "done";
  useEffect(() => {
    if (done) {
      invalidateTasks(client);
      void client.invalidateQueries({ queryKey: keys.imports, exact: true });
    }
  }, [done, id, client]);
  return job;
}
