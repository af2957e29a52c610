import { lazy, Suspense } from "react";
import { Spin } from "antd";
import { Navigate, Route, Routes } from "react-router";
import { AppLayout } from "./layout/AppLayout";
import { routes } from "./routes";

export { preloadRoute } from "./routes";

const NotFoundPage = lazy(() => import("./pages/NotFoundPage"));

/** The console of a signed-in user: the frame and the screen of the address bar. */
export default function SignedIn() {
  return (
    <AppLayout>
      <Suspense fallback={<Spin style={{ display: "block", margin: 48 }} />}>
        <Routes>
          <Route path="/" element={<Navigate to="/customers" replace />} />
          {routes.map(({ path, element }) => (
            <Route key={path} path={path} element={element} />
          ))}
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </AppLayout>
  );
}
