import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
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

  const refresh = useCallback(async () => {
    try {
      setMe(fromSession(await call<SessionView>('GET', '/api/v1/auth/session')));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) console.warn('session check failed', error);
      setMe(undefined);
    } finally {
      setLoading(false);
    }
  }, []);

  const signOut = useCallback(async () => {
    await call('DELETE', '/api/v1/auth/session').catch(() => undefined);
    setCsrfToken(undefined);
    setMe(undefined);
  }, []);

  const adopt = useCallback((session: SessionView) => setMe(fromSession(session)), []);

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
