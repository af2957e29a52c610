import { lazy, Suspense, useEffect, useState } from "react";
import { ConfigProvider, Spin, theme } from "antd";
import viVN from "antd/locale/vi_VN";
import type { Locale } from "antd/es/locale";
import { QueryClientProvider } from "@tanstack/react-query";
import { I18nProvider, useI18n } from "./i18n/I18nProvider";
import { AuthProvider, useAuth } from "./auth/AuthProvider";
import { queryClient } from "./api/queryClient";
import { session } from "./auth/session";
import { currentLanguage } from "./i18n/language";
import { FeedbackProvider } from "./lib/feedback";


// the first screen downloads only itself: the sign-in form, or the signed-in shell (layout, routes)
const LoginPage = lazy(() => import("./pages/LoginPage"));
const loadSignedIn = () => import("./SignedIn");
const SignedIn = lazy(loadSignedIn);
if (session.likely) {
  // exchange the session cookie now; meanwhile fetch the shell (the customer list, the most used screen,
  // comes with it) and, when the address is the list, its data: the list paints without waiting for
  // its code to ask (the prefetch's own chunk needs only the boot chunk: build/firstScreenChunks.ts)
  void session.renew();
  void loadSignedIn();
  const { pathname, search } = window.location;
  if (pathname === "/" || pathname === "/customers") {
    void import("./pages/customers/list/prefetch").then(({ prefetchList }) => prefetchList(search));
  }
}

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <Localized>
          <AuthProvider>
            <Shell />
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

// antd's English words load when the reader chooses English (most never do)
const loadEnglish = () => import("antd/locale/en_US").then((module) => module.default);
let english: Promise<Locale> | null = currentLanguage() === "en" ? loadEnglish() : null;

function useAntdLocale(language: string): Locale {
  const [locale, setLocale] = useState<Locale | null>(null);
  useEffect(() => {
    if (language !== "en" || locale) return;
    english ??= loadEnglish();
    void english.then(setLocale);
  }, [language, locale]);
  return language === "en" && locale ? locale : viVN;
}

function Localized({ children }: { children: React.ReactNode }) {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={useAntdLocale(language)} theme={THEME}>
      <FeedbackProvider><Page>{children}</Page></FeedbackProvider>
    </ConfigProvider>
  );
}

/** The text of plain elements in antd's font and colours (what antd's App component's wrapper does). */
function Page({ children }: { children: React.ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div style={{ color: token.colorText, fontSize: token.fontSize, lineHeight: token.lineHeight,
                  fontFamily: token.fontFamily }}>
      {children}
    </div>
  );
}

function Shell() {
  const { signedIn } = useAuth();
  if (signedIn === null) return <Spin fullscreen />;
  return <Suspense fallback={<Spin fullscreen />}>{signedIn ? <SignedIn /> : <LoginPage />}</Suspense>;
}
