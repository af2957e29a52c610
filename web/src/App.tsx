import { lazy, Suspense } from "react";
import { ConfigProvider, App as AntApp, Spin } from "antd";
import viVN from "antd/locale/vi_VN";
import enUS from "antd/locale/en_US";
import { QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter } from "react-router";
import { I18nProvider, useI18n } from "./i18n/I18nProvider";
import { AuthProvider, useAuth } from "./auth/AuthProvider";
import { queryClient } from "./api/queryClient";
import { session } from "./auth/session";


// the first screen downloads only itself: the sign-in form, or the signed-in shell (layout, routes)
const LoginPage = lazy(() => import("./pages/LoginPage"));
const loadSignedIn = () => import("./SignedIn");
const SignedIn = lazy(loadSignedIn);
if (session.likely) {
  // exchange the session cookie now, and meanwhile fetch the shell and the screen of the address bar
  void session.renew();
  void loadSignedIn().then(({ preloadRoute }) => preloadRoute(window.location.pathname, window.location.search));
}

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <Localized>
          <AuthProvider>
            <BrowserRouter>
              <Shell />
            </BrowserRouter>
          </AuthProvider>
        </Localized>
      </QueryClientProvider>
    </I18nProvider>
  );
}

// colours that keep 4.5:1 contrast (axe-core found antd's defaults below it: #1677ff, 45% grey,
// #ff4d4f); no animation for those who asked their system for less motion
const THEME = {
  token: {
    colorPrimary: "#0958d9", colorLink: "#0958d9", colorError: "#cf1322", colorTextDescription: "rgba(0, 0, 0, 0.6)",
    motion: !window.matchMedia?.("(prefers-reduced-motion: reduce)").matches,
  },
};

function Localized({ children }: { children: React.ReactNode }) {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === "en" ? enUS : viVN} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function Shell() {
  const { signedIn } = useAuth();
  if (signedIn === null) return <Spin fullscreen />;
  return <Suspense fallback={<Spin fullscreen />}>{signedIn ? <SignedIn /> : <LoginPage />}</Suspense>;
}
