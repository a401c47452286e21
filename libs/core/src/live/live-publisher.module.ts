import { Global, Module } from '@nestjs/common';
import { LivePublisher } from './live-publisher.service';

@Global()
@Module({ providers: [LivePublisher], exports: [LivePublisher] })
export class LivePublisherModule {}
