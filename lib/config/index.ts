export * from './aws-limits';
export { FARGATE_SIZES, fargateSizeProblem } from './fargate-sizes';
export {
  configSource,
  DEFAULT_SERVICES_DIR,
  formatPath,
  loadServiceConfigFile,
  loadServiceConfigs,
  MAX_YAML_ALIASES,
  type ParseResult,
  parseServiceConfig,
  readServiceConfigs,
  SERVICE_FILE_PATTERN,
  SERVICES_DIR_ENV,
  validateServiceConfig,
} from './loader';
export { ConfigError, type ConfigProblem } from './problems';
export {
  constructConfigSchema,
  DEFAULT_STEPS,
  IMAGE_PATTERN,
  MAX_IMAGE_LENGTH,
  SERVICE_NAME_PATTERN,
  SERVICE_NAME_TEXT,
  type ServiceConfig,
  type ServiceConfigInput,
  serviceConfigSchema,
} from './schema';
