import { describe, expect, it } from '@jest/globals';
import { CASE_PHOTO_MAX_BYTES, type ProblemDetails } from '@cityops/contracts';
import { ApiError, NETWORK_PROBLEM_TYPE } from '../api/client';
import { uploadProblem } from '../api/grid-worker-api';
import { actionRefusal, photoProblemBeforeUpload, photoRefusal, worthRetrying } from './grid-worker-problems';

const problem = (status: number, code?: string, extra: Partial<ProblemDetails> = {}) =>
  new ApiError({ type: code ? `urn:cityops:problem:${code}` : 'about:blank', title: 'x', status, ...extra });

describe('photo problems on the phone', () => {
  it('refuses before sending what the server would refuse anyway: empty, over 10 MB, not an image', () => {
    expect(photoProblemBeforeUpload({ size: 0, type: 'image/jpeg' })).toEqual({ key: 'mPhotoEmpty' });
    expect(photoProblemBeforeUpload({ size: CASE_PHOTO_MAX_BYTES + 1, type: 'image/jpeg' })).toEqual({
      key: 'mPhotoTooLarge',
      params: { size: '10.0', limit: 10 },
    });
    expect(photoProblemBeforeUpload({ size: 12, type: 'application/pdf' })).toEqual({ key: 'mPhotoWrongType' });
    // Exactly 10 MB, and a file whose type the phone does not say, go to the server, which decides by the bytes.
    expect(photoProblemBeforeUpload({ size: CASE_PHOTO_MAX_BYTES, type: 'image/jpeg' })).toBeNull();
    expect(photoProblemBeforeUpload({ size: 2048, type: '' })).toBeNull();
  });

  it.each([
    [413, 'case_photo_size', 'mPhotoTooLargeServer'],
    [413, 'entity_too_large', 'mPhotoTooLargeServer'],
    [413, undefined, 'mPhotoTooLargeServer'],
    [415, 'case_photo_type', 'mPhotoWrongType'],
    [415, undefined, 'mPhotoWrongType'],
    [422, 'case_photo_empty', 'mPhotoEmpty'],
    [422, 'case_photo_broken', 'mPhotoBroken'],
    [422, 'case_photo_dimensions', 'mPhotoDimensions'],
    [422, undefined, 'mPhotoBroken'],
  ])('says a %i (%s) as %s', (status, code, key) => {
    expect(photoRefusal(problem(status, code))?.key).toBe(key);
  });

  it('says a dropped connection, and leaves other problems to the generic message', () => {
    expect(photoRefusal(new ApiError({ type: NETWORK_PROBLEM_TYPE, title: 'Network error', status: 0 }))?.key).toBe('mPhotoNetwork');
    expect(photoRefusal(problem(403, 'forbidden'))).toBeNull();
    expect(photoRefusal(problem(500))).toBeNull();
  });

  it('reads the server’s problem of a failed upload, never its raw body', () => {
    const body = JSON.stringify({
      type: 'urn:cityops:problem:case_photo_type',
      title: 'Photo refused',
      status: 415,
      detail: 'Not an image.',
    });
    expect(uploadProblem(415, 'Unsupported Media Type', body, 'application/problem+json')).toEqual({
      type: 'urn:cityops:problem:case_photo_type',
      title: 'Photo refused',
      status: 415,
      detail: 'Not an image.',
    });
    expect(uploadProblem(502, 'Bad Gateway', '<html>proxy</html>', 'text/html')).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
    });
    expect(uploadProblem(500, '', '{broken', 'application/json')).toEqual({ type: 'about:blank', title: 'HTTP 500', status: 500 });
  });
});

describe('action problems on the phone', () => {
  it('says a 409 as someone else having acted first, and a 404 as the case gone from view', () => {
    expect(actionRefusal(problem(409, 'case_moved_on'))).toEqual({ key: 'mActedFirst' });
    expect(actionRefusal(problem(409, 'case_action_refused'))).toEqual({ key: 'mActedFirst' });
    expect(actionRefusal(problem(404, 'case_not_found'))).toEqual({ key: 'mCaseGone' });
    // A 400 names its field: the server's problem says it best.
    expect(actionRefusal(problem(400, 'case_action_refused', { errors: [{ path: 'reason', message: 'required' }] }))).toBeNull();
  });

  it('offers to file the same draft again only when that may help', () => {
    expect(worthRetrying(new ApiError({ type: NETWORK_PROBLEM_TYPE, title: 'Network error', status: 0 }))).toBe(true);
    expect(worthRetrying(problem(503))).toBe(true);
    expect(worthRetrying(problem(429))).toBe(true);
    expect(worthRetrying(problem(400, 'validation_failed'))).toBe(false);
    expect(worthRetrying(problem(403))).toBe(false);
  });
});
