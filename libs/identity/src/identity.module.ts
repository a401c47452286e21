import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { GeoModule } from '@cityops/geo';
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
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [AuthService, UsersService, MachineCredentialsService, ScopeService, UserRepository, SessionRepository, CredentialRepository],
  exports: [AuthService, UsersService, MachineCredentialsService, ScopeService],
})
export class IdentityModule {}
