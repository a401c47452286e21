import type { SessionUser } from '@cityops/contracts';
import type { ApiError } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { LangSwitch } from '../LangSwitch';
import { ProblemMessage } from '../ProblemMessage';
import { logout } from './session';

/** While the session is being restored: a quiet word, and the problem if restoring it failed. */
export function SessionConnecting({ testId, error }: { testId: string; error: ApiError | null }) {
  const { t } = useI18n();
  return (
    <main className="simple-page" data-testid={testId}>
      <p className="dim">{t('loading')}</p>
      <ProblemMessage error={error} />
    </main>
  );
}

/** What a page says to someone signed in whose role it is not for. */
export interface RefusalWords {
  title: MessageKey;
  /** For a person; `{name}` is their display name. */
  body: MessageKey;
  /** For a display device, which is sent back to the wall. */
  display: MessageKey;
}

/**
 * A polite refusal with the way back: a display device back to its wall, a person home or to
 * sign in as someone else. The server refuses the page's requests anyway; this spares them.
 */
export function NotForYouPage({ user, testId, words }: { user: SessionUser | null; testId: string; words: RefusalWords }) {
  const { t } = useI18n();
  const display = user?.kind === 'display';
  return (
    <main className="simple-page" data-testid={testId} data-kind={user?.kind ?? 'none'}>
      <header className="simple-header">
        <h1>{t(words.title)}</h1>
        <LangSwitch />
      </header>
      <p>{display ? t(words.display) : t(words.body, { name: user?.displayName ?? '' })}</p>
      <p className="admin-only-links">
        {display ? <a href="/wall">{t('homeWall')}</a> : <a href="/">{t('backHome')}</a>}
        {display ? null : (
          <button type="button" className="quiet-button" onClick={() => void logout()}>
            {t('adminOnlySwitchAccount')}
          </button>
        )}
      </p>
    </main>
  );
}
