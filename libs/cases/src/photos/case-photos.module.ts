import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { CasePhotoService } from './case-photo.service';
import { CasePhotoStore } from './case-photo.store';
import { DirectoryCasePhotoStore } from './directory-case-photo.store';

/** Case photos: CasePhotoService, and the store it writes to (the directory CASE_PHOTO_DIR). */
@Module({
  providers: [
    { provide: CasePhotoStore, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new DirectoryCasePhotoStore(config.casePhotoDir) },
    CasePhotoService,
  ],
  exports: [CasePhotoService, CasePhotoStore],
})
export class CasePhotosModule {}
