export * from './case-workflow';
export * from './working-calendar';
export * from './case-routing';
export * from './case-code';
export * from './case.exception';
export * from './case.service';
export * from './case-detection.service';
export * from './case-setup.service';
export * from './case-statistics-feed';
export * from './case-statistics.service';
export * from './case-supervision';
export * from './case-supervision.service';
export * from './cases.module';
export * from './standard-case-categories';
export * from './open311/open311-xml';
export * from './open311/open311-mapping';
export * from './open311/open311.exception';
export * from './open311/open311.service';
export * from './public/public-case.service';
export * from './public/public-case.exception';

export { readCasePhotoExif, type CasePhotoExif, type CasePhotoTakenAt } from './photos/case-photo-exif';
export {
  CASE_PHOTO_MAX_PIXELS,
  CASE_PHOTO_MAX_SIDE,
  CASE_PHOTO_MIN_SIDE,
  CASE_PHOTO_MIME,
  inspectCasePhoto,
  sniffCasePhotoFormat,
  type AcceptedCasePhotoInspection,
  type CasePhotoFormat,
  type CasePhotoInspection,
  type RefusedCasePhotoInspection,
} from './photos/case-photo-inspect';
export * from './photos/case-photo-normalize';
export * from './photos/case-photo.exception';
export * from './photos/case-photo.store';
export * from './photos/directory-case-photo.store';
export * from './photos/s3-case-photo.store';
export * from './photos/case-photo.service';
export * from './photos/case-photos.module';
export { CASE_TILE_LAYER } from './case.repository';
/** The statements bench:cases times bare beside the API. */
export {
  caseEventInsertStatement,
  caseInsertStatement,
  caseListStatement,
  caseMapStatement,
  caseTileStatement,
  nearbyOpenStatement,
  nextSequenceStatement,
} from './case.repository';
