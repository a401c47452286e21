import { z } from 'zod';

/**
 * A case's life (网格化闭环): reported → dispatched → accepted → in progress → resolved → verified
 * → closed, with the side roads returned (退单, back to the command centre), invalid, duplicate
 * (merged into another case) and cancelled.
 */
export const CASE_STATES = [
  'reported',
  'dispatched',
  'accepted',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'returned',
  'invalid',
  'duplicate',
  'cancelled',
] as const;
export const caseStateSchema = z.enum(CASE_STATES).meta({ id: 'CaseState' });
export type CaseState = z.output<typeof caseStateSchema>;

/** States nothing leaves. */
export const FINAL_CASE_STATES: readonly CaseState[] = ['closed', 'invalid', 'duplicate', 'cancelled'];

/**
 * What can be done to a case. `dispatch`/`reroute`, `invalidate`, `merge`: the command centre;
 * `accept`, `return`, `start`, `resolve`: the responsible department's handlers; `verify` and
 * `reject` (the fix does not hold: reopened): a grid worker of the case's grid, on site; `close`
 * (with the reporter's rating); `cancel`: the reporter, or the command centre.
 */
export const CASE_ACTIONS = [
  'dispatch',
  'reroute',
  'accept',
  'return',
  'start',
  'resolve',
  'verify',
  'reject',
  'close',
  'invalidate',
  'merge',
  'cancel',
] as const;
export const caseActionSchema = z.enum(CASE_ACTIONS).meta({ id: 'CaseAction' });
export type CaseAction = z.output<typeof caseActionSchema>;

/** The reporter's rating when a case closes: 1 (poor) to 5 (very good). */
export const caseRatingSchema = z.number().int().min(1).max(5);

/** A case photo's upload limit, in bytes (10 MiB): the phone page checks it before sending. */
export const CASE_PHOTO_MAX_BYTES = 10 * 1024 * 1024;

/** What a case photo may be, decided from its bytes (never from its name or declared type). */
export const CASE_PHOTO_MIME_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type CasePhotoMimeType = (typeof CASE_PHOTO_MIME_TYPES)[number];

/**
 * Why a photo was refused: `empty` (no bytes), `size` (over CASE_PHOTO_MAX_BYTES), `type` (not a
 * JPEG, PNG or WebP still image by its content), `broken` (cut short or undecodable), `dimensions`
 * (too small to show anything, or so many pixels that decoding it could exhaust memory).
 */
export const CASE_PHOTO_REJECTIONS = ['empty', 'size', 'type', 'broken', 'dimensions'] as const;
export const casePhotoRejectionSchema = z.enum(CASE_PHOTO_REJECTIONS).meta({ id: 'CasePhotoRejection' });
export type CasePhotoRejection = z.output<typeof casePhotoRejectionSchema>;
