import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { CasePhotoService } from './case-photo.service';
import { CasePhotoStore } from './case-photo.store';
import { DirectoryCasePhotoStore } from './directory-case-photo.store';
import { S3CasePhotoStore } from './s3-case-photo.store';

/** The store photos go to: the S3-compatible bucket when one is configured, else the directory CASE_PHOTO_DIR. */
export function casePhotoStoreFor(config: AppConfig): CasePhotoStore {
  const logger = new Logger('CasePhotosModule');
  if (config.casePhotoS3) {
    const { endpoint, bucket, prefix } = config.casePhotoS3;
    // Where, never with what keys.
    logger.log(`case photos in bucket ${bucket} at ${endpoint}${prefix ? ` under ${prefix}` : ''}`);
    return new S3CasePhotoStore(config.casePhotoS3);
  }
  logger.log(`case photos in ${config.casePhotoDir}`);
  return new DirectoryCasePhotoStore(config.casePhotoDir);
}

/** Case photos: CasePhotoService, and the store it writes to (an S3-compatible bucket, or the directory CASE_PHOTO_DIR). */
@Module({
  providers: [{ provide: CasePhotoStore, inject: [APP_CONFIG], useFactory: casePhotoStoreFor }, CasePhotoService],
  exports: [CasePhotoService, CasePhotoStore],
})
export class CasePhotosModule {}
