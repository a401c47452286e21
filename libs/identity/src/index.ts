export * from './auth.service';
export * from './identity.exception';
export * from './identity.module';
export * from './password-policy';
export * from './principal';
export * from './scope.service';
export * from './users.service';
