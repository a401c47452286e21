export * from './alert-escalation';
export * from './alert-rules';
export * from './alert.exception';
export * from './alert.service';
export * from './alerts.module';
export * from './silence.service';
