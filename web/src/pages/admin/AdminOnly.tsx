import { lazy, type ReactNode } from "react";
import { Spin } from "antd";
import { hasRole, useAuth } from "../../auth/AuthProvider";

const NotFoundPage = lazy(() => import("../NotFoundPage"));

/** Administration is for admins; anyone else sees the same page as for a path that does not exist. */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  if (!me) return <Spin style={{ display: "block", margin: 48 }} />;
  return hasRole(me, "admin") ? <>{children}</> : <NotFoundPage />;
}
