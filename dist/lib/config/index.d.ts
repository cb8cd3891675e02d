export * from './aws-limits';
export { ConfigError, type ConfigProblem } from './errors';
export { fargateSizeProblem, FARGATE_SIZES } from './fargate-sizes';
export { configSource, DEFAULT_SERVICES_DIR, SERVICES_DIR_ENV, formatPath, loadServiceConfigFile, loadServiceConfigs, parseServiceConfig, validateServiceConfig, type ParseResult, } from './loader';
export { DEFAULT_STEPS, IMAGE_PATTERN, SERVICE_NAME_PATTERN, serviceConfigSchema, type ServiceConfig, type ServiceConfigInput } from './schema';
