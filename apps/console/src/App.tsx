import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { Layout } from './components/Layout';
import { Loading } from './components/ui';
import { Sessions } from './pages/account/Sessions';
import { AdminCoalitions } from './pages/admin/Coalitions';
import { AdminInvitations } from './pages/admin/Invitations';
import { AdminOrganisations } from './pages/admin/Organisations';
import { AdminTokens } from './pages/admin/Tokens';
import { AlertDetail } from './pages/coordinator/AlertDetail';
import { AlertEditor } from './pages/coordinator/AlertEditor';
import { AlertsList } from './pages/coordinator/AlertsList';
import { Home } from './pages/Home';
import { NotFoundPage } from './pages/NotFound';
import { Branding } from './pages/org/Branding';
import { Membership } from './pages/org/Membership';
import { Outcomes } from './pages/org/Outcomes';
import { RelayReview } from './pages/org/RelayReview';
import { ReviewQueue } from './pages/org/ReviewQueue';
import { Supporters } from './pages/org/Supporters';
import { People } from './pages/People';
import { SignIn } from './pages/SignIn';
import { SessionProvider, useSession } from './session';

function RequireSession({ children }: { children: ReactNode }) {
  const { me, loading } = useSession();
  const location = useLocation();
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter basename="/console">
        <Routes>
          <Route element={<Layout />}>
            <Route path="sign-in" element={<SignIn />} />
            <Route
              path="*"
              element={
                <RequireSession>
                  <Routes>
                    <Route index element={<Home />} />
                    <Route path="alerts" element={<AlertsList />} />
                    <Route path="alerts/new" element={<AlertEditor />} />
                    <Route path="alerts/:alertId" element={<AlertDetail />} />
                    <Route path="alerts/:alertId/edit" element={<AlertEditor />} />
                    <Route path="reviews" element={<ReviewQueue />} />
                    <Route path="reviews/:relayId" element={<RelayReview />} />
                    {/* The links of the staff emails (docs/decisions/0025) open the same screens. */}
                    <Route path="orgs/:orgId/relays/:relayId" element={<RelayReview />} />
                    <Route path="coalitions/:coalitionId/alerts/:alertId" element={<AlertDetail />} />
                    <Route path="supporters" element={<Supporters />} />
                    <Route path="branding" element={<Branding />} />
                    <Route path="membership" element={<Membership />} />
                    <Route path="outcomes" element={<Outcomes />} />
                    <Route path="people" element={<People />} />
                    <Route path="admin/organisations" element={<AdminOrganisations />} />
                    <Route path="admin/coalitions" element={<AdminCoalitions />} />
                    <Route path="admin/invitations" element={<AdminInvitations />} />
                    <Route path="admin/tokens" element={<AdminTokens />} />
                    <Route path="account" element={<Sessions />} />
                    <Route path="*" element={<NotFoundPage />} />
                  </Routes>
                </RequireSession>
              }
            />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
