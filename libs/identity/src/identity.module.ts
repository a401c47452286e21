import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { GeoModule } from '@cityops/geo';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuthService } from './auth.service';
import { CredentialRepository } from './credential.repository';
import { MachineCredentialsService } from './machine-credentials.service';
import { ScopeService } from './scope.service';
import { SessionRepository } from './session.repository';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    GeoModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // A key object made once: given the secret as a string, jsonwebtoken makes one on every
      // verification, which was about a quarter of the API's time per cached map tile.
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwt.secret)),
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    AuthService,
    UsersService,
    MachineCredentialsService,
    ScopeService,
    UserRepository,
    SessionRepository,
    CredentialRepository,
    AuditService,
    AuditRepository,
  ],
  exports: [AuthService, UsersService, MachineCredentialsService, ScopeService, AuditService],
})
export class IdentityModule {}
