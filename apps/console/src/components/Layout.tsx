import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n';
import { useSession } from '../session';

/** Skip link, header with the role's sections, language choice and the page. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const { me, signOut } = useSession();
  const role = me?.grant.role;
  const links: [string, string][] = [['/', t('nav.home')]];
  if (role === 'coordinator') links.push(['/alerts', t('nav.alerts')], ['/alerts/new', t('nav.newAlert')]);
  if (role === 'org_admin' || role === 'org_editor')
    links.push(['/reviews', t('nav.reviews')], ['/outcomes', t('nav.outcomes')], ['/supporters', t('nav.supporters')]);
  if (role === 'org_admin') links.push(['/branding', t('nav.branding')], ['/membership', t('nav.membership')]);
  if (role === 'admin')
    links.push(['/admin/organisations', t('nav.organisations')], ['/admin/coalitions', t('nav.coalitions')], ['/admin/invitations', t('nav.invitations')], ['/admin/tokens', t('nav.tokens')]);
  if (role === 'org_admin' || role === 'coordinator') links.push(['/people', t('nav.people')]);
  if (me) links.push(['/account', t('nav.account')]);
  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <div className="brand">
          <span aria-hidden="true">◆</span> Clarion
        </div>
        {me && (
          <nav aria-label={t('nav.label')}>
            <ul>
              {links.map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to} end>
                    {label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <div className="top-tools">
          <label className="visually-hidden" htmlFor="language">
            {t('nav.language')}
          </label>
          <select id="language" value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
          {me && (
            <button type="button" className="link" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
