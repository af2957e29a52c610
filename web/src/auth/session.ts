// The browser session: the access token lives in this module's memory only (never localStorage, which
// any script of the page could read); the refresh token is an HttpOnly cookie the gateway sets on
// /api/v1/auth/session, so a reload or an expired token gets a new access token without a script
// ever seeing the refresh token. One refresh at a time: concurrent 401s share it.
const SESSION = "/api/v1/auth/session";
const SESSION_HEADER = { "X-CRM-Session": "1" };
const EARLY_SECONDS = 30; // renew this long before the token expires
// not a secret: whether this browser had a session, so that the console fetches the signed-in
// screens while the cookie is being exchanged instead of after
const HINT = "crm.session";

interface Issued {
  access_token: string;
  expires_in: number;
}

type Listener = (signedIn: boolean) => void;

class Session {
  private token: string | null = null;
  private expiresAt = 0;
  private renewing: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();

  get signedIn(): boolean {
    return this.token !== null;
  }

  /** This browser was signed in when last seen (the cookie may still be valid). */
  get likely(): boolean {
    try {
      return localStorage.getItem(HINT) === "1";
    } catch {
      return false;
    }
  }

  private remember(signedIn: boolean): void {
    try {
      if (signedIn) localStorage.setItem(HINT, "1");
      else localStorage.removeItem(HINT);
    } catch {
      /* private mode: no hint, the console just loads in turn */
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The current access token, renewed first when about to expire. */
  async accessToken(): Promise<string | null> {
    if (this.renewing) await this.renewing; // a call made while the session is restored waits for it
    if (this.token && Date.now() > this.expiresAt - EARLY_SECONDS * 1000) await this.renew();
    return this.token;
  }

  /** Sign in; throws the gateway's problem (401 invalid_credentials, 423 account_locked…). */
  async open(username: string, password: string, language: string): Promise<void> {
    const response = await fetch(SESSION, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": language },
      body: JSON.stringify({ username, password }),
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(body.detail ?? "login failed"), { status: response.status, body });
    this.issued(body as Issued);
  }

  /** A new access token from the cookie; false when the session is gone (sign in again). */
  renew(): Promise<boolean> {
    this.renewing ??= this.refresh().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async refresh(): Promise<boolean> {
    try {
      const response = await fetch(`${SESSION}/refresh`, {
        method: "POST",
        headers: SESSION_HEADER,
        credentials: "same-origin",
      });
      if (!response.ok) {
        this.clear();
        return false;
      }
      this.issued((await response.json()) as Issued);
      return true;
    } catch {
      return false; // offline: keep what we have, the next call tries again
    }
  }

  async close(): Promise<void> {
    try {
      await fetch(SESSION, { method: "DELETE", headers: SESSION_HEADER, credentials: "same-origin" });
    } finally {
      this.clear();
    }
  }

  /** The API refused the token even after a renewal. */
  expired(): void {
    this.clear();
  }

  private issued(issued: Issued): void {
    const wasSignedIn = this.signedIn;
    this.token = issued.access_token;
    this.expiresAt = Date.now() + issued.expires_in * 1000;
    this.remember(true);
    if (!wasSignedIn) this.listeners.forEach((listener) => listener(true));
  }

  private clear(): void {
    const wasSignedIn = this.signedIn;
    this.token = null;
    this.expiresAt = 0;
    this.remember(false);
    if (wasSignedIn) this.listeners.forEach((listener) => listener(false));
  }
}

export const session = new Session();
