import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { call } from '../api/client';
import type { SessionView } from '../api/views';
import { ErrorNote, Field, Loading, Page } from '../components/ui';
import { useSession } from '../session';

/** The page a sign-in link opens: `#token=…` never reaches a server log; it is exchanged for a session cookie. */
function tokenFromFragment(): string | undefined {
  const params = new URLSearchParams(window.location.hash.slice(1));
  return params.get('token') ?? undefined;
}

export function SignIn() {
  const { t } = useTranslation();
  const { me, adopt } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>();
  const [linkFailed, setLinkFailed] = useState(false);
  const [token, setToken] = useState(tokenFromFragment);
  const [exchanging, setExchanging] = useState(() => token !== undefined);
  const exchanged = useRef<string | undefined>(undefined);

  // A link pasted into the tab that already shows this page changes only the fragment: no new page load.
  useEffect(() => {
    const follow = () => setToken(tokenFromFragment());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  useEffect(() => {
    if (!token || exchanged.current === token) return;
    exchanged.current = token;
    setExchanging(true);
    setLinkFailed(false);
    // Forget the secret at once: not in history, not in a bookmark.
    window.history.replaceState(null, '', window.location.pathname);
    call<SessionView>('POST', '/api/v1/auth/sessions', { body: { token } }).then(
      (session) => {
        adopt(session);
        navigate(from, { replace: true });
      },
      () => {
        setLinkFailed(true);
        setExchanging(false);
      },
    );
  }, [token, adopt, from, navigate]);

  useEffect(() => {
    if (me && !exchanging) navigate(from, { replace: true });
  }, [me, exchanging, from, navigate]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await call('POST', '/api/v1/auth/sign-in-links', { body: { email } });
      setSent(true);
    } catch (reason) {
      setError(reason);
    }
  }

  if (exchanging) return <Loading />;
  return (
    <Page title={t('signIn.title')}>
      {linkFailed && <p className="note error" role="alert">{t('signIn.linkFailed')}</p>}
      {sent ? (
        <div role="status" className="note ok">
          <p>
            <strong>{t('signIn.checkEmail')}</strong>
          </p>
          <p>{t('signIn.checkEmailHint', { email })}</p>
        </div>
      ) : (
        <form onSubmit={submit} className="stack narrow">
          <p>{t('signIn.intro')}</p>
          <Field label={t('signIn.email')}>
            {(id) => <input id={id} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <ErrorNote error={error} />
          <button type="submit" className="primary">
            {t('signIn.send')}
          </button>
        </form>
      )}
    </Page>
  );
}
