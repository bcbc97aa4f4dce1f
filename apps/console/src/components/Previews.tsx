import { useTranslation } from 'react-i18next';
import type { AlertPreview } from '../api/views';

/** The email as a supporter's mail client shows it (sandboxed: no script runs) and the push notification. */
export function MessagePreviews({ previews }: { previews: AlertPreview[] }) {
  const { t } = useTranslation();
  return (
    <div className="previews">
      {previews.map((preview) => (
        <section key={preview.language} aria-label={t('preview.forLanguage', { language: preview.language })} className="preview-set">
          <h3>{t('preview.forLanguage', { language: preview.language })}</h3>
          <h4>{t('preview.push')}</h4>
          <div className="push-preview">
            <strong>{preview.push.title}</strong>
            <span>{preview.push.body}</span>
          </div>
          <h4>{t('preview.email')}</h4>
          <p className="small">
            <span className="muted">{t('preview.subject')}</span> {preview.email.subject}
          </p>
          <iframe className="email-preview" title={t('preview.emailFrame', { language: preview.language })} sandbox="" srcDoc={preview.email.html} />
        </section>
      ))}
    </div>
  );
}
