import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, call, setCsrfToken, type Grant } from './api/client';
import type { SessionView } from './api/views';

export interface Me {
  accountId: string;
  name: string;
  email: string;
  grant: Grant;
  sessionId: string;
}

interface SessionState {
  me: Me | undefined;
  loading: boolean;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
  adopt(session: SessionView): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

function fromSession(session: SessionView): Me {
  setCsrfToken(session.csrfToken);
  return { accountId: session.account.accountId, name: session.account.name, email: session.account.email, grant: session.account.grant, sessionId: session.sessionId };
}

/** Who is signed in: the cookie session (GET /auth/session); people sign in by link only. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | undefined>();
  const [loading, setLoading] = useState(true);
  // Bumped by every sign-in and sign-out: the answer of a session check asked
  // before one (the first page load of a sign-in link asks too) must not undo it.
  const epoch = useRef(0);

  const refresh = useCallback(async () => {
    const asked = epoch.current;
    try {
      const session = await call<SessionView>('GET', '/api/v1/auth/session');
      if (asked === epoch.current) setMe(fromSession(session));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) console.warn('session check failed', error);
      if (asked === epoch.current) setMe(undefined);
    } finally {
      setLoading(false);
    }
  }, []);

  const signOut = useCallback(async () => {
    epoch.current += 1;
    await call('DELETE', '/api/v1/auth/session').catch(() => undefined);
    setCsrfToken(undefined);
    setMe(undefined);
  }, []);

  const adopt = useCallback((session: SessionView) => {
    epoch.current += 1;
    setMe(fromSession(session));
    setLoading(false);
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return <SessionContext.Provider value={{ me, loading, refresh, signOut, adopt }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in person (pages behind RequireSession only). */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}

export const coalitionOf = (grant: Grant) => (grant.role === 'coordinator' ? grant.coalitionId : undefined);
export const orgOf = (grant: Grant) => (grant.role === 'org_admin' || grant.role === 'org_editor' ? grant.orgId : undefined);
