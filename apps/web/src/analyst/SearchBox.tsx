import { useEffect, useState } from 'react';
import type { SearchHit } from '@cityops/contracts';
import { searchMap } from '../api/analyst-map-api';
import { ApiError, isAbortError } from '../api/client';
import { useI18n, type MessageKey } from '../i18n';
import { ProblemMessage } from '../ProblemMessage';

/** Typing pauses this long before the search is sent. */
const DEBOUNCE_MS = 250;

/** The search box: areas by name or code, located entities by name or id; choosing a result flies the map to it. */
export function SearchBox({ onChoose }: { onChoose: (hit: SearchHit) => void }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ q: string; hits: SearchHit[] } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const q = text.trim();

  useEffect(() => {
    if (!q) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      searchMap(q, controller.signal).then(
        (hits) => {
          setError(null);
          setResult({ q, hits });
        },
        (e: unknown) => {
          if (!isAbortError(e)) setError(e instanceof ApiError ? e : null);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  const hits = q && result?.q === q ? result.hits : null;
  const label = (hit: SearchHit) => (hit.kind === 'area' ? (lang === 'en' ? (hit.nameEn ?? hit.name) : hit.name) : (hit.name ?? hit.id));
  const detail = (hit: SearchHit) => (hit.kind === 'area' ? `${t(`mapLevel_${hit.level}` as MessageKey)} · ${hit.code}` : hit.id);

  return (
    <section className="search-box">
      <input
        type="search"
        data-testid="map-search"
        value={text}
        placeholder={t('mapSearchPlaceholder')}
        aria-label={t('mapSearchPlaceholder')}
        onChange={(e) => setText(e.target.value)}
      />
      <ProblemMessage error={error} />
      {hits ? (
        hits.length === 0 ? (
          <p className="dim">{t('mapSearchNone')}</p>
        ) : (
          <ul className="search-hits" data-testid="search-hits">
            {hits.map((hit) => (
              <li key={`${hit.kind}:${hit.kind === 'area' ? hit.id : `${hit.feed}/${hit.id}`}`}>
                <button
                  type="button"
                  data-testid="search-hit"
                  data-kind={hit.kind}
                  onClick={() => {
                    setText('');
                    onChoose(hit);
                  }}
                >
                  <span>{label(hit)}</span>
                  <span className="dim">{detail(hit)}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
