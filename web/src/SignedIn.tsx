import { lazy, Suspense } from "react";
import { Spin } from "antd";
import { Navigate, pattern, Route, Switch } from "./lib/router";
import { AppLayout } from "./layout/AppLayout";
import { routes } from "./routes";

const NotFoundPage = lazy(() => import("./pages/NotFoundPage"));

/** The console of a signed-in user: the frame and the screen of the address bar. */
export default function SignedIn() {
  return (
    <AppLayout>
      <Suspense fallback={<Spin style={{ display: "block", margin: 48 }} />}>
        <Switch>
          <Route path="/"><Navigate to="/customers" replace /></Route>
          {routes.map(({ path, element }) => (
            <Route key={path} path={pattern(path)}>{element}</Route>
          ))}
          <Route><NotFoundPage /></Route>
        </Switch>
      </Suspense>
    </AppLayout>
  );
}
