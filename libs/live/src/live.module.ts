import { Module } from '@nestjs/common';
import { IdentityModule } from '@cityops/identity';
import { LiveGateway } from './live.gateway';

@Module({ imports: [IdentityModule], providers: [LiveGateway] })
export class LiveModule {}
