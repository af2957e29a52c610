// The console's router: wouter (2 KB gzipped; react-router 7 was ~14 KB of the first screen's
// budget for the few things the console uses), under the names the pages already spoke.
import { useCallback, type AnchorHTMLAttributes, type ReactNode } from "react";
import { Link as WouterLink, Redirect, useLocation as useWouterLocation, useSearch } from "wouter";

export { Route, Switch, useParams, useSearchParams } from "wouter";

export interface NavigateOptions {
  replace?: boolean;
}

/** navigate("/customers/new"), navigate(url, { replace: true }) */
export function useNavigate(): (to: string, options?: NavigateOptions) => void {
  const [, navigate] = useWouterLocation();
  return useCallback((to: string, options?: NavigateOptions) => navigate(to, options), [navigate]);
}

export function useLocation(): { pathname: string; search: string } {
  const [pathname] = useWouterLocation();
  const search = useSearch();
  return { pathname, search: search ? `?${search}` : "" };
}

export function Navigate({ to, replace }: { to: string; replace?: boolean }) {
  return <Redirect to={to} replace={replace} />;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> & { to: string; children?: ReactNode };

export function Link({ to, ...props }: LinkProps) {
  return <WouterLink href={to} {...props} />;
}

/** A route's path as the routes write it ("/customers/:customerId/*": the customer and every tab
 * under it) in wouter's pattern language, where a trailing wildcard is optional only as "*?". */
export function pattern(path: string): string {
  return path.endsWith("/*") ? `${path}?` : path;
}
