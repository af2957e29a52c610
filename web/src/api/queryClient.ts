import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./client";

/** The console's one cache of server state (also filled ahead of a page by route preloads). */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // a 4xx will not change by asking again; a dropped connection may
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
