import { Global, Module } from '@nestjs/common';
import { RateLimitService } from '../rate-limit/rate-limit.service';
import { RedisService } from './redis.service';
import { SharedVersions } from './shared-versions';

@Global()
@Module({ providers: [RedisService, RateLimitService, SharedVersions], exports: [RedisService, RateLimitService, SharedVersions] })
export class RedisModule {}
