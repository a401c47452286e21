export * from './audit.service';
export * from './auth.service';
export * from './identity.exception';
export * from './identity.module';
export * from './principal';
