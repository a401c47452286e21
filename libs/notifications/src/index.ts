export * from './alert-notifications.service';
export * from './notifications.module';
export * from './webhook-delivery.service';
export * from './webhook-filter';
export * from './webhook-payload';
export * from './webhook-signature';
export * from './webhook.exception';
export * from './webhook.service';
