import { Module } from '@nestjs/common';
import { GeoModule } from '@cityops/geo';
import { IdentityModule } from '@cityops/identity';
import { LiveGateway } from './live.gateway';

@Module({ imports: [IdentityModule, GeoModule], providers: [LiveGateway] })
export class LiveModule {}
