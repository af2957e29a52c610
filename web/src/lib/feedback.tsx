// Toasts ("Đã lưu") and confirmations, as antd's App.useApp() gives them, without their code in the
// first screen: antd's App loads message, notification and Modal up front (~12 KB gzipped) though a
// screen needs them only after the user acts. Here they load on first use; calls made meanwhile wait.
import { createContext, lazy, Suspense, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import type { ModalFuncProps } from "antd";

type Level = "success" | "error" | "info" | "warning";

export interface Feedback {
  message: Record<Level, (content: ReactNode) => void>;
  modal: { confirm: (config: ModalFuncProps) => void };
}

/** what the loaded host does with a call */
export interface FeedbackHostApi {
  message: (level: Level, content: ReactNode) => void;
  confirm: (config: ModalFuncProps) => void;
}

const FeedbackHost = lazy(() => import("./FeedbackHost"));
const FeedbackContext = createContext<Feedback | null>(null);

export function FeedbackProvider({ children }: { children: ReactNode }) {
  const [wanted, setWanted] = useState(false);
  const host = useRef<FeedbackHostApi | null>(null);
  const waiting = useRef<((api: FeedbackHostApi) => void)[]>([]);

  const feedback = useMemo<Feedback>(() => {
    const run = (call: (api: FeedbackHostApi) => void) => {
      if (host.current) return call(host.current);
      waiting.current.push(call);
      setWanted(true);
    };
    const level = (name: Level) => (content: ReactNode) => run((api) => api.message(name, content));
    return {
      message: { success: level("success"), error: level("error"), info: level("info"), warning: level("warning") },
      modal: { confirm: (config) => run((api) => api.confirm(config)) },
    };
  }, []);

  const ready = useCallback((api: FeedbackHostApi) => {
    host.current = api;
    waiting.current.splice(0).forEach((call) => call(api));
  }, []);

  return (
    <FeedbackContext.Provider value={feedback}>
      {children}
      {wanted && <Suspense fallback={null}><FeedbackHost onReady={ready} /></Suspense>}
    </FeedbackContext.Provider>
  );
}

export function useFeedback(): Feedback {
  const feedback = useContext(FeedbackContext);
  if (!feedback) throw new Error("useFeedback outside FeedbackProvider");
  return feedback;
}
