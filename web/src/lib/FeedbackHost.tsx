import { useEffect } from "react";
import { message, Modal } from "antd";
import type { FeedbackHostApi } from "./feedback";

/** antd's message and Modal hooks, rendered inside the console's ConfigProvider (its theme, its locale). */
export default function FeedbackHost({ onReady }: { onReady: (api: FeedbackHostApi) => void }) {
  const [messages, messageHolder] = message.useMessage();
  const [modal, modalHolder] = Modal.useModal();
  useEffect(() => {
    onReady({
      message: (level, content) => void messages[level](content),
      confirm: (config) => void modal.confirm(config),
    });
  }, [onReady, messages, modal]);
  return <>{messageHolder}{modalHolder}</>;
}
