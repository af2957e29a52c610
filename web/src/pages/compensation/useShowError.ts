import { useCallback } from "react";
import { useFeedback } from "../../lib/feedback";

/** A problem the API answered, in its own words (its detail is already in the user's language). */
export function useShowError(): (error: unknown) => void {
  const { message } = useFeedback();
  return useCallback((error: unknown) => message.error(error instanceof Error ? error.message : String(error)), [message]);
}
