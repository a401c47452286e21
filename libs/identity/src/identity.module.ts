import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@cityops/core';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuthService } from './auth.service';
import { IdentityRepository } from './identity.repository';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [AuthService, IdentityRepository, AuditService, AuditRepository],
  exports: [AuthService, AuditService],
})
export class IdentityModule {}
