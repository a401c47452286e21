export * from './auth.service';
export * from './identity.exception';
export * from './identity.module';
export * from './password-policy';
export * from './principal';
export * from './scope.service';
export { hashSecret } from './secret-token';
export * from './users.service';
