import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client";
import { usePerson } from "../api/people";
import { session } from "./session";

export interface Me {
  id: string;
  username: string;
  full_name: string;
  unit_id: string;
  unit_path: string;
  roles: string[];
  kind: "user" | "service";
  permissions: string[];
}

interface Auth {
  /** null while the saved session is being restored */
  signedIn: boolean | null;
  me: Me | undefined;
  unitName: string | undefined;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [signedIn, setSignedIn] = useState<boolean | null>(session.signedIn ? true : null);

  useEffect(() => {
    const unsubscribe = session.subscribe((now) => {
      if (!now) queryClient.clear(); // nothing of one user's data stays for the next
      setSignedIn(now);
    });
    if (session.signedIn) setSignedIn(true);
    else void session.renew().then((renewed) => setSignedIn(renewed)); // shares a renewal already under way
    return () => {
      unsubscribe();
    };
  }, [queryClient]);

  const me = useQuery({ queryKey: ["me"], queryFn: () => api.get<Me>("/me"), enabled: signedIn === true,
                        staleTime: 5 * 60_000 });
  const person = usePerson(me.data?.id);
  const value: Auth = {
    signedIn,
    me: me.data,
    unitName: person.data?.unit_name,
    signOut: () => session.close(),
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const context = useContext(AuthContext);
  if (!context) throw new Error("useAuth outside AuthProvider");
  return context;
}

export function hasRole(me: Me | undefined, ...roles: string[]): boolean {
  return Boolean(me?.roles.some((role) => roles.includes(role)));
}
